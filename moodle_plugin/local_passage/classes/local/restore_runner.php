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

use backup;
use backup_setting;
use restore_controller;
use restore_dbops;

/**
 * Restores a .mbz file into an existing course, as the restore pages do.
 *
 * The call copied the uploaded file into the Passage "restore" area (item = operation id), so
 * a queued restore does not depend on the user's draft area still existing when cron runs.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class restore_runner implements operation_runner {
    /** @var string Restore mode: empty the course first. */
    public const MODE_DELETE = 'delete';
    /** @var string Restore mode: add to what the course holds. */
    public const MODE_MERGE = 'merge';

    /** @var array<string, int> Settings Passage sets unless the call says otherwise. */
    private const DEFAULT_SETTINGS = [
        // The target course was prepared by the portal: its teachers and cohorts stay.
        'keep_roles_and_enrolments' => 1,
        'keep_groups_and_groupings' => 1,
    ];

    /**
     * Restores the stored file into the operation's course.
     *
     * @param \stdClass $operation the running operation
     * @param array $params mode, settings (list of name/value)
     * @return array restoredcourseid
     */
    public function run(\stdClass $operation, array $params): array {
        global $CFG, $DB;
        require_once($CFG->dirroot . '/backup/util/includes/restore_includes.php');

        $courseid = (int) $operation->courseid;
        $userid = (int) $operation->userid;
        $file = empty($params['fileurl']) ? self::stored_backup_file($operation) : null;
        $archive = $file ?? self::fetch_backup_file((string) $params['fileurl'], (string) $params['filesha1']);
        $tempdir = restore_controller::get_tempdir_name($courseid, $userid);
        $temppath = make_backup_temp_directory($tempdir);
        try {
            if (!get_file_packer('application/vnd.moodle.backup')->extract_to_pathname($archive, $temppath)) {
                throw new \moodle_exception('invalidbackupfile', 'local_passage');
            }
            operation_manager::set_progress((int) $operation->id, 0.15);

            $deleting = ($params['mode'] ?? self::MODE_DELETE) === self::MODE_DELETE;
            $controller = new restore_controller(
                $tempdir,
                $courseid,
                backup::INTERACTIVE_NO,
                backup::MODE_GENERAL,
                $userid,
                $deleting ? backup::TARGET_EXISTING_DELETING : backup::TARGET_EXISTING_ADDING
            );
            try {
                $settings = self::DEFAULT_SETTINGS;
                foreach ($params['settings'] ?? [] as $setting) {
                    $settings[(string) $setting['name']] = (int) $setting['value'];
                }
                self::apply_settings($controller, $settings);

                if (!$controller->execute_precheck()) {
                    $results = $controller->get_precheck_results();
                    if (!empty($results['errors'])) {
                        throw new \moodle_exception('restoreprecheckfailed', 'local_passage', '',
                            implode(' ', $results['errors']));
                    }
                }
                if ($deleting) {
                    // As restore_ui does for "delete the contents of this course and then restore".
                    restore_dbops::delete_course_content($courseid, [
                        'keep_roles_and_enrolments' => self::plan_value($controller, 'keep_roles_and_enrolments'),
                        'keep_groups_and_groupings' => self::plan_value($controller, 'keep_groups_and_groupings'),
                    ]);
                }
                $controller->set_progress(new operation_progress((int) $operation->id, 0.2, 0.95));
                $controller->execute_plan();
            } finally {
                $controller->destroy();
            }
        } finally {
            if (empty($CFG->keeptempdirectoriesonbackup)) {
                fulldelete($temppath);
            }
            // A failed restore is asked for again with a new key and a new upload.
            if ($file) {
                $file->delete();
            } else {
                @unlink($archive);
            }
        }

        $DB->insert_record('local_passage_restore', (object) [
            'courseid' => $courseid,
            'operationid' => (int) $operation->id,
            'timerestored' => time(),
            'userid' => $userid,
        ]);
        return ['restoredcourseid' => $courseid];
    }

    /**
     * Whether Passage has already restored a backup into the course.
     *
     * @param int $courseid course id
     * @return \stdClass|null the restore record
     */
    public static function restore_record(int $courseid): ?\stdClass {
        global $DB;
        return $DB->get_record('local_passage_restore', ['courseid' => $courseid]) ?: null;
    }

    /**
     * Whether the course holds an activity other than its news forum, which every new course
     * gets and which restoring does not need.
     *
     * @param int $courseid course id
     * @return bool
     */
    public static function course_has_activities(int $courseid): bool {
        global $DB;
        $sql = "SELECT 1
                  FROM {course_modules} cm
                  JOIN {modules} m ON m.id = cm.module
             LEFT JOIN {forum} f ON m.name = 'forum' AND f.id = cm.instance
                 WHERE cm.course = :courseid
                   AND cm.deletioninprogress = 0
                   AND (f.id IS NULL OR f.type <> 'news')";
        return $DB->record_exists_sql($sql, ['courseid' => $courseid]);
    }

    /**
     * The .mbz file the call stored for this operation.
     *
     * @param \stdClass $operation the operation
     * @return \stored_file the file
     */
    private static function stored_backup_file(\stdClass $operation): \stored_file {
        $context = \context_course::instance((int) $operation->courseid);
        $files = get_file_storage()->get_area_files($context->id, 'local_passage', 'restore',
            (int) $operation->id, 'id', false);
        if (!$files) {
            throw new \moodle_exception('nobackupfile', 'local_passage');
        }
        return reset($files);
    }

    /**
     * Fetches a backup too large for webservice/upload.php from the short-lived URL the portal
     * gave, straight to a temporary file (never into memory), and checks its SHA-1.
     *
     * Moodle's HTTP security settings apply: the portal's host must not be in
     * "cURL blocked hosts" (Site administration > Security > HTTP security).
     *
     * @param string $url the URL
     * @param string $sha1 expected SHA-1
     * @return string path of the fetched file
     */
    private static function fetch_backup_file(string $url, string $sha1): string {
        $path = make_request_directory() . '/passage-restore.mbz';
        $curl = new \curl();
        $curl->setopt(['CURLOPT_TIMEOUT' => 6 * HOURSECS, 'CURLOPT_CONNECTTIMEOUT' => 30]);
        $fetched = $curl->download_one($url, null, ['filepath' => $path]);
        $status = (int) ($curl->get_info()['http_code'] ?? 0);
        if ($fetched !== true || $curl->get_errno() || $status !== 200 || !is_file($path)) {
            @unlink($path);
            $reason = $curl->get_errno() ? $curl->error : ($curl->error ?: "HTTP $status");
            throw new \moodle_exception('backupfetchfailed', 'local_passage', '', $reason);
        }
        $found = sha1_file($path);
        if ($found !== $sha1) {
            @unlink($path);
            throw new \moodle_exception('backupchecksummismatch', 'local_passage', '',
                (object) ['expected' => $sha1, 'found' => $found]);
        }
        return $path;
    }

    /**
     * Sets the plan's settings that exist and are not locked; the others keep their value
     * (a backup without users cannot restore users, whatever is asked).
     *
     * @param restore_controller $controller the restore
     * @param array<string, int> $settings name => value
     */
    private static function apply_settings(restore_controller $controller, array $settings): void {
        $plan = $controller->get_plan();
        foreach ($settings as $name => $value) {
            if (!$plan->setting_exists($name)) {
                continue;
            }
            $setting = $plan->get_setting($name);
            if ($setting->get_value() != $value && $setting->get_status() === backup_setting::NOT_LOCKED) {
                $setting->set_value($value);
            }
        }
    }

    /**
     * The value of a plan setting, or 0 when the plan does not have it.
     *
     * @param restore_controller $controller the restore
     * @param string $name setting name
     * @return int the value
     */
    private static function plan_value(restore_controller $controller, string $name): int {
        $plan = $controller->get_plan();
        return $plan->setting_exists($name) ? (int) $plan->get_setting($name)->get_value() : 0;
    }
}
