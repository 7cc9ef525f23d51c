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
use core_external\external_function_parameters;
use core_external\external_multiple_structure;
use core_external\external_single_structure;
use core_external\external_value;

/**
 * local_passage_get_quiz_attempts: every attempt at a quiz, former participants' included.
 *
 * Core's mod_quiz_get_user_attempts answers for one user at a time, and only for users the
 * caller can name: the attempts of students no longer enrolled, which a reset deletes too,
 * cannot be listed through it.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class get_quiz_attempts extends external_api {
    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'quizid' => new external_value(PARAM_INT, 'Quiz instance id'),
        ]);
    }

    /**
     * Lists the attempts, by user then attempt number.
     *
     * @param int $quizid quiz instance id
     * @return array attempts
     */
    public static function execute(int $quizid): array {
        global $DB;
        $params = self::validate_parameters(self::execute_parameters(), ['quizid' => $quizid]);
        $quiz = $DB->get_record('quiz', ['id' => $params['quizid']], '*', MUST_EXIST);
        $cm = get_coursemodule_from_instance('quiz', $quiz->id, $quiz->course, false, MUST_EXIST);
        $context = \context_module::instance($cm->id);
        self::validate_context($context);
        require_capability('local/passage:use', \context_course::instance($quiz->course));
        require_capability('mod/quiz:viewreports', $context);

        $names = \core_user\fields::for_name()->get_sql('u', false, '', '', false)->selects;
        $sql = "SELECT qa.id, qa.quiz, qa.userid, qa.attempt, qa.state, qa.preview,
                       qa.timestart, qa.timefinish, qa.sumgrades, {$names}
                  FROM {quiz_attempts} qa
                  JOIN {user} u ON u.id = qa.userid
                 WHERE qa.quiz = :quizid
              ORDER BY qa.userid, qa.attempt, qa.id";
        $attempts = [];
        foreach ($DB->get_records_sql($sql, ['quizid' => $quiz->id]) as $record) {
            $attempts[] = [
                'id' => (int)$record->id,
                'quiz' => (int)$record->quiz,
                'userid' => (int)$record->userid,
                'userfullname' => fullname($record),
                'attempt' => (int)$record->attempt,
                'state' => $record->state,
                'preview' => (bool)$record->preview,
                'timestart' => (int)$record->timestart,
                'timefinish' => (int)$record->timefinish,
                'sumgrades' => $record->sumgrades === null ? null : (float)$record->sumgrades,
            ];
        }
        return ['attempts' => $attempts];
    }

    /**
     * Answer.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'attempts' => new external_multiple_structure(new external_single_structure([
                'id' => new external_value(PARAM_INT, 'Attempt id'),
                'quiz' => new external_value(PARAM_INT, 'Quiz instance id'),
                'userid' => new external_value(PARAM_INT, 'User id'),
                'userfullname' => new external_value(PARAM_TEXT, 'User full name'),
                'attempt' => new external_value(PARAM_INT, 'Attempt number of this user'),
                'state' => new external_value(PARAM_ALPHA, 'inprogress, overdue, finished or abandoned'),
                'preview' => new external_value(PARAM_BOOL, 'A teacher\'s preview'),
                'timestart' => new external_value(PARAM_INT, 'Start time'),
                'timefinish' => new external_value(PARAM_INT, 'Finish time, 0 if not finished'),
                'sumgrades' => new external_value(PARAM_FLOAT, 'Marks, null until graded',
                    VALUE_REQUIRED, null, NULL_ALLOWED),
            ])),
        ]);
    }
}
