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

use stdClass;

/**
 * Cohort sync enrolment instances of a course: list, add (and synchronise), remove.
 *
 * No core web service can do this, and the portal swaps last year's cohorts for next year's.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class cohort_sync {
    /**
     * The cohort sync instances of a course.
     *
     * @param int $courseid course id
     * @return array[] cohortsync structures
     */
    public static function list(int $courseid): array {
        global $DB;
        $instances = $DB->get_records('enrol', ['courseid' => $courseid, 'enrol' => 'cohort'], 'id');
        return array_values(array_map([self::class, 'export'], $instances));
    }

    /**
     * Adds a cohort sync instance and enrols the cohort's members at once. The same cohort twice
     * returns the existing instance.
     *
     * @param stdClass $course the course
     * @param string $cohortidnumber the cohort's idnumber
     * @param string $roleshortname role given to the members
     * @param int $groupid group the members are put in (0: none)
     * @return array{0: array, 1: bool} the instance and whether it was created
     */
    public static function add(stdClass $course, string $cohortidnumber, string $roleshortname, int $groupid): array {
        global $DB;
        $context = \context_course::instance($course->id);

        $cohort = $cohortidnumber === '' ? null : $DB->get_record('cohort', ['idnumber' => $cohortidnumber]);
        if (!$cohort || !self::cohort_reaches($cohort, $context)) {
            throw new \moodle_exception('cohortnotfound', 'local_passage', '', $cohortidnumber);
        }
        $existing = $DB->get_record('enrol', ['courseid' => $course->id, 'enrol' => 'cohort', 'customint1' => $cohort->id],
            '*', IGNORE_MULTIPLE);
        if ($existing) {
            return [self::export($existing), false];
        }

        $role = $DB->get_record('role', ['shortname' => $roleshortname]);
        if (!$role || !array_key_exists($role->id, get_assignable_roles($context))) {
            throw new \moodle_exception('invalidrole', 'local_passage', '', $roleshortname);
        }
        if ($groupid && !$DB->record_exists('groups', ['id' => $groupid, 'courseid' => $course->id])) {
            throw new \moodle_exception('invalidgroup', 'local_passage', '', $groupid);
        }
        if (!enrol_is_enabled('cohort')) {
            throw new \moodle_exception('cohortsyncdisabled', 'local_passage');
        }

        // The plugin enrols the cohort's members itself (enrol_cohort_sync) once the instance exists.
        $instanceid = enrol_get_plugin('cohort')->add_instance($course, [
            'customint1' => $cohort->id,
            'roleid' => $role->id,
            'customint2' => $groupid,
            'status' => ENROL_INSTANCE_ENABLED,
        ]);
        return [self::export($DB->get_record('enrol', ['id' => $instanceid], '*', MUST_EXIST)), true];
    }

    /**
     * Removes a cohort sync instance, which unenrols the users it enrolled.
     *
     * @param int $courseid course id
     * @param int $instanceid enrolment instance id
     * @return array{removed: bool, unenrolled: int}
     */
    public static function remove(int $courseid, int $instanceid): array {
        global $DB;
        $instance = $DB->get_record('enrol', ['id' => $instanceid, 'courseid' => $courseid]);
        if (!$instance) {
            // Already gone: a retried removal does no harm.
            return ['removed' => false, 'unenrolled' => 0];
        }
        if ($instance->enrol !== 'cohort') {
            throw new \invalid_parameter_exception('Enrolment instance ' . $instanceid . ' is not a cohort sync');
        }
        $unenrolled = $DB->count_records('user_enrolments', ['enrolid' => $instance->id]);
        enrol_get_plugin('cohort')->delete_instance($instance);
        return ['removed' => true, 'unenrolled' => $unenrolled];
    }

    /**
     * One instance as the web services describe it.
     *
     * @param stdClass $instance enrol record
     * @return array cohortsync structure
     */
    public static function export(stdClass $instance): array {
        global $DB;
        $cohort = $DB->get_record('cohort', ['id' => $instance->customint1]);
        $role = $DB->get_record('role', ['id' => $instance->roleid]);
        return [
            'id' => (int) $instance->id,
            'courseid' => (int) $instance->courseid,
            'cohortid' => (int) $instance->customint1,
            'cohortidnumber' => $cohort ? (string) $cohort->idnumber : '',
            'cohortname' => $cohort ? (string) $cohort->name : '',
            'roleid' => (int) $instance->roleid,
            'roleshortname' => $role ? (string) $role->shortname : '',
            'groupid' => (int) $instance->customint2,
            'status' => (int) $instance->status,
            'users' => $DB->count_records('user_enrolments', ['enrolid' => $instance->id]),
        ];
    }

    /**
     * Whether a cohort may be synced into a course: it lives in the system context or in a
     * category above the course, as the cohort enrolment form requires.
     *
     * @param stdClass $cohort cohort record
     * @param \context_course $context the course context
     * @return bool
     */
    private static function cohort_reaches(stdClass $cohort, \context_course $context): bool {
        return in_array((int) $cohort->contextid, array_map('intval', $context->get_parent_context_ids()), true);
    }
}
