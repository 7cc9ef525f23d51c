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
 * local_passage_get_site_limits: what the portal must know before sending a file.
 *
 * webservice/upload.php refuses a file above the site's upload limit (the smallest of PHP's
 * upload_max_filesize and post_max_size and the site's maxbytes); a larger backup is given to
 * local_passage_restore_course as a URL the plugin fetches itself.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class get_site_limits extends external_api {
    /**
     * Parameters: none.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([]);
    }

    /**
     * The limits.
     *
     * @return array maxuploadbytes, fetchbyurl
     */
    public static function execute(): array {
        global $CFG;
        $context = \context_system::instance();
        self::validate_context($context);
        require_capability('local/passage:use', $context);
        return [
            'maxuploadbytes' => (int) get_max_upload_file_size($CFG->maxbytes),
            'fetchbyurl' => 1,
        ];
    }

    /**
     * Answer.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'maxuploadbytes' => new external_value(PARAM_INT, 'Largest file webservice/upload.php accepts, in bytes'),
            'fetchbyurl' => new external_value(PARAM_INT, '1: local_passage_restore_course can fetch a backup from a URL'),
        ]);
    }
}
