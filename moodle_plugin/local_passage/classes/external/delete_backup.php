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

namespace local_passage\external;

use core_external\external_api;
use core_external\external_function_parameters;
use core_external\external_single_structure;
use core_external\external_value;
use local_passage\local\operation_manager;

/**
 * local_passage_delete_backup: remove the file a backup operation produced, once the portal
 * holds a verified copy of it. Calling it again answers deleted = 0.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class delete_backup extends external_api {
    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'operationid' => new external_value(PARAM_INT, 'The backup operation whose file to delete'),
        ]);
    }

    /**
     * Deletes the backup file of the operation, if it is still there.
     *
     * @param int $operationid backup operation id
     * @return array operationid, deleted, bytes
     */
    public static function execute(int $operationid): array {
        global $DB;
        $params = self::validate_parameters(self::execute_parameters(), ['operationid' => $operationid]);
        $operation = $DB->get_record('local_passage_operation',
            ['id' => $params['operationid'], 'type' => operation_manager::TYPE_BACKUP]);
        if (!$operation) {
            throw new \moodle_exception('operationnotfound', 'local_passage', '', $params['operationid']);
        }
        $context = operation_call::course_context((int) $operation->courseid);
        self::validate_context($context);
        require_capability('local/passage:use', $context);
        require_capability('moodle/backup:backupcourse', $context);
        if (in_array($operation->status, [operation_manager::STATUS_QUEUED, operation_manager::STATUS_RUNNING], true)) {
            throw new \moodle_exception('backupnotfinished', 'local_passage', '', $params['operationid']);
        }

        $fs = get_file_storage();
        $files = $fs->get_area_files($context->id, 'local_passage', 'backup', (int) $operation->id, 'id', false);
        $bytes = 0;
        foreach ($files as $file) {
            $bytes += (int) $file->get_filesize();
        }
        $fs->delete_area_files($context->id, 'local_passage', 'backup', (int) $operation->id);
        return ['operationid' => (int) $operation->id, 'deleted' => $files ? 1 : 0, 'bytes' => $bytes];
    }

    /**
     * Answer.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'operationid' => new external_value(PARAM_INT, 'The backup operation'),
            'deleted' => new external_value(PARAM_INT, '1 if a file was deleted now, 0 if none was left'),
            'bytes' => new external_value(PARAM_INT, 'Size of what was deleted'),
        ]);
    }
}
