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
 * Tests of the cohort sync web services.
 *
 * @package    local_passage
 * @category   external
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers     \local_passage\external\list_cohort_syncs
 * @covers     \local_passage\external\add_cohort_sync
 * @covers     \local_passage\external\remove_cohort_sync
 * @covers     \local_passage\local\cohort_sync
 */
final class cohort_sync_test extends passage_testcase {
    /**
     * A system cohort with members.
     *
     * @param string $idnumber cohort idnumber
     * @param int $size number of members
     * @return \stdClass the cohort
     */
    private function cohort_with_members(string $idnumber, int $size): \stdClass {
        global $CFG;
        require_once($CFG->dirroot . '/cohort/lib.php');
        $cohort = $this->getDataGenerator()->create_cohort(['idnumber' => $idnumber]);
        for ($i = 0; $i < $size; $i++) {
            cohort_add_member($cohort->id, $this->getDataGenerator()->create_user()->id);
        }
        return $cohort;
    }

    public function test_adding_then_removing_a_cohort_enrols_then_unenrols_its_members(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $course = $this->getDataGenerator()->create_course();
        $this->cohort_with_members('L1-2026', 3);
        $context = \context_course::instance($course->id);

        $added = external_api::clean_returnvalue(add_cohort_sync::execute_returns(),
            add_cohort_sync::execute($course->id, 'L1-2026', 'student', 0));

        $this->assertTrue($added['created']);
        $this->assertSame(3, $added['instance']['users']);
        $this->assertSame('student', $added['instance']['roleshortname']);
        $this->assertCount(3, get_enrolled_users($context));
        $again = add_cohort_sync::execute($course->id, 'L1-2026', 'student', 0);
        $this->assertFalse($again['created']);
        $this->assertSame($added['instance']['id'], $again['instance']['id']);
        $listed = external_api::clean_returnvalue(list_cohort_syncs::execute_returns(),
            list_cohort_syncs::execute($course->id));
        $this->assertSame([$added['instance']['id']], array_column($listed['instances'], 'id'));

        $removed = external_api::clean_returnvalue(remove_cohort_sync::execute_returns(),
            remove_cohort_sync::execute($course->id, $added['instance']['id']));

        $this->assertSame(['removed' => true, 'unenrolled' => 3], $removed);
        $this->assertCount(0, get_enrolled_users($context));
        $this->assertSame(['removed' => false, 'unenrolled' => 0],
            remove_cohort_sync::execute($course->id, $added['instance']['id']));
    }

    public function test_an_unknown_cohort_is_refused(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $course = $this->getDataGenerator()->create_course();

        $this->expectExceptionMessage(get_string('cohortnotfound', 'local_passage', 'NOPE'));
        add_cohort_sync::execute($course->id, 'NOPE', 'student', 0);
    }

    public function test_an_unknown_role_is_refused(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $course = $this->getDataGenerator()->create_course();
        $this->cohort_with_members('L2-2026', 1);

        $this->expectExceptionMessage(get_string('invalidrole', 'local_passage', 'nosuchrole'));
        add_cohort_sync::execute($course->id, 'L2-2026', 'nosuchrole', 0);
    }

    public function test_a_group_of_another_course_is_refused(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $course = $this->getDataGenerator()->create_course();
        $other = $this->getDataGenerator()->create_course();
        $group = $this->getDataGenerator()->create_group(['courseid' => $other->id]);
        $this->cohort_with_members('L3-2026', 1);

        $this->expectExceptionMessage(get_string('invalidgroup', 'local_passage', $group->id));
        add_cohort_sync::execute($course->id, 'L3-2026', 'student', $group->id);
    }

    public function test_a_teacher_without_the_passage_capability_is_refused(): void {
        $this->resetAfterTest();
        $course = $this->getDataGenerator()->create_course();
        $this->setUser($this->getDataGenerator()->create_and_enrol($course, 'editingteacher'));

        $this->expectException(\required_capability_exception::class);
        list_cohort_syncs::execute($course->id);
    }
}
