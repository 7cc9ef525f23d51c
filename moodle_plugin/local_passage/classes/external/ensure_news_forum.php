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
use core_external\external_single_structure;
use core_external\external_value;

/**
 * local_passage_ensure_news_forum: the course's announcements forum, created if missing.
 *
 * Moodle creates a course's announcements forum only when someone first opens the course:
 * a course created by web services, generated or restored has none until then, and no core
 * web service can create it. This one creates it exactly as opening the course does
 * (forum_get_course_forum($courseid, 'news')).
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class ensure_news_forum extends external_api {
    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'courseid' => new external_value(PARAM_INT, 'Course id'),
        ]);
    }

    /**
     * The announcements forum of the course, created when it has none.
     *
     * @param int $courseid course id
     * @return array forum id, course module id, and whether it was created now
     */
    public static function execute(int $courseid): array {
        global $CFG, $DB;
        require_once($CFG->dirroot . '/mod/forum/lib.php');
        $params = self::validate_parameters(self::execute_parameters(), ['courseid' => $courseid]);
        if ($params['courseid'] == SITEID) {
            throw new \invalid_parameter_exception('The site front page has no course announcements forum');
        }
        $context = \context_course::instance($params['courseid']);
        self::validate_context($context);
        require_capability('local/passage:use', $context);
        require_capability('moodle/course:manageactivities', $context);
        $existed = $DB->record_exists('forum', ['course' => $params['courseid'], 'type' => 'news']);
        $forum = forum_get_course_forum($params['courseid'], 'news');
        $cm = get_coursemodule_from_instance('forum', $forum->id, $params['courseid'], false, MUST_EXIST);
        // forum_get_course_forum() leaves the module's context to be made by the first page that
        // shows it; mod_forum's web services find no forum without it.
        \context_module::instance($cm->id);
        return ['forumid' => (int) $forum->id, 'cmid' => (int) $cm->id, 'created' => !$existed];
    }

    /**
     * Answer.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'forumid' => new external_value(PARAM_INT, 'Forum instance id'),
            'cmid' => new external_value(PARAM_INT, 'Course module id'),
            'created' => new external_value(PARAM_BOOL, 'Whether the forum was created by this call'),
        ]);
    }
}
