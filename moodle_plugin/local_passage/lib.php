<?php
// This file is part of Moodle - https://moodle.org/
//
// Moodle is free software: you can redistribute it and/or modify
// it under the terms of the GNU General Public License as published by
// the Free Software Foundation, either version 3 of the License, or
// (at your option) any later version.
//
// Moodle is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
// GNU General Public License for more details.
//
// You should have received a copy of the GNU General Public License
// along with Moodle.  If not, see <https://www.gnu.org/licenses/>.

/**
 * Callbacks of the Passage companion plugin.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

/**
 * Serves the backup files Passage made (file area "backup", item = operation id).
 *
 * Only users allowed to download backups of the course get them, as for core's backup areas.
 *
 * @param stdClass $course course record
 * @param stdClass|null $cm not used: the files live in the course context
 * @param context $context context of the file
 * @param string $filearea file area
 * @param array $args item id, then path and file name
 * @param bool $forcedownload whether to force a download
 * @param array $options send_stored_file() options
 * @return bool false when the file is not served
 */
function local_passage_pluginfile($course, $cm, $context, $filearea, $args, $forcedownload, array $options = []) {
    if ($context->contextlevel != CONTEXT_COURSE || $filearea !== 'backup' || count($args) < 2) {
        return false;
    }
    require_login($course, false, null, false, true);
    require_capability('moodle/backup:downloadfile', $context);

    $itemid = (int) array_shift($args);
    $filename = array_pop($args);
    $filepath = $args ? '/' . implode('/', $args) . '/' : '/';
    $file = get_file_storage()->get_file($context->id, 'local_passage', 'backup', $itemid, $filepath, $filename);
    if (!$file || $file->is_directory()) {
        return false;
    }
    send_stored_file($file, 0, 0, true, $options);
}
