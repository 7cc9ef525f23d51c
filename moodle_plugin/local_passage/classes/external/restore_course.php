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
use local_passage\local\operation_manager;
use local_passage\local\restore_runner;

/**
 * local_passage_restore_course: restore an uploaded .mbz into an existing course.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class restore_course extends external_api {
    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'courseid' => new external_value(PARAM_INT, 'Course to restore into'),
            'draftitemid' => new external_value(PARAM_INT,
                'Draft area item holding the .mbz (webservice/upload.php); 0 with fileurl'),
            'mode' => new external_value(PARAM_ALPHA, 'delete: empty the course first; merge: add to it', VALUE_DEFAULT,
                restore_runner::MODE_DELETE),
            'settings' => structures::name_values('Restore settings by name (users, activities, ...), 0 or 1', false),
            'expectempty' => new external_value(PARAM_INT, '1 to refuse a course that holds activities', VALUE_DEFAULT, 1),
            'key' => structures::key(),
            'runinline' => structures::runinline(),
            'fileurl' => new external_value(PARAM_URL,
                'Short-lived URL of the .mbz, for a file above the upload limit: the restore fetches it', VALUE_DEFAULT, ''),
            'filesha1' => new external_value(PARAM_ALPHANUM, 'SHA-1 of the file at fileurl, checked before restoring',
                VALUE_DEFAULT, ''),
        ]);
    }

    /**
     * Creates the restore operation, or returns the one already created with this key.
     *
     * @param int $courseid target course id
     * @param int $draftitemid draft area item of the calling user
     * @param string $mode delete or merge
     * @param array $settings name/value list
     * @param int $expectempty refuse a course with activities
     * @param string $key idempotency key
     * @param int $runinline do the work inside this request
     * @param string $fileurl URL to fetch the .mbz from instead of the draft area
     * @param string $filesha1 SHA-1 of the file at $fileurl
     * @return array the operation
     */
    public static function execute(int $courseid, int $draftitemid, string $mode = restore_runner::MODE_DELETE,
            array $settings = [], int $expectempty = 1, string $key = '', int $runinline = 0, string $fileurl = '',
            string $filesha1 = ''): array {
        global $USER;
        $params = self::validate_parameters(self::execute_parameters(), [
            'courseid' => $courseid, 'draftitemid' => $draftitemid, 'mode' => $mode, 'settings' => $settings,
            'expectempty' => $expectempty, 'key' => $key, 'runinline' => $runinline, 'fileurl' => $fileurl,
            'filesha1' => $filesha1,
        ]);
        $byurl = $params['fileurl'] !== '';
        if ($byurl && !preg_match('/^[0-9a-f]{40}$/', $params['filesha1'])) {
            throw new \invalid_parameter_exception('filesha1 must be the 40 hexadecimal digits of the file at fileurl');
        }
        operation_call::validate_flag('expectempty', $params['expectempty']);
        operation_call::validate_flag('runinline', $params['runinline']);
        operation_call::validate_key($params['key']);
        if (!in_array($params['mode'], [restore_runner::MODE_DELETE, restore_runner::MODE_MERGE], true)) {
            throw new \invalid_parameter_exception('mode must be delete or merge');
        }

        $context = operation_call::course_context($params['courseid']);
        self::validate_context($context);
        require_capability('local/passage:use', $context);
        require_capability('moodle/restore:restorecourse', $context);

        $type = operation_manager::TYPE_RESTORE;
        // A retry with the same key gets its operation back before the refusals below, which
        // the first call's own restore would otherwise trigger.
        $operation = operation_manager::find_by_key($params['key'], $type, $params['courseid']);
        if ($operation) {
            return operation_manager::export($operation);
        }

        if (restore_runner::restore_record($params['courseid'])) {
            throw new \moodle_exception('alreadyrestored', 'local_passage', '', $params['courseid']);
        }
        if ($params['expectempty'] && restore_runner::course_has_activities($params['courseid'])) {
            throw new \moodle_exception('coursenotempty', 'local_passage', '', $params['courseid']);
        }
        $draftfile = $byurl ? null : self::backup_in_draft_area((int) $USER->id, $params['draftitemid']);
        $operationparams = ['mode' => $params['mode'], 'settings' => $params['settings']];
        if ($byurl) {
            // The restore fetches the file when it runs (in the ad-hoc task for a large one).
            $operationparams += ['fileurl' => $params['fileurl'], 'filesha1' => $params['filesha1']];
        }

        [$operation, $created] = operation_manager::create($params['key'], $type, $params['courseid'], $operationparams);
        if ($created && $draftfile) {
            // The draft area may be cleaned before cron runs: keep the file with the operation.
            get_file_storage()->create_file_from_storedfile([
                'contextid' => $context->id,
                'component' => 'local_passage',
                'filearea' => 'restore',
                'itemid' => (int) $operation->id,
                'filepath' => '/',
            ], $draftfile);
        }
        if ($created) {
            $operation = operation_manager::dispatch($operation, (bool) $params['runinline']);
        }
        return operation_manager::export($operation);
    }

    /**
     * The one .mbz file of a draft area.
     *
     * @param int $userid owner of the draft area
     * @param int $draftitemid draft item id
     * @return \stored_file the file
     * @throws moodle_exception nobackupfile
     */
    private static function backup_in_draft_area(int $userid, int $draftitemid): \stored_file {
        $files = get_file_storage()->get_area_files(\context_user::instance($userid)->id, 'user', 'draft', $draftitemid,
            'id', false);
        $backups = array_filter($files, fn(\stored_file $file) => str_ends_with(strtolower($file->get_filename()), '.mbz'));
        if (count($backups) !== 1) {
            throw new \moodle_exception('nobackupfile', 'local_passage', '', $draftitemid);
        }
        return reset($backups);
    }

    /**
     * Answer.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return structures::operation();
    }
}
