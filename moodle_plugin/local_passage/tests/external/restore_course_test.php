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
use local_passage\passage_testcase;

defined('MOODLE_INTERNAL') || die();

global $CFG;
require_once($CFG->dirroot . '/local/passage/tests/passage_testcase.php');

/**
 * Tests of local_passage_restore_course.
 *
 * @package    local_passage
 * @category   external
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers     \local_passage\external\restore_course
 * @covers     \local_passage\local\restore_runner
 */
final class restore_course_test extends passage_testcase {
    /**
     * Module names of a course, sorted, to compare two courses.
     *
     * @param int $courseid course id
     * @return string[] modname:name
     */
    private static function module_names(int $courseid): array {
        $names = array_map(fn($cm) => $cm->modname . ':' . $cm->name, get_fast_modinfo($courseid)->get_cms());
        sort($names);
        return array_values($names);
    }

    public function test_restore_into_an_empty_course_reproduces_the_modules(): void {
        global $DB;
        $this->resetAfterTest();
        $this->setAdminUser();
        $generator = $this->getDataGenerator();
        $source = $generator->create_course();
        $generator->create_module('page', ['course' => $source->id, 'name' => 'Syllabus']);
        $generator->create_module('forum', ['course' => $source->id, 'name' => 'Questions']);
        $target = $generator->create_course();
        $draftitemid = $this->backup_into_draft_area($this->backup_inline($source->id, 'src'));

        $result = external_api::clean_returnvalue(restore_course::execute_returns(),
            restore_course::execute($target->id, $draftitemid, 'delete', [['name' => 'users', 'value' => '0']], 1,
                'restore-1', 1));

        $this->assertSame('success', $result['status'], $result['error']['message']);
        $this->assertSame((int) $target->id, $result['result']['restoredcourseid']);
        rebuild_course_cache($target->id, true);
        $this->assertSame(self::module_names($source->id), self::module_names($target->id));
        $this->assertTrue($DB->record_exists('local_passage_restore', ['courseid' => $target->id,
            'operationid' => $result['id']]));

        // A retry with the same key gets the operation back rather than a refusal.
        $again = restore_course::execute($target->id, $draftitemid, 'delete', [], 1, 'restore-1', 1);
        $this->assertSame($result['id'], $again['id']);
    }

    public function test_a_second_restore_into_the_same_course_is_refused(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $generator = $this->getDataGenerator();
        $source = $generator->create_course();
        $generator->create_module('page', ['course' => $source->id]);
        $target = $generator->create_course();
        $draftitemid = $this->backup_into_draft_area($this->backup_inline($source->id, 'src'));
        restore_course::execute($target->id, $draftitemid, 'delete', [], 0, 'restore-a', 1);

        $this->expectExceptionMessage(get_string('alreadyrestored', 'local_passage', $target->id));
        restore_course::execute($target->id, $draftitemid, 'delete', [], 0, 'restore-b', 1);
    }

    public function test_a_course_with_activities_is_refused_when_an_empty_one_is_expected(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $generator = $this->getDataGenerator();
        $source = $generator->create_course();
        $target = $generator->create_course();
        $generator->create_module('page', ['course' => $target->id]);
        $draftitemid = $this->backup_into_draft_area($this->backup_inline($source->id, 'src'));

        $this->expectExceptionMessage(get_string('coursenotempty', 'local_passage', $target->id));
        restore_course::execute($target->id, $draftitemid, 'delete', [], 1, 'restore-full', 1);
    }

    public function test_a_news_forum_alone_does_not_make_a_course_non_empty(): void {
        $this->resetAfterTest();
        $generator = $this->getDataGenerator();
        $course = $generator->create_course();
        $generator->create_module('forum', ['course' => $course->id, 'type' => 'news']);

        $this->assertFalse(\local_passage\local\restore_runner::course_has_activities($course->id));
    }

    public function test_a_draft_area_without_a_backup_file_is_refused(): void {
        global $DB;
        $this->resetAfterTest();
        $this->setAdminUser();
        $target = $this->getDataGenerator()->create_course();

        try {
            restore_course::execute($target->id, file_get_unused_draft_itemid(), 'delete', [], 1, 'restore-nofile', 1);
            $this->fail('A restore without a file was accepted');
        } catch (\moodle_exception $e) {
            $this->assertSame('nobackupfile', $e->errorcode);
        }
        $this->assertSame(0, $DB->count_records('local_passage_operation'));
    }

    public function test_a_teacher_without_the_passage_capability_is_refused(): void {
        $this->resetAfterTest();
        $course = $this->getDataGenerator()->create_course();
        $this->setUser($this->getDataGenerator()->create_and_enrol($course, 'editingteacher'));

        $this->expectException(\required_capability_exception::class);
        restore_course::execute($course->id, 1, 'delete', [], 1, 'restore-teacher', 1);
    }
}
