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
use local_passage\local\content_fingerprint;

/**
 * local_passage_get_content_fingerprint: one SHA-1 of what a course's content is made of.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class get_content_fingerprint extends external_api {
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
     * The course's content fingerprint.
     *
     * @param int $courseid course id
     * @return array courseid, fingerprint and the latest modification time
     */
    public static function execute(int $courseid): array {
        $params = self::validate_parameters(self::execute_parameters(), ['courseid' => $courseid]);
        $context = \context_course::instance($params['courseid']);
        self::validate_context($context);
        require_capability('local/passage:use', $context);
        require_capability('moodle/backup:backupcourse', $context);
        return ['courseid' => $params['courseid']] + content_fingerprint::of_course($params['courseid']);
    }

    /**
     * Answer.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'courseid' => new external_value(PARAM_INT, 'Course id'),
            'fingerprint' => new external_value(PARAM_ALPHANUM, 'SHA-1 of the course content'),
            'timemodified' => new external_value(PARAM_INT, 'Latest modification time found in the content'),
        ]);
    }
}
