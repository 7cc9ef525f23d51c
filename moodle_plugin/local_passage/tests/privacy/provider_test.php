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

use core_privacy\local\request\approved_contextlist;
use core_privacy\tests\provider_testcase;

/**
 * Tests of the privacy provider.
 *
 * @package    local_passage
 * @category   test
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers     \local_passage\privacy\provider
 */
final class provider_test extends provider_testcase {
    public function test_a_user_who_asked_for_an_operation_is_found_then_detached(): void {
        global $DB;
        $this->resetAfterTest();
        $course = $this->getDataGenerator()->create_course();
        $user = $this->getDataGenerator()->create_user();
        $DB->insert_record('local_passage_operation', (object) [
            'opkey' => 'k', 'type' => 'backup', 'courseid' => $course->id, 'userid' => $user->id,
            'status' => 'success', 'progress' => 1, 'params' => '{}', 'result' => '{}', 'errorcode' => '',
            'errormessage' => '', 'timecreated' => time(), 'timestarted' => time(), 'timefinished' => time(),
        ]);
        $context = \context_course::instance($course->id);

        $contexts = provider::get_contexts_for_userid($user->id)->get_contextids();
        $this->assertEquals([$context->id], array_values($contexts));

        provider::delete_data_for_user(new approved_contextlist($user, 'local_passage', [$context->id]));

        $this->assertSame(0, $DB->count_records('local_passage_operation', ['userid' => $user->id]));
        $this->assertSame(1, $DB->count_records('local_passage_operation', ['courseid' => $course->id]));
    }
}
