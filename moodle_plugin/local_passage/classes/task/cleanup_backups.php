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

namespace local_passage\task;

use local_passage\local\operation_manager;

/**
 * Scheduled task removing the backup and restore files Passage left in Moodle's file store
 * longer than the "orphanbackupage" setting: files the portal never asked to delete (it lost
 * the answer, or stopped using the backup), and restore files of operations that never ran.
 * Files of an operation that is queued or running are left alone.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class cleanup_backups extends \core\task\scheduled_task {
    /**
     * Name shown in the task list.
     *
     * @return string
     */
    public function get_name(): string {
        return get_string('taskcleanupbackups', 'local_passage');
    }

    /**
     * Deletes the old files, one operation's area at a time.
     */
    public function execute() {
        global $DB;
        $age = (int) get_config('local_passage', 'orphanbackupage');
        if ($age <= 0) {
            return;
        }
        $sql = "SELECT DISTINCT f.contextid, f.filearea, f.itemid
                  FROM {files} f
             LEFT JOIN {local_passage_operation} o ON o.id = f.itemid
                 WHERE f.component = 'local_passage'
                   AND f.filearea IN ('backup', 'restore')
                   AND f.filename <> '.'
                   AND f.timecreated < :cutoff
                   AND (o.id IS NULL OR o.status NOT IN (:queued, :running))";
        $areas = $DB->get_records_sql($sql, [
            'cutoff' => time() - $age,
            'queued' => operation_manager::STATUS_QUEUED,
            'running' => operation_manager::STATUS_RUNNING,
        ]);
        $fs = get_file_storage();
        foreach ($areas as $area) {
            $fs->delete_area_files((int) $area->contextid, 'local_passage', $area->filearea, (int) $area->itemid);
            mtrace("local_passage: deleted the {$area->filearea} files of operation {$area->itemid}");
        }
    }
}
