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

/**
 * Web-service functions of the Passage companion plugin and the "Passage" external service.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$functions = [
    'local_passage_backup_course' => [
        'classname' => \local_passage\external\backup_course::class,
        'description' => 'Back up a course into the Passage file area (queued, or run at once).',
        'type' => 'write',
        'capabilities' => 'local/passage:use, moodle/backup:backupcourse',
    ],
    'local_passage_reset_course' => [
        'classname' => \local_passage\external\reset_course::class,
        'description' => 'Reset a course with the options of the course reset form (queued, or run at once).',
        'type' => 'write',
        'capabilities' => 'local/passage:use, moodle/course:reset',
    ],
    'local_passage_restore_course' => [
        'classname' => \local_passage\external\restore_course::class,
        'description' => 'Restore an uploaded .mbz file into an existing course (queued, or run at once).',
        'type' => 'write',
        'capabilities' => 'local/passage:use, moodle/restore:restorecourse',
    ],
    'local_passage_delete_backup' => [
        'classname' => \local_passage\external\delete_backup::class,
        'description' => 'Delete the file of a finished backup operation (the portal holds a verified copy).',
        'type' => 'write',
        'capabilities' => 'local/passage:use, moodle/backup:backupcourse',
    ],
    'local_passage_get_site_limits' => [
        'classname' => \local_passage\external\get_site_limits::class,
        'description' => 'Largest file the site accepts through webservice/upload.php, and whether a restore can fetch a URL.',
        'type' => 'read',
        'capabilities' => 'local/passage:use',
    ],
    'local_passage_get_operations' => [
        'classname' => \local_passage\external\get_operations::class,
        'description' => 'Status, progress and result of Passage operations.',
        'type' => 'read',
        'capabilities' => 'local/passage:use',
    ],
    'local_passage_get_course_inventory' => [
        'classname' => \local_passage\external\get_course_inventory::class,
        'description' => 'Counts of the user data a course holds, split between students and others.',
        'type' => 'read',
        'capabilities' => 'local/passage:use, moodle/course:update',
    ],
    'local_passage_list_cohort_syncs' => [
        'classname' => \local_passage\external\list_cohort_syncs::class,
        'description' => 'Cohort sync enrolment instances of a course.',
        'type' => 'read',
        'capabilities' => 'local/passage:use, moodle/course:enrolreview',
    ],
    'local_passage_add_cohort_sync' => [
        'classname' => \local_passage\external\add_cohort_sync::class,
        'description' => 'Add a cohort sync enrolment instance to a course and synchronise it.',
        'type' => 'write',
        'capabilities' => 'local/passage:use, moodle/course:enrolconfig, enrol/cohort:config',
    ],
    'local_passage_remove_cohort_sync' => [
        'classname' => \local_passage\external\remove_cohort_sync::class,
        'description' => 'Remove a cohort sync enrolment instance from a course, unenrolling its users.',
        'type' => 'write',
        'capabilities' => 'local/passage:use, moodle/course:enrolconfig, enrol/cohort:config',
    ],
    'local_passage_get_quiz_attempts' => [
        'classname' => \local_passage\external\get_quiz_attempts::class,
        'description' => 'Every attempt at a quiz, those of users no longer enrolled included.',
        'type' => 'read',
        'capabilities' => 'local/passage:use, mod/quiz:viewreports',
    ],
    'local_passage_ensure_news_forum' => [
        'classname' => \local_passage\external\ensure_news_forum::class,
        'description' => 'The announcements forum of a course, created as Moodle does when it has none yet.',
        'type' => 'write',
        'capabilities' => 'local/passage:use, moodle/course:manageactivities',
    ],
    'local_passage_get_content_fingerprint' => [
        'classname' => \local_passage\external\get_content_fingerprint::class,
        'description' => 'One SHA-1 of what a course is made of, to tell whether it changed since a backup.',
        'type' => 'read',
        'capabilities' => 'local/passage:use, moodle/backup:backupcourse',
    ],
];

$services = [
    'Passage' => [
        'shortname' => 'passage',
        'functions' => [
            'local_passage_backup_course',
            'local_passage_reset_course',
            'local_passage_restore_course',
            'local_passage_delete_backup',
            'local_passage_get_site_limits',
            'local_passage_get_operations',
            'local_passage_get_course_inventory',
            'local_passage_list_cohort_syncs',
            'local_passage_add_cohort_sync',
            'local_passage_remove_cohort_sync',
            'local_passage_get_quiz_attempts',
            'local_passage_ensure_news_forum',
            'local_passage_get_content_fingerprint',
            'core_webservice_get_site_info',
            'core_course_get_courses',
            'core_course_get_courses_by_field',
            'core_course_search_courses',
            'core_course_create_courses',
            'core_course_update_courses',
            'core_course_duplicate_course',
            'core_course_import_course',
            'core_course_delete_courses',
            'core_course_get_categories',
            'core_course_create_categories',
            // Only the live test suite uses it, to remove the category it works in.
            'core_course_delete_categories',
            'core_course_get_contents',
            'core_enrol_get_enrolled_users',
            'core_enrol_get_users_courses',
            'core_enrol_get_course_enrolment_methods',
            'enrol_manual_enrol_users',
            'enrol_manual_unenrol_users',
            'core_role_assign_roles',
            'core_role_unassign_roles',
            'core_cohort_search_cohorts',
            'core_cohort_get_cohorts',
            'core_cohort_get_cohort_members',
            'core_cohort_add_cohort_members',
            // Only the live test suites use these two, to make and remove their cohorts.
            'core_cohort_create_cohorts',
            'core_cohort_delete_cohorts',
            'core_group_get_course_groups',
            'core_group_get_course_groupings',
            'core_group_create_groups',
            'core_group_add_group_members',
            'core_group_create_groupings',
            'core_group_assign_grouping',
            'gradereport_user_get_grade_items',
            'mod_forum_get_forums_by_courses',
            'mod_forum_add_discussion',
            'mod_forum_get_forum_discussions',
            'mod_forum_get_discussion_posts',
            'mod_assign_get_submissions',
            'mod_assign_get_grades',
            'mod_glossary_get_entries_by_letter',
            'mod_data_get_entries',
            'mod_wiki_get_subwikis',
            'mod_wiki_get_subwiki_pages',
            'core_calendar_get_calendar_events',
            'core_calendar_create_calendar_events',
            'core_files_get_files',
            'core_user_create_users',
        ],
        'restrictedusers' => 0,
        'enabled' => 1,
        'downloadfiles' => 1,
        'uploadfiles' => 1,
    ],
];
