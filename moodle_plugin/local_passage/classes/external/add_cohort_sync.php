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
 * local_passage_add_cohort_sync: enrol a cohort into a course through a cohort sync instance.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class add_cohort_sync extends external_api {
    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'courseid' => new external_value(PARAM_INT, 'Course id'),
            'cohortidnumber' => new external_value(PARAM_RAW_TRIMMED, 'ID number of the cohort'),
            'roleshortname' => new external_value(PARAM_ALPHANUMEXT, 'Role given to the members', VALUE_DEFAULT, 'student'),
            'groupid' => new external_value(PARAM_INT, 'Group of the course to put the members in, 0 for none',
                VALUE_DEFAULT, 0),
        ]);
    }

    /**
     * Adds the instance, or returns the existing one for this cohort.
     *
     * @param int $courseid course id
     * @param string $cohortidnumber cohort idnumber
     * @param string $roleshortname role shortname
     * @param int $groupid group id or 0
     * @return array instance and created
     */
    public static function execute(int $courseid, string $cohortidnumber, string $roleshortname = 'student',
            int $groupid = 0): array {
        $params = self::validate_parameters(self::execute_parameters(), [
            'courseid' => $courseid, 'cohortidnumber' => $cohortidnumber, 'roleshortname' => $roleshortname,
            'groupid' => $groupid,
        ]);
        $context = \context_course::instance($params['courseid']);
        self::validate_context($context);
        require_capability('local/passage:use', $context);
        require_capability('moodle/course:enrolconfig', $context);
        require_capability('enrol/cohort:config', $context);

        [$instance, $created] = cohort_sync::add(get_course($params['courseid']), $params['cohortidnumber'],
            $params['roleshortname'], $params['groupid']);
        return ['instance' => $instance, 'created' => $created];
    }

    /**
     * Answer.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'instance' => structures::cohort_sync(),
            'created' => new external_value(PARAM_BOOL, 'False when the cohort was already synced'),
        ]);
    }
}
