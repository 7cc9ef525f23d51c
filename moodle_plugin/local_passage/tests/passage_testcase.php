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

namespace local_passage;

use core_external\external_api;

defined('MOODLE_INTERNAL') || die();

global $CFG;
require_once($CFG->dirroot . '/webservice/tests/helpers.php');

/**
 * Shared set-up of the Passage web-service tests.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
abstract class passage_testcase extends \externallib_advanced_testcase {
    /**
     * A course with a forum holding a student's discussion and a teacher's discussion.
     *
     * @return array{course: \stdClass, forum: \stdClass, student: \stdClass, teacher: \stdClass}
     */
    protected function course_with_forum_posts(): array {
        $generator = $this->getDataGenerator();
        $course = $generator->create_course();
        $student = $generator->create_and_enrol($course, 'student');
        $teacher = $generator->create_and_enrol($course, 'editingteacher');
        $forum = $generator->create_module('forum', ['course' => $course->id, 'type' => 'general']);
        $forumgenerator = $generator->get_plugin_generator('mod_forum');
        foreach ([$student, $teacher] as $author) {
            $forumgenerator->create_discussion(['course' => $course->id, 'forum' => $forum->id, 'userid' => $author->id]);
        }
        return ['course' => $course, 'forum' => $forum, 'student' => $student, 'teacher' => $teacher];
    }

    /**
     * Backs up a course through the web service, inline, and returns the operation.
     *
     * @param int $courseid course id
     * @param string $key idempotency key
     * @return array the operation
     */
    protected function backup_inline(int $courseid, string $key): array {
        $result = external\backup_course::execute($courseid, 0, 0, $key, 1);
        return external_api::clean_returnvalue(external\backup_course::execute_returns(), $result);
    }

    /**
     * Copies the backup file of an operation into a new draft area of the current user.
     *
     * @param array $operation a finished backup operation
     * @return int the draft item id
     */
    protected function backup_into_draft_area(array $operation): int {
        global $USER;
        $fs = get_file_storage();
        $context = \context_course::instance($operation['courseid']);
        $file = $fs->get_file($context->id, 'local_passage', 'backup', $operation['id'], '/',
            $operation['result']['filename']);
        $draftitemid = file_get_unused_draft_itemid();
        $fs->create_file_from_storedfile([
            'contextid' => \context_user::instance($USER->id)->id,
            'component' => 'user',
            'filearea' => 'draft',
            'itemid' => $draftitemid,
            'filepath' => '/',
            'filename' => 'course.mbz',
        ], $file);
        return $draftitemid;
    }
}
