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
 * Tests of local_passage_backup_course.
 *
 * @package    local_passage
 * @category   external
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers     \local_passage\external\backup_course
 * @covers     \local_passage\local\backup_runner
 * @covers     \local_passage\local\operation_manager
 */
final class backup_course_test extends passage_testcase {
    public function test_inline_backup_stores_the_file_under_the_operation(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $data = $this->course_with_forum_posts();

        $operation = $this->backup_inline($data['course']->id, 'backup-1');

        $this->assertSame('success', $operation['status']);
        $this->assertSame('backup', $operation['type']);
        $this->assertEquals(1, $operation['progress']);
        $this->assertStringEndsWith('.mbz', $operation['result']['filename']);
        $context = \context_course::instance($data['course']->id);
        $file = get_file_storage()->get_file($context->id, 'local_passage', 'backup', $operation['id'], '/',
            $operation['result']['filename']);
        $this->assertNotFalse($file);
        $this->assertSame($file->get_contenthash(), $operation['result']['contenthash']);
        $this->assertSame(sha1($file->get_content()), $operation['result']['contenthash']);
        $this->assertEquals($file->get_filesize(), $operation['result']['filesize']);
        $this->assertStringContainsString('/webservice/pluginfile.php/' . $context->id . '/local_passage/backup/'
            . $operation['id'] . '/', $operation['result']['fileurl']);
        // Core's backup area is left empty: the file was moved, not copied.
        $this->assertEmpty(get_file_storage()->get_area_files($context->id, 'backup', 'course', false, 'id', false));
    }

    public function test_the_same_key_returns_the_same_operation_without_a_second_backup(): void {
        global $DB;
        $this->resetAfterTest();
        $this->setAdminUser();
        $course = $this->getDataGenerator()->create_course();

        $first = $this->backup_inline($course->id, 'backup-twice');
        $second = $this->backup_inline($course->id, 'backup-twice');

        $this->assertSame($first['id'], $second['id']);
        $this->assertSame($first['result']['contenthash'], $second['result']['contenthash']);
        $this->assertSame(1, $DB->count_records('local_passage_operation'));
    }

    public function test_a_queued_backup_runs_in_the_adhoc_task(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $course = $this->getDataGenerator()->create_course();

        $result = external_api::clean_returnvalue(backup_course::execute_returns(),
            backup_course::execute($course->id, 0, 0, 'queued-1', 0));
        $this->assertSame('queued', $result['status']);
        $this->runAdhocTasks(\local_passage\task\run_operation::class);

        $operation = \local_passage\local\operation_manager::get($result['id']);
        $this->assertSame('success', $operation->status);
    }

    public function test_a_key_used_for_another_course_is_a_conflict(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $first = $this->getDataGenerator()->create_course();
        $second = $this->getDataGenerator()->create_course();
        $this->backup_inline($first->id, 'shared-key');

        $this->expectException(\moodle_exception::class);
        $this->expectExceptionMessage(get_string('keyconflict', 'local_passage',
            (object) ['key' => 'shared-key', 'type' => 'backup', 'courseid' => $first->id]));
        backup_course::execute($second->id, 0, 0, 'shared-key', 1);
    }

    public function test_a_teacher_without_the_passage_capability_is_refused(): void {
        $this->resetAfterTest();
        $course = $this->getDataGenerator()->create_course();
        $teacher = $this->getDataGenerator()->create_and_enrol($course, 'editingteacher');
        $this->setUser($teacher);

        $this->expectException(\required_capability_exception::class);
        backup_course::execute($course->id, 0, 0, 'teacher-key', 1);
    }

    public function test_a_flag_other_than_0_or_1_is_refused(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $course = $this->getDataGenerator()->create_course();

        $this->expectException(\invalid_parameter_exception::class);
        backup_course::execute($course->id, 2, 0, 'bad-flag', 1);
    }
}
