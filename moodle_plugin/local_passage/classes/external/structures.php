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

use core_external\external_multiple_structure;
use core_external\external_single_structure;
use core_external\external_value;

/**
 * Answer structures shared by several Passage web services.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class structures {
    /**
     * An operation (see operation_manager::export).
     *
     * @return external_single_structure
     */
    public static function operation(): external_single_structure {
        return new external_single_structure([
            'id' => new external_value(PARAM_INT, 'Operation id'),
            'key' => new external_value(PARAM_RAW, 'Idempotency key given by the caller'),
            'type' => new external_value(PARAM_ALPHA, 'backup, reset or restore'),
            'courseid' => new external_value(PARAM_INT, 'Course id'),
            'status' => new external_value(PARAM_ALPHA, 'queued, running, success or failed'),
            'progress' => new external_value(PARAM_FLOAT, 'Progress between 0 and 1'),
            'timecreated' => new external_value(PARAM_INT, 'Time the operation was asked for'),
            'timestarted' => new external_value(PARAM_INT, 'Time the work started, 0 if not yet'),
            'timefinished' => new external_value(PARAM_INT, 'Time the work ended, 0 if not yet'),
            'result' => new external_single_structure([
                'filename' => new external_value(PARAM_FILE, 'Backup file name, empty otherwise'),
                'filesize' => new external_value(PARAM_INT, 'Backup file size in bytes, 0 otherwise'),
                'contenthash' => new external_value(PARAM_ALPHANUM, 'SHA-1 of the backup file, empty otherwise'),
                'fileurl' => new external_value(PARAM_URL, 'webservice/pluginfile.php URL of the backup, without token'),
                'components' => new external_multiple_structure(new external_single_structure([
                    'component' => new external_value(PARAM_TEXT, 'Part of the course that was reset'),
                    'item' => new external_value(PARAM_TEXT, 'What was done'),
                    'error' => new external_value(PARAM_TEXT, 'Error, empty when it went well'),
                ]), 'Reset status, empty for other operations'),
                'restoredcourseid' => new external_value(PARAM_INT, 'Course restored into, 0 otherwise'),
            ]),
            'error' => new external_single_structure([
                'errorcode' => new external_value(PARAM_ALPHANUMEXT, 'Error code, empty unless failed'),
                'message' => new external_value(PARAM_TEXT, 'Error message, empty unless failed'),
            ]),
        ]);
    }

    /**
     * A cohort sync enrolment instance (see cohort_sync::export).
     *
     * @return external_single_structure
     */
    public static function cohort_sync(): external_single_structure {
        return new external_single_structure([
            'id' => new external_value(PARAM_INT, 'Enrolment instance id'),
            'courseid' => new external_value(PARAM_INT, 'Course id'),
            'cohortid' => new external_value(PARAM_INT, 'Cohort id'),
            'cohortidnumber' => new external_value(PARAM_RAW, 'Cohort idnumber'),
            'cohortname' => new external_value(PARAM_TEXT, 'Cohort name'),
            'roleid' => new external_value(PARAM_INT, 'Role given to the members'),
            'roleshortname' => new external_value(PARAM_ALPHANUMEXT, 'Shortname of that role'),
            'groupid' => new external_value(PARAM_INT, 'Group the members are put in, 0 for none'),
            'status' => new external_value(PARAM_INT, '0 enabled, 1 disabled'),
            'users' => new external_value(PARAM_INT, 'Users enrolled through this instance'),
        ]);
    }

    /**
     * A name/value pair (reset options, restore settings).
     *
     * @param string $what what the pairs are
     * @param bool $required whether the caller must give the list
     * @return external_multiple_structure
     */
    public static function name_values(string $what, bool $required): external_multiple_structure {
        $pairs = new external_single_structure([
            'name' => new external_value(PARAM_ALPHANUMEXT, 'Name'),
            'value' => new external_value(PARAM_RAW, 'Value'),
        ]);
        return $required
            ? new external_multiple_structure($pairs, $what)
            : new external_multiple_structure($pairs, $what, VALUE_DEFAULT, []);
    }

    /**
     * The idempotency key parameter.
     *
     * @return external_value
     */
    public static function key(): external_value {
        return new external_value(PARAM_RAW_TRIMMED, 'Idempotency key: the same key returns the same operation');
    }

    /**
     * The runinline parameter.
     *
     * @return external_value
     */
    public static function runinline(): external_value {
        return new external_value(PARAM_INT, '1 to do the work inside this request', VALUE_DEFAULT, 0);
    }
}
