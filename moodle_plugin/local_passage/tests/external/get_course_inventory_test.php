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
 * Tests of local_passage_get_course_inventory.
 *
 * @package    local_passage
 * @category   external
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers     \local_passage\external\get_course_inventory
 * @covers     \local_passage\local\inventory
 */
final class get_course_inventory_test extends passage_testcase {
    /**
     * One kind's counts among a list of kind rows.
     *
     * @param array $rows kind rows
     * @param string $kind the kind
     * @return array the row
     */
    private static function kind(array $rows, string $kind): array {
        foreach ($rows as $row) {
            if ($row['kind'] === $kind) {
                return $row;
            }
        }
        throw new \coding_exception('No kind ' . $kind);
    }

    public function test_forum_posts_are_split_between_students_and_others(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $data = $this->course_with_forum_posts();

        $result = external_api::clean_returnvalue(get_course_inventory::execute_returns(),
            get_course_inventory::execute($data['course']->id));

        $forum = current(array_filter($result['modules'], fn($m) => $m['instance'] == $data['forum']->id
            && $m['modname'] === 'forum'));
        $this->assertSame(['kind' => 'discussions', 'total' => 2, 'students' => 1, 'others' => 1],
            self::kind($forum['data'], 'discussions'));
        $this->assertSame(['kind' => 'posts', 'total' => 2, 'students' => 1, 'others' => 1],
            self::kind($forum['data'], 'posts'));
        $this->assertSame(0, self::kind($forum['data'], 'ratings')['total']);
        $this->assertSame(0, self::kind($forum['data'], 'completions')['total']);
        $this->assertTrue($forum['resettable']);
        $this->assertSame((int) $data['course']->id, $result['course']['id']);
        $roles = array_column($result['roles'], 'users', 'shortname');
        $this->assertSame(1, $roles['student']);
        $this->assertSame(1, $roles['editingteacher']);
        $this->assertFalse($result['restore']['restored']);
    }

    public function test_a_former_student_still_counts_as_a_student(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $data = $this->course_with_forum_posts();
        $manual = enrol_get_plugin('manual');
        $instance = current(enrol_get_instances($data['course']->id, true));
        $manual->unenrol_user($instance, $data['student']->id);

        $result = get_course_inventory::execute($data['course']->id);

        $forum = current(array_filter($result['modules'], fn($m) => $m['instance'] == $data['forum']->id
            && $m['modname'] === 'forum'));
        $this->assertSame(1, self::kind($forum['data'], 'posts')['students']);
    }

    public function test_course_events_notes_and_groups_are_counted(): void {
        global $CFG;
        require_once($CFG->dirroot . '/notes/lib.php');
        $this->resetAfterTest();
        $this->setAdminUser();
        $generator = $this->getDataGenerator();
        $course = $generator->create_course();
        $student = $generator->create_and_enrol($course, 'student');
        $generator->create_event(['courseid' => $course->id, 'eventtype' => 'course']);
        $note = (object) ['courseid' => $course->id, 'userid' => $student->id, 'content' => 'x',
            'format' => FORMAT_PLAIN, 'publishstate' => NOTES_STATE_PUBLIC];
        note_save($note);
        $group = $generator->create_group(['courseid' => $course->id, 'name' => 'TD1']);
        $generator->create_group_member(['groupid' => $group->id, 'userid' => $student->id]);

        $result = get_course_inventory::execute($course->id);

        $this->assertSame(1, self::kind($result['coursedata'], 'events')['total']);
        $this->assertSame(['kind' => 'notes', 'total' => 1, 'students' => 1, 'others' => 0],
            self::kind($result['coursedata'], 'notes'));
        $this->assertSame([['id' => (int) $group->id, 'name' => 'TD1', 'idnumber' => '', 'members' => 1]],
            $result['groups']);
    }

    public function test_a_teacher_without_the_passage_capability_is_refused(): void {
        $this->resetAfterTest();
        $course = $this->getDataGenerator()->create_course();
        $this->setUser($this->getDataGenerator()->create_and_enrol($course, 'editingteacher'));

        $this->expectException(\required_capability_exception::class);
        get_course_inventory::execute($course->id);
    }
}
