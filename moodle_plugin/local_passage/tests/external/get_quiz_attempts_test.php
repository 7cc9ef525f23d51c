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
 * Tests of local_passage_get_quiz_attempts.
 *
 * @package    local_passage
 * @category   external
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers     \local_passage\external\get_quiz_attempts
 */
final class get_quiz_attempts_test extends passage_testcase {
    /**
     * Stores an attempt as the quiz keeps it.
     *
     * @param \stdClass $quiz the quiz
     * @param int $userid who attempted it
     * @param int $number attempt number
     * @param string $state attempt state
     * @param float|null $sumgrades marks, null until graded
     */
    private function attempt(\stdClass $quiz, int $userid, int $number, string $state, ?float $sumgrades): void {
        global $DB;
        static $uniqueid = 1000;
        $DB->insert_record('quiz_attempts', (object)[
            'quiz' => $quiz->id, 'userid' => $userid, 'attempt' => $number, 'uniqueid' => $uniqueid++,
            'layout' => '1,0', 'currentpage' => 0, 'preview' => 0, 'state' => $state,
            'timestart' => 1000, 'timefinish' => $state === 'finished' ? 1600 : 0, 'timemodified' => 1600,
            'timemodifiedoffline' => 0, 'timecheckstate' => null, 'sumgrades' => $sumgrades,
        ]);
    }

    public function test_every_attempt_is_listed_those_of_students_who_left_included(): void {
        global $DB;
        $this->resetAfterTest();
        $this->setAdminUser();
        $generator = $this->getDataGenerator();
        $course = $generator->create_course();
        $quiz = $generator->create_module('quiz', ['course' => $course->id]);
        $staying = $generator->create_and_enrol($course, 'student', ['firstname' => 'Ana', 'lastname' => 'Stay']);
        $leaving = $generator->create_and_enrol($course, 'student', ['firstname' => 'Leo', 'lastname' => 'Gone']);
        $this->attempt($quiz, $leaving->id, 1, 'finished', 0.75);
        $this->attempt($quiz, $staying->id, 1, 'finished', null);
        $this->attempt($quiz, $leaving->id, 2, 'inprogress', null);
        $manual = enrol_get_plugin('manual');
        $manual->unenrol_user($DB->get_record('enrol', ['courseid' => $course->id, 'enrol' => 'manual']), $leaving->id);

        $result = external_api::clean_returnvalue(get_quiz_attempts::execute_returns(),
            get_quiz_attempts::execute($quiz->id));

        $this->assertCount(3, $result['attempts']);
        $byuser = [];
        foreach ($result['attempts'] as $attempt) {
            $byuser[$attempt['userid']][] = [$attempt['attempt'], $attempt['state'], $attempt['sumgrades']];
        }
        $this->assertSame([[1, 'finished', 0.75], [2, 'inprogress', null]], $byuser[$leaving->id]);
        $this->assertSame([[1, 'finished', null]], $byuser[$staying->id]);
        // By user, then attempt number.
        $this->assertSame(['Ana Stay', 'Leo Gone', 'Leo Gone'], array_column($result['attempts'], 'userfullname'));
    }

    public function test_an_unknown_quiz_is_a_missing_record(): void {
        $this->resetAfterTest();
        $this->setAdminUser();
        $this->expectException(\dml_missing_record_exception::class);
        get_quiz_attempts::execute(999999);
    }
}
