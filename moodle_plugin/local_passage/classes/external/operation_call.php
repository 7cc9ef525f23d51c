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


/**
 * Checks shared by the Passage web services that start an operation.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class operation_call {
    /** @var int Longest key the table accepts. */
    private const KEY_MAX_LENGTH = 255;

    /**
     * Refuses an empty or too long idempotency key.
     *
     * @param string $key the key
     */
    public static function validate_key(string $key): void {
        if ($key === '' || \core_text::strlen($key) > self::KEY_MAX_LENGTH) {
            throw new \invalid_parameter_exception('The key must hold 1 to ' . self::KEY_MAX_LENGTH . ' characters');
        }
    }

    /**
     * The context of a course the operations may work on: any course but the site's front page.
     *
     * @param int $courseid course id
     * @return \context_course its context
     */
    public static function course_context(int $courseid): \context_course {
        if ($courseid == SITEID) {
            throw new \invalid_parameter_exception('The site front page is not a course Passage works on');
        }
        return \context_course::instance($courseid);
    }

    /**
     * Refuses a flag other than 0 or 1.
     *
     * @param string $name parameter name
     * @param int $value its value
     */
    public static function validate_flag(string $name, int $value): void {
        if ($value !== 0 && $value !== 1) {
            throw new \invalid_parameter_exception($name . ' must be 0 or 1');
        }
    }
}
