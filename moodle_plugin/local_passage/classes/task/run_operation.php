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

namespace local_passage\task;

use local_passage\local\operation_manager;

/**
 * Ad-hoc task carrying out one queued Passage operation, as the user who asked for it.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class run_operation extends \core\task\adhoc_task {
    /**
     * Name shown in the task logs.
     *
     * @return string
     */
    public function get_name(): string {
        return get_string('taskrunoperation', 'local_passage');
    }

    /**
     * Runs the operation. Its failures are recorded on the operation, not thrown: a backup or
     * reset must not be retried behind the portal's back. Only a course busy with another
     * operation throws, so that the task manager tries again later.
     */
    public function execute() {
        operation_manager::run((int) $this->get_custom_data()->operationid, true);
    }
}
