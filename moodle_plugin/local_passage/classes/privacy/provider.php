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

namespace local_passage\privacy;

use core_privacy\local\metadata\collection;
use core_privacy\local\request\approved_contextlist;
use core_privacy\local\request\approved_userlist;
use core_privacy\local\request\contextlist;
use core_privacy\local\request\transform;
use core_privacy\local\request\userlist;
use core_privacy\local\request\writer;

/**
 * Privacy provider: Passage records who asked for each backup, reset or restore of a course.
 *
 * The operations are an audit trail of what happened to a course and the restore records stop a
 * second restore. Deleting a user's data therefore detaches the records from the user (userid 0)
 * instead of deleting them. The backup files themselves belong to the course context and go
 * with the course.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class provider implements
    \core_privacy\local\metadata\provider,
    \core_privacy\local\request\plugin\provider,
    \core_privacy\local\request\core_userlist_provider {
    /** @var string[] Tables holding a userid. */
    private const TABLES = ['local_passage_operation', 'local_passage_restore'];

    /**
     * What the plugin stores about users.
     *
     * @param collection $collection the collection to fill
     * @return collection
     */
    public static function get_metadata(collection $collection): collection {
        $collection->add_database_table('local_passage_operation', [
            'userid' => 'privacy:metadata:operation:userid',
            'type' => 'privacy:metadata:operation:type',
            'courseid' => 'privacy:metadata:operation:courseid',
            'params' => 'privacy:metadata:operation:params',
            'status' => 'privacy:metadata:operation:status',
            'timecreated' => 'privacy:metadata:operation:timecreated',
        ], 'privacy:metadata:operation');
        $collection->add_database_table('local_passage_restore', [
            'userid' => 'privacy:metadata:restore:userid',
            'courseid' => 'privacy:metadata:restore:courseid',
            'timerestored' => 'privacy:metadata:restore:timerestored',
        ], 'privacy:metadata:restore');
        return $collection;
    }

    /**
     * Course contexts where the user asked for an operation.
     *
     * @param int $userid user id
     * @return contextlist
     */
    public static function get_contexts_for_userid(int $userid): contextlist {
        $contextlist = new contextlist();
        foreach (self::TABLES as $table) {
            $contextlist->add_from_sql("SELECT ctx.id
                                          FROM {context} ctx
                                          JOIN {{$table}} t ON t.courseid = ctx.instanceid AND ctx.contextlevel = :level
                                         WHERE t.userid = :userid", ['level' => CONTEXT_COURSE, 'userid' => $userid]);
        }
        return $contextlist;
    }

    /**
     * Users who asked for operations in a course context.
     *
     * @param userlist $userlist the list to fill
     */
    public static function get_users_in_context(userlist $userlist) {
        $context = $userlist->get_context();
        if (!$context instanceof \context_course) {
            return;
        }
        foreach (self::TABLES as $table) {
            $userlist->add_from_sql('userid', "SELECT userid FROM {{$table}} WHERE courseid = :courseid",
                ['courseid' => $context->instanceid]);
        }
    }

    /**
     * Exports the operations the user asked for.
     *
     * @param approved_contextlist $contextlist approved contexts
     */
    public static function export_user_data(approved_contextlist $contextlist) {
        global $DB;
        $userid = $contextlist->get_user()->id;
        foreach ($contextlist->get_contexts() as $context) {
            if (!$context instanceof \context_course) {
                continue;
            }
            $operations = $DB->get_records('local_passage_operation',
                ['userid' => $userid, 'courseid' => $context->instanceid], 'id');
            $data = array_values(array_map(fn($op) => [
                'type' => $op->type,
                'status' => $op->status,
                'params' => $op->params,
                'timecreated' => transform::datetime($op->timecreated),
                'timefinished' => $op->timefinished ? transform::datetime($op->timefinished) : '',
            ], $operations));
            if ($data) {
                writer::with_context($context)->export_data(
                    [get_string('pluginname', 'local_passage')], (object) ['operations' => $data]);
            }
        }
    }

    /**
     * Detaches every record of a course context from its users.
     *
     * @param \context $context the context
     */
    public static function delete_data_for_all_users_in_context(\context $context) {
        global $DB;
        if (!$context instanceof \context_course) {
            return;
        }
        foreach (self::TABLES as $table) {
            $DB->set_field($table, 'userid', 0, ['courseid' => $context->instanceid]);
        }
    }

    /**
     * Detaches the user's records in the approved contexts.
     *
     * @param approved_contextlist $contextlist approved contexts
     */
    public static function delete_data_for_user(approved_contextlist $contextlist) {
        global $DB;
        $userid = $contextlist->get_user()->id;
        foreach ($contextlist->get_contexts() as $context) {
            if (!$context instanceof \context_course) {
                continue;
            }
            foreach (self::TABLES as $table) {
                $DB->set_field($table, 'userid', 0, ['courseid' => $context->instanceid, 'userid' => $userid]);
            }
        }
    }

    /**
     * Detaches the records of the approved users in one context.
     *
     * @param approved_userlist $userlist approved users
     */
    public static function delete_data_for_users(approved_userlist $userlist) {
        global $DB;
        $context = $userlist->get_context();
        if (!$context instanceof \context_course || !$userlist->get_userids()) {
            return;
        }
        [$usersql, $userparams] = $DB->get_in_or_equal($userlist->get_userids(), SQL_PARAMS_NAMED);
        foreach (self::TABLES as $table) {
            $DB->set_field_select($table, 'userid', 0, "courseid = :courseid AND userid $usersql",
                ['courseid' => $context->instanceid] + $userparams);
        }
    }
}
