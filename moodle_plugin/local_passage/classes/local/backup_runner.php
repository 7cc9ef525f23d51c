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

namespace local_passage\local;

use backup;
use backup_controller;
use backup_setting;

/**
 * Backs up a course and keeps the .mbz file in the Passage file area of the course.
 *
 * The file is stored with item id = operation id, so each backup has its own stable download
 * address and core's backup areas (and their automatic clean-up) are left alone.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class backup_runner implements operation_runner {
    /**
     * Backs up the course and moves the file into the Passage file area.
     *
     * @param \stdClass $operation the running operation
     * @param array $params users (0/1), anonymize (0/1)
     * @return array filename, filesize, contenthash, fileurl
     */
    public function run(\stdClass $operation, array $params): array {
        global $CFG;
        require_once($CFG->dirroot . '/backup/util/includes/backup_includes.php');

        $controller = new backup_controller(
            backup::TYPE_1COURSE,
            (int) $operation->courseid,
            backup::FORMAT_MOODLE,
            backup::INTERACTIVE_NO,
            backup::MODE_GENERAL,
            (int) $operation->userid
        );
        try {
            $users = !empty($params['users']);
            $anonymize = $users && !empty($params['anonymize']);
            self::set_setting($controller, 'users', (int) $users);
            if ($users) {
                self::set_setting($controller, 'anonymize', (int) $anonymize);
            }
            // Without it a non-interactive backup is called "backup.mbz"; this is the name the
            // backup page would give it.
            $controller->get_plan()->get_setting('filename')->set_value(\backup_plan_dbops::get_default_backup_filename(
                backup::FORMAT_MOODLE, backup::TYPE_1COURSE, (int) $operation->courseid, $users, $anonymize));
            $controller->set_progress(new operation_progress((int) $operation->id, 0.05, 0.9));
            $controller->execute_plan();
            $results = $controller->get_results();
        } finally {
            $controller->destroy();
        }

        $produced = $results['backup_destination'] ?? null;
        if (!$produced instanceof \stored_file) {
            throw new \moodle_exception('nobackupproduced', 'local_passage');
        }
        $context = \context_course::instance((int) $operation->courseid);
        $file = get_file_storage()->create_file_from_storedfile([
            'contextid' => $context->id,
            'component' => 'local_passage',
            'filearea' => 'backup',
            'itemid' => (int) $operation->id,
            'filepath' => '/',
        ], $produced);
        // The copy in core's area would only double the disk use.
        $produced->delete();

        $url = \moodle_url::make_webservice_pluginfile_url(
            $context->id,
            'local_passage',
            'backup',
            (int) $operation->id,
            '/',
            $file->get_filename()
        );
        return [
            'filename' => $file->get_filename(),
            'filesize' => (int) $file->get_filesize(),
            'contenthash' => $file->get_contenthash(),
            'fileurl' => $url->out(false),
        ];
    }

    /**
     * Sets one root setting of the backup plan, refusing clearly when the site locked it.
     *
     * @param backup_controller $controller the backup
     * @param string $name setting name
     * @param int $value 0 or 1
     */
    private static function set_setting(backup_controller $controller, string $name, int $value): void {
        $setting = $controller->get_plan()->get_setting($name);
        if ($setting->get_value() == $value) {
            return;
        }
        if ($setting->get_status() !== backup_setting::NOT_LOCKED) {
            throw new \moodle_exception('backupsettinglocked', 'local_passage', '', $name);
        }
        $setting->set_value($value);
    }
}
