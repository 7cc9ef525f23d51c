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
 * Tests of local_passage_reset_course.
 *
 * @package    local_passage
 * @category   external
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers     \local_passage\external\reset_course
 * @covers     \local_passage\local\reset_runner
 * @covers     \local_passage\local\reset_options
 */
final class reset_course_test extends passage_testcase {
    public function test_reset_deletes_posts_and_unenrols_students_but_keeps_the_forum(): void {
        global $DB;
        $this->resetAfterTest();
        $this->setAdminUser();
        $data = $this->course_with_forum_posts();
        $courseid = $data['course']->id;

        $result = external_api::clean_returnvalue(reset_course::execute_returns(), reset_course::execute($courseid, [
            ['name' => 'reset_forum_all', 'value' => '1'],
            ['name' => 'unenrol_users', 'value' => (string) $DB->get_field('role', 'id', ['shortname' => 'student'])],
            ['name' => 'reset_events', 'value' => '1'],
        ], 'reset-1', 1));

        $this->assertSame('success', $result['status']);
        $this->assertNotEmpty($result['result']['components']);
        $this->assertSame([''], array_values(array_unique(array_column($result['result']['components'], 'error'))));
        $this->assertSame(0, $DB->count_records('forum_discussions', ['forum' => $data['forum']->id]));
        $this->assertTrue($DB->record_exists('forum', ['id' => $data['forum']->id]));
        $context = \context_course::instance($courseid);
        $this->assertFalse(is_enrolled($context, $data['student']));
        $this->assertTrue(is_enrolled($context, $data['teacher']));
    }

    public function test_an_option_the_reset_form_does_not_have_is_refused_before_any_operation(): void {
        global $DB;
        $this->resetAfterTest();
        $this->setAdminUser();
        $course = $this->getDataGenerator()->create_course();

        try {
            reset_course::execute($course->id, [['name' => 'reset_everything', 'value' => '1']], 'reset-bad', 1);
            $this->fail('An unknown option was accepted');
        } catch (\invalid_parameter_exception $e) {
            $this->assertStringContainsString('reset_everything', $e->debuginfo);
        }
        $this->assertSame(0, $DB->count_records('local_passage_operation'));
    }

    public function test_multi_selects_become_arrays_and_dates_integers(): void {
        $this->resetAfterTest();
        $course = $this->getDataGenerator()->create_course(['startdate' => 1000, 'enddate' => 2000]);

        $data = \local_passage\local\reset_options::to_reset_data(get_course($course->id), [
            ['name' => 'unenrol_users', 'value' => '5, 3'],
            ['name' => 'reset_forum_types', 'value' => 'news,general'],
            ['name' => 'reset_start_date', 'value' => '1756684800'],
            ['name' => 'reset_forum_all', 'value' => '0'],
        ]);

        $this->assertSame(['5', '3'], $data->unenrol_users);
        $this->assertSame(['news', 'general'], $data->reset_forum_types);
        $this->assertSame(1756684800, $data->reset_start_date);
        $this->assertSame(0, $data->reset_forum_all);
        $this->assertSame(1000, $data->reset_start_date_old);
        $this->assertSame(2000, $data->reset_end_date_old);
        $this->assertSame((int) $course->id, $data->id);
    }

    public function test_a_teacher_without_the_passage_capability_is_refused(): void {
        $this->resetAfterTest();
        $course = $this->getDataGenerator()->create_course();
        $this->setUser($this->getDataGenerator()->create_and_enrol($course, 'editingteacher'));

        $this->expectException(\required_capability_exception::class);
        reset_course::execute($course->id, [['name' => 'reset_events', 'value' => '1']], 'reset-teacher', 1);
    }
}
