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
 * Tests of local_passage_ensure_news_forum.
 *
 * @package    local_passage
 * @category   external
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers     \local_passage\external\ensure_news_forum
 */
final class ensure_news_forum_test extends passage_testcase {
    public function test_a_course_without_announcements_forum_gets_one_then_keeps_it(): void {
        global $DB;
        $this->resetAfterTest();
        $this->setAdminUser();
        // Without news items to show, mod_forum's course_created observer makes no announcements
        // forum: the course has none, like a course restored or generated.
        $course = $this->getDataGenerator()->create_course(['newsitems' => 0]);
        $this->assertFalse($DB->record_exists('forum', ['course' => $course->id, 'type' => 'news']));

        $first = external_api::clean_returnvalue(ensure_news_forum::execute_returns(),
            ensure_news_forum::execute($course->id));

        $this->assertTrue($first['created']);
        $forum = $DB->get_record('forum', ['id' => $first['forumid']], '*', MUST_EXIST);
        $this->assertSame('news', $forum->type);
        $this->assertEquals($course->id, $forum->course);
        $cm = get_coursemodule_from_id('forum', $first['cmid'], $course->id, true, MUST_EXIST);
        $this->assertEquals(0, $cm->sectionnum);
        // Its context exists at once: mod_forum's web services find the forum.
        $this->assertTrue($DB->record_exists('context',
            ['contextlevel' => CONTEXT_MODULE, 'instanceid' => $first['cmid']]));
        $again = external_api::clean_returnvalue(ensure_news_forum::execute_returns(),
            ensure_news_forum::execute($course->id));
        $this->assertSame(['forumid' => $first['forumid'], 'cmid' => $first['cmid'], 'created' => false], $again);
        $this->assertSame(1, $DB->count_records('forum', ['course' => $course->id, 'type' => 'news']));
    }

    public function test_the_site_front_page_is_refused(): void {
        $this->resetAfterTest();
        $this->setAdminUser();

        $this->expectException(\invalid_parameter_exception::class);
        ensure_news_forum::execute(SITEID);
    }

    public function test_a_teacher_without_the_passage_capability_is_refused(): void {
        $this->resetAfterTest();
        $course = $this->getDataGenerator()->create_course();
        $teacher = $this->getDataGenerator()->create_and_enrol($course, 'editingteacher');
        $this->setUser($teacher);

        $this->expectException(\required_capability_exception::class);
        ensure_news_forum::execute($course->id);
    }
}
