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
use local_passage\local\cohort_sync;

/**
 * local_passage_remove_cohort_sync: remove a cohort sync instance, unenrolling its users.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class remove_cohort_sync extends external_api {
    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'courseid' => new external_value(PARAM_INT, 'Course id'),
            'instanceid' => new external_value(PARAM_INT, 'Cohort sync enrolment instance id'),
        ]);
    }

    /**
     * Removes the instance; an instance already gone is not an error.
     *
     * @param int $courseid course id
     * @param int $instanceid enrolment instance id
     * @return array removed and unenrolled
     */
    public static function execute(int $courseid, int $instanceid): array {
        $params = self::validate_parameters(self::execute_parameters(), [
            'courseid' => $courseid, 'instanceid' => $instanceid,
        ]);
        $context = \context_course::instance($params['courseid']);
        self::validate_context($context);
        require_capability('local/passage:use', $context);
        require_capability('moodle/course:enrolconfig', $context);
        require_capability('enrol/cohort:config', $context);
        return cohort_sync::remove($params['courseid'], $params['instanceid']);
    }

    /**
     * Answer.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'removed' => new external_value(PARAM_BOOL, 'False when the instance was already gone'),
            'unenrolled' => new external_value(PARAM_INT, 'Users unenrolled with it'),
        ]);
    }
}
