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

namespace local_passage\local;

/**
 * Resets a course exactly as the course reset page does.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class reset_runner implements operation_runner {
    /**
     * Runs reset_course_userdata() with the stored options.
     *
     * @param \stdClass $operation the running operation
     * @param array $params options (list of name/value)
     * @return array components: reset_course_userdata()'s status list
     */
    public function run(\stdClass $operation, array $params): array {
        $course = get_course((int) $operation->courseid);
        $data = reset_options::to_reset_data($course, $params['options'] ?? []);
        operation_manager::set_progress((int) $operation->id, 0.1);
        $status = reset_course_userdata($data);
        return [
            'components' => array_map(fn(array $item) => [
                'component' => (string) $item['component'],
                'item' => (string) $item['item'],
                'error' => $item['error'] === false ? '' : (string) $item['error'],
            ], array_values($status)),
        ];
    }
}
