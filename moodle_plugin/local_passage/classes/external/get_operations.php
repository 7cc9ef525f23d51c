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

    /** @var int The longest a call waits for a change, in seconds. */
    public const LONGEST_WAIT = 30;

    /** @var int Microseconds between two looks at the operations while a call waits. */
    private const LOOK_INTERVAL = 50000;

    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'ids' => new external_multiple_structure(new external_value(PARAM_INT, 'Operation id')),
            'waitseconds' => new external_value(PARAM_INT,
                'Answer when one of the operations changes status or progress, or after this many seconds '
                . '(at most ' . self::LONGEST_WAIT . '); 0 answers at once', VALUE_DEFAULT, 0),
        ]);
    }

    /**
     * The operations the user may see; a warning for each other id.
     *
     * With waitseconds, the answer comes as soon as one of the operations that is queued or
     * running changes status or progress, so that the caller sees an operation end when it ends
     * instead of at its next look.
     *
     * @param int[] $ids operation ids
     * @param int $waitseconds how long to wait for a change
     * @return array operations and warnings
     */
    public static function execute(array $ids, int $waitseconds = 0): array {
        global $DB;
        $params = self::validate_parameters(self::execute_parameters(),
            ['ids' => $ids, 'waitseconds' => $waitseconds]);
        self::validate_context(\context_system::instance());

        $visible = [];
        $warnings = [];
        foreach (array_unique($params['ids']) as $id) {
            $operation = $DB->get_record('local_passage_operation', ['id' => $id], 'id, type, courseid');
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
            $visible[] = $id;
        }
        $wait = max(0, min(self::LONGEST_WAIT, $params['waitseconds']));
        if ($wait > 0 && $visible) {
            self::wait_for_change($visible, microtime(true) + $wait);
        }
        $operations = [];
        foreach ($visible as $id) {
            $operations[] = operation_manager::export(operation_manager::settle_if_interrupted(operation_manager::get($id)));
        }
        return ['operations' => $operations, 'warnings' => $warnings];
    }

    /**
     * Returns once one of the operations that is queued or running changes status or progress,
     * or none is queued or running, or at $until.
     *
     * @param int[] $ids operation ids
     * @param float $until the latest time to return, as microtime(true)
     */
    private static function wait_for_change(array $ids, float $until): void {
        global $DB;
        $unfinished = [operation_manager::STATUS_QUEUED, operation_manager::STATUS_RUNNING];
        $watched = null;
        while (true) {
            $states = [];
            $records = $DB->get_records_list('local_passage_operation', 'id', $ids, '', 'id, status, progress');
            foreach ($records as $record) {
                if ($watched === null && !in_array($record->status, $unfinished)) {
                    continue;
                }
                $states[$record->id] = $record->status . ' ' . (float) $record->progress;
            }
            $watched ??= $states;
            if (!$watched || array_diff_assoc($watched, $states) || microtime(true) >= $until) {
                return;
            }
            usleep(self::LOOK_INTERVAL);
        }
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
