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
use local_passage\local\inventory;

/**
 * local_passage_get_course_inventory: what a course holds, split between students and others.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class get_course_inventory extends external_api {
    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'courseid' => new external_value(PARAM_INT, 'Course id'),
        ]);
    }

    /**
     * Counts the course's content and user data.
     *
     * @param int $courseid course id
     * @return array the inventory
     */
    public static function execute(int $courseid): array {
        $params = self::validate_parameters(self::execute_parameters(), ['courseid' => $courseid]);
        $context = \context_course::instance($params['courseid']);
        self::validate_context($context);
        require_capability('local/passage:use', $context);
        require_capability('moodle/course:update', $context);
        return (new inventory(get_course($params['courseid'])))->build();
    }

    /**
     * One list of kind counts.
     *
     * @param string $what what is counted
     * @return external_multiple_structure
     */
    private static function kind_counts(string $what): external_multiple_structure {
        return new external_multiple_structure(new external_single_structure([
            'kind' => new external_value(PARAM_ALPHA, 'Kind of data'),
            'total' => new external_value(PARAM_INT, 'Rows in all'),
            'students' => new external_value(PARAM_INT, 'Rows by students or former students'),
            'others' => new external_value(PARAM_INT, 'Rows by everybody else'),
        ]), $what);
    }

    /**
     * Answer.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'course' => new external_single_structure([
                'id' => new external_value(PARAM_INT, 'Course id'),
                'shortname' => new external_value(PARAM_RAW, 'Short name'),
                'fullname' => new external_value(PARAM_RAW, 'Full name'),
                'idnumber' => new external_value(PARAM_RAW, 'ID number'),
                'categoryid' => new external_value(PARAM_INT, 'Category id'),
                'categoryname' => new external_value(PARAM_RAW, 'Category name'),
                'startdate' => new external_value(PARAM_INT, 'Start date'),
                'enddate' => new external_value(PARAM_INT, 'End date, 0 if none'),
                'visible' => new external_value(PARAM_BOOL, 'Visible to students'),
                'format' => new external_value(PARAM_PLUGIN, 'Course format'),
            ]),
            'modules' => new external_multiple_structure(new external_single_structure([
                'cmid' => new external_value(PARAM_INT, 'Course module id'),
                'modname' => new external_value(PARAM_PLUGIN, 'Module type'),
                'instance' => new external_value(PARAM_INT, 'Instance id'),
                'name' => new external_value(PARAM_RAW, 'Name'),
                'section' => new external_value(PARAM_INT, 'Section number'),
                'visible' => new external_value(PARAM_BOOL, 'Visible'),
                'resettable' => new external_value(PARAM_BOOL, 'Whether the reset page can reset it'),
                'data' => self::kind_counts('User data of the module'),
            ])),
            'coursedata' => self::kind_counts('User data of the course outside its modules'),
            'enrolments' => new external_multiple_structure(new external_single_structure([
                'id' => new external_value(PARAM_INT, 'Enrolment instance id'),
                'method' => new external_value(PARAM_PLUGIN, 'Enrolment plugin'),
                'name' => new external_value(PARAM_RAW, 'Instance name'),
                'status' => new external_value(PARAM_INT, '0 enabled, 1 disabled'),
                'roleid' => new external_value(PARAM_INT, 'Role given, 0 if none'),
                'roleshortname' => new external_value(PARAM_RAW, 'Shortname of that role'),
                'cohortid' => new external_value(PARAM_INT, 'Cohort of a cohort sync, 0 otherwise'),
                'cohortidnumber' => new external_value(PARAM_RAW, 'Its idnumber'),
                'cohortname' => new external_value(PARAM_RAW, 'Its name'),
                'groupid' => new external_value(PARAM_INT, 'Group of a cohort sync, 0 otherwise'),
                'users' => new external_value(PARAM_INT, 'Users enrolled through the instance'),
            ])),
            'roles' => new external_multiple_structure(new external_single_structure([
                'roleid' => new external_value(PARAM_INT, 'Role id'),
                'shortname' => new external_value(PARAM_RAW, 'Shortname'),
                'archetype' => new external_value(PARAM_RAW, 'Archetype'),
                'users' => new external_value(PARAM_INT, 'Users holding it in the course'),
            ])),
            'groups' => new external_multiple_structure(new external_single_structure([
                'id' => new external_value(PARAM_INT, 'Group id'),
                'name' => new external_value(PARAM_RAW, 'Name'),
                'idnumber' => new external_value(PARAM_RAW, 'ID number'),
                'members' => new external_value(PARAM_INT, 'Members'),
            ])),
            'groupings' => new external_multiple_structure(new external_single_structure([
                'id' => new external_value(PARAM_INT, 'Grouping id'),
                'name' => new external_value(PARAM_RAW, 'Name'),
                'groups' => new external_value(PARAM_INT, 'Groups in it'),
            ])),
            'gradebook' => new external_single_structure([
                'categories' => new external_value(PARAM_INT, 'Grade categories'),
                'manualitems' => new external_value(PARAM_INT, 'Grade items added by hand'),
                'activityitems' => new external_value(PARAM_INT, 'Grade items of activities'),
                'grades' => new external_value(PARAM_INT, 'Grades with a value'),
                'studentgrades' => new external_value(PARAM_INT, 'Grades with a value of students'),
            ]),
            'restore' => new external_single_structure([
                'restored' => new external_value(PARAM_BOOL, 'Whether Passage restored a backup into the course'),
                'timerestored' => new external_value(PARAM_INT, 'When, 0 if never'),
                'operationid' => new external_value(PARAM_INT, 'Restore operation, 0 if none'),
            ]),
            'timegenerated' => new external_value(PARAM_INT, 'Time of the counts'),
        ]);
    }
}
