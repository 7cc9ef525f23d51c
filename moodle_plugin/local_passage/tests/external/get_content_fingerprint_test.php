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
 * Tests of local_passage_get_content_fingerprint.
 *
 * @package    local_passage
 * @category   external
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers     \local_passage\external\get_content_fingerprint
 * @covers     \local_passage\local\content_fingerprint
 */
final class get_content_fingerprint_test extends passage_testcase {
    /**
     * The fingerprint of the course, through the web service.
     *
     * @param int $courseid course id
     * @return array the answer
     */
    private function fingerprint(int $courseid): array {
        return external_api::clean_returnvalue(get_content_fingerprint::execute_returns(),
            get_content_fingerprint::execute($courseid));
    }

    public function test_the_fingerprint_stays_while_nothing_changes_and_moves_with_the_content(): void {
        global $DB;
        $this->resetAfterTest();
        $this->setAdminUser();
        $course = $this->getDataGenerator()->create_course();
        $page = $this->getDataGenerator()->create_module('page', ['course' => $course->id]);

        $first = $this->fingerprint($course->id);
        $this->assertSame($course->id, $first['courseid']);
        $this->assertSame(40, strlen($first['fingerprint']));
        $this->assertSame($first, $this->fingerprint($course->id));

        // A teacher edits the page the next day.
        $DB->set_field('page', 'timemodified', time() + DAYSECS, ['id' => $page->id]);
        $edited = $this->fingerprint($course->id);
        $this->assertNotSame($first['fingerprint'], $edited['fingerprint']);
        $this->assertSame(time() + DAYSECS, $edited['timemodified']);

        // An activity added.
        $this->getDataGenerator()->create_module('label', ['course' => $course->id]);
        $this->assertNotSame($edited['fingerprint'], $this->fingerprint($course->id)['fingerprint']);
    }

    public function test_a_deleted_activity_changes_the_fingerprint(): void {
        global $CFG;
        require_once($CFG->dirroot . '/course/lib.php');
        $this->resetAfterTest();
        $this->setAdminUser();
        $course = $this->getDataGenerator()->create_course();
        $this->getDataGenerator()->create_module('page', ['course' => $course->id]);
        $label = $this->getDataGenerator()->create_module('label', ['course' => $course->id]);
        $before = $this->fingerprint($course->id);

        course_delete_module($label->cmid);

        $this->assertNotSame($before['fingerprint'], $this->fingerprint($course->id)['fingerprint']);
    }

    public function test_a_teacher_without_the_passage_capability_is_refused(): void {
        $this->resetAfterTest();
        $course = $this->getDataGenerator()->create_course();
        $teacher = $this->getDataGenerator()->create_and_enrol($course, 'editingteacher');
        $this->setUser($teacher);

        $this->expectException(\required_capability_exception::class);
        get_content_fingerprint::execute($course->id);
    }
}
