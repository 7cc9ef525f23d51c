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
use core_external\external_multiple_structure;
use core_external\external_single_structure;
use core_external\external_value;
use core_external\external_warnings;
use local_passage\local\operation_manager;

/**
 * local_passage_get_operations: status, progress and result of operations.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class get_operations extends external_api {
    /** @var array<string, string> Capability needed to see an operation, by type. */
    private const TYPE_CAPABILITY = [
        operation_manager::TYPE_BACKUP => 'moodle/backup:backupcourse',
        operation_manager::TYPE_RESET => 'moodle/course:reset',
        operation_manager::TYPE_RESTORE => 'moodle/restore:restorecourse',
    ];

    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'ids' => new external_multiple_structure(new external_value(PARAM_INT, 'Operation id')),
        ]);
    }

    /**
     * The operations the user may see; a warning for each other id.
     *
     * @param int[] $ids operation ids
     * @return array operations and warnings
     */
    public static function execute(array $ids): array {
        global $DB;
        $params = self::validate_parameters(self::execute_parameters(), ['ids' => $ids]);
        self::validate_context(\context_system::instance());

        $operations = [];
        $warnings = [];
        foreach (array_unique($params['ids']) as $id) {
            $operation = $DB->get_record('local_passage_operation', ['id' => $id]);
            $context = $operation ? \context_course::instance($operation->courseid, IGNORE_MISSING) : null;
            if (!$context || !has_capability('local/passage:use', $context)
                    || !has_capability(self::TYPE_CAPABILITY[$operation->type], $context)) {
                $warnings[] = [
                    'item' => 'operation',
                    'itemid' => $id,
                    'warningcode' => 'notfound',
                    'message' => get_string('operationnotfound', 'local_passage', $id),
                ];
                continue;
            }
            $operations[] = operation_manager::export(operation_manager::settle_if_interrupted($operation));
        }
        return ['operations' => $operations, 'warnings' => $warnings];
    }

    /**
     * Answer.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'operations' => new external_multiple_structure(structures::operation()),
            'warnings' => new external_warnings(),
        ]);
    }
}
