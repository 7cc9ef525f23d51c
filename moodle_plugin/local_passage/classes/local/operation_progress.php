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
 * Writes the progress a backup or restore controller reports into the operation row.
 *
 * The controllers report very often; the row is written at most every few seconds.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class operation_progress extends \core\progress\base {
    /** @var int Seconds between two writes of the progress. */
    private const WRITE_INTERVAL = 3;

    /** @var int Time of the last write. */
    private int $lastwrite = 0;

    /**
     * Constructor.
     *
     * @param int $operationid the operation whose progress this reports
     * @param float $from progress already reached when the controller starts
     * @param float $to progress reached when the controller is done
     */
    public function __construct(
        /** @var int The operation whose progress this reports. */
        private int $operationid,
        /** @var float Progress already reached when the controller starts. */
        private float $from,
        /** @var float Progress reached when the controller is done. */
        private float $to,
    ) {
    }

    /**
     * Called by the progress API whenever the controller moves on.
     */
    public function update_progress() {
        if (time() - $this->lastwrite < self::WRITE_INTERVAL) {
            return;
        }
        $this->lastwrite = time();
        [$min] = $this->get_progress_proportion_range();
        operation_manager::set_progress($this->operationid, $this->from + ($this->to - $this->from) * $min);
    }
}
