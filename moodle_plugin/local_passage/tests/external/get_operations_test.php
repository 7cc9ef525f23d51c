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
 * Tests of local_passage_get_operations.
 *
 * @package    local_passage
 * @category   external
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers     \local_passage\external\get_operations
 */
final class get_operations_test extends passage_testcase {
    public function test_known_operations_are_listed_and_unknown_ids_are_warnings(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $course = $this->getDataGenerator()->create_course();
        $operation = $this->backup_inline($course->id, 'ops-1');

        $result = external_api::clean_returnvalue(get_operations::execute_returns(),
            get_operations::execute([$operation['id'], 999999]));

        $this->assertSame([$operation['id']], array_column($result['operations'], 'id'));
        $this->assertSame('success', $result['operations'][0]['status']);
        $this->assertSame([999999], array_column($result['warnings'], 'itemid'));
        $this->assertSame('notfound', $result['warnings'][0]['warningcode']);
    }

    public function test_an_operation_left_running_by_a_dead_process_is_reported_interrupted(): void {
        global $DB;
        $this->resetAfterTest();
        $this->setAdminUser();
        $course = $this->getDataGenerator()->create_course();
        [$operation] = \local_passage\local\operation_manager::create('dead-1', 'backup', $course->id, []);
        $DB->update_record('local_passage_operation', (object) ['id' => $operation->id, 'status' => 'running',
            'timestarted' => time() - 600]);

        $result = get_operations::execute([$operation->id]);

        $this->assertSame('failed', $result['operations'][0]['status']);
        $this->assertSame('interrupted', $result['operations'][0]['error']['errorcode']);
        $this->assertSame('failed', $DB->get_field('local_passage_operation', 'status', ['id' => $operation->id]));
    }

    public function test_an_operation_on_a_course_the_user_cannot_back_up_is_a_warning(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $course = $this->getDataGenerator()->create_course();
        $operation = $this->backup_inline($course->id, 'ops-2');
        $this->setUser($this->getDataGenerator()->create_and_enrol($course, 'student'));

        $result = get_operations::execute([$operation['id']]);

        $this->assertSame([], $result['operations']);
        $this->assertSame([$operation['id']], array_column($result['warnings'], 'itemid'));
    }
}
