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
use local_passage\local\reset_options;

/**
 * local_passage_reset_course: reset a course as the course reset page does.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class reset_course extends external_api {
    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'courseid' => new external_value(PARAM_INT, 'Course to reset'),
            'options' => structures::name_values('Fields of the course reset form; multi-selects comma-separated', true),
            'key' => structures::key(),
            'runinline' => structures::runinline(),
        ]);
    }

    /**
     * Creates the reset operation, or returns the one already created with this key.
     *
     * @param int $courseid course id
     * @param array $options name/value list
     * @param string $key idempotency key
     * @param int $runinline do the work inside this request
     * @return array the operation
     */
    public static function execute(int $courseid, array $options = [], string $key = '', int $runinline = 0): array {
        $params = self::validate_parameters(self::execute_parameters(), [
            'courseid' => $courseid, 'options' => $options, 'key' => $key, 'runinline' => $runinline,
        ]);
        operation_call::validate_flag('runinline', $params['runinline']);
        operation_call::validate_key($params['key']);

        $context = operation_call::course_context($params['courseid']);
        self::validate_context($context);
        require_capability('local/passage:use', $context);
        require_capability('moodle/course:reset', $context);

        $type = operation_manager::TYPE_RESET;
        $operation = operation_manager::find_by_key($params['key'], $type, $params['courseid']);
        if (!$operation) {
            // Refuses unknown option names now, not later in the task.
            reset_options::to_reset_data(get_course($params['courseid']), $params['options']);
            [$operation, $created] = operation_manager::create($params['key'], $type, $params['courseid'], [
                'options' => $params['options'],
            ]);
            if ($created) {
                $operation = operation_manager::dispatch($operation, (bool) $params['runinline']);
            }
        }
        return operation_manager::export($operation);
    }

    /**
     * Answer.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return structures::operation();
    }
}
