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

use stdClass;

/**
 * Creates, runs and describes Passage operations (backup, reset, restore).
 *
 * An operation is one row of local_passage_operation. The caller's key makes a call idempotent:
 * the same key for the same work returns the existing operation, so a retried request never
 * backs up, resets or restores a course twice.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class operation_manager {
    /** @var string Operation type: course backup. */
    public const TYPE_BACKUP = 'backup';
    /** @var string Operation type: course reset. */
    public const TYPE_RESET = 'reset';
    /** @var string Operation type: restore into an existing course. */
    public const TYPE_RESTORE = 'restore';

    /** @var string Waiting for the ad-hoc task. */
    public const STATUS_QUEUED = 'queued';
    /** @var string Being carried out. */
    public const STATUS_RUNNING = 'running';
    /** @var string Finished without error. */
    public const STATUS_SUCCESS = 'success';
    /** @var string Finished with an error. */
    public const STATUS_FAILED = 'failed';

    /** @var string Table holding the operations. */
    private const TABLE = 'local_passage_operation';

    /**
     * Returns the operation already created with this key, or null.
     *
     * A key used for another type of work or another course is refused: the caller has a bug,
     * and answering with the other operation would make it believe its work was done.
     *
     * @param string $key the caller's idempotency key
     * @param string $type operation type
     * @param int $courseid the course the work is for
     * @return stdClass|null the operation record
     * @throws moodle_exception keyconflict
     */
    public static function find_by_key(string $key, string $type, int $courseid): ?stdClass {
        global $DB;
        $operation = $DB->get_record(self::TABLE, ['opkey' => $key]);
        if (!$operation) {
            return null;
        }
        if ($operation->type !== $type || (int) $operation->courseid !== $courseid) {
            throw new \moodle_exception('keyconflict', 'local_passage', '', (object) [
                'key' => $key, 'type' => $operation->type, 'courseid' => $operation->courseid,
            ]);
        }
        return $operation;
    }

    /**
     * Creates a queued operation, or returns the one a concurrent call created with the same key.
     *
     * @param string $key the caller's idempotency key
     * @param string $type operation type
     * @param int $courseid the course the work is for
     * @param array $params the call's parameters, kept as JSON for the runner
     * @return array{0: stdClass, 1: bool} the operation and whether this call created it
     */
    public static function create(string $key, string $type, int $courseid, array $params): array {
        global $DB, $USER;
        $record = (object) [
            'opkey' => $key,
            'type' => $type,
            'courseid' => $courseid,
            'userid' => $USER->id,
            'status' => self::STATUS_QUEUED,
            'progress' => 0,
            'params' => json_encode($params),
            'result' => json_encode([]),
            'errorcode' => '',
            'errormessage' => '',
            'timecreated' => time(),
            'timestarted' => 0,
            'timefinished' => 0,
        ];
        try {
            $record->id = $DB->insert_record(self::TABLE, $record);
        } catch (\dml_write_exception $e) {
            // Two requests with one key raced: the unique index let only one in.
            $existing = self::find_by_key($key, $type, $courseid);
            if ($existing) {
                return [$existing, false];
            }
            throw $e;
        }
        return [$record, true];
    }

    /**
     * Runs the operation now, or queues the ad-hoc task that will.
     *
     * @param stdClass $operation a queued operation
     * @param bool $runinline true to do the work inside this request
     * @return stdClass the operation as it stands afterwards
     */
    public static function dispatch(stdClass $operation, bool $runinline): stdClass {
        global $USER;
        if ($runinline) {
            // The portal may give up waiting; the work must still finish and be recorded.
            ignore_user_abort(true);
            self::run((int) $operation->id);
        } else {
            $task = new \local_passage\task\run_operation();
            $task->set_custom_data(['operationid' => (int) $operation->id]);
            $task->set_userid($USER->id);
            $taskid = \core\task\manager::queue_adhoc_task($task);
            if ($taskid && get_config('local_passage', 'startatonce')) {
                self::start_task_at_once((int) $taskid);
            }
        }
        return self::get((int) $operation->id);
    }

    /**
     * Starts a queued ad-hoc task now, in a PHP CLI process of its own that this request does
     * not wait for, as the task admin's "Run now" does: the work begins at once instead of when
     * the cron next looks for tasks (up to a second with a keep-alive runner, a minute with cron
     * alone). Without a PHP CLI path (System paths, $CFG->pathtophp) or where PHP may not start
     * processes, the cron runs the task as before; if both reach it, the task's lock lets only
     * one of them run it.
     *
     * @param int $taskid the queued task
     */
    private static function start_task_at_once(int $taskid): void {
        global $CFG;
        if (PHPUNIT_TEST || DIRECTORY_SEPARATOR !== '/' || !function_exists('exec')
                || !\core\task\manager::is_runnable()) {
            return;
        }
        $script = $CFG->dirroot . '/' . $CFG->admin . '/cli/adhoc_task.php';
        $command = escapeshellarg(trim($CFG->pathtophp)) . ' ' . escapeshellarg($script) . ' '
            . escapeshellarg('--id=' . $taskid);
        exec($command . ' > /dev/null 2>&1 &');
    }

    /**
     * Carries out a queued operation and records its outcome. Does nothing to an operation that
     * already started, so a task run twice does the work once.
     *
     * Two operations never work on one course at once. When another one holds the course, an
     * operation run by the ad-hoc task throws so that the task is tried again later (the
     * operation stays queued); one run inside a request fails with "coursebusy".
     *
     * @param int $operationid operation id
     * @param bool $retrylater true when the ad-hoc task runs it
     */
    public static function run(int $operationid, bool $retrylater = false): void {
        global $DB;
        $locks = \core\lock\lock_config::get_lock_factory('local_passage');
        $lock = $locks->get_lock('operation_' . $operationid, 0);
        if (!$lock) {
            return;
        }
        try {
            $operation = $DB->get_record(self::TABLE, ['id' => $operationid]);
            if ($operation && $operation->status === self::STATUS_RUNNING) {
                self::mark_interrupted($operation);
            }
            if (!$operation || $operation->status !== self::STATUS_QUEUED) {
                return;
            }
            $courselock = $locks->get_lock('course_' . $operation->courseid, 0);
            if (!$courselock) {
                if ($retrylater) {
                    throw new \moodle_exception('coursebusy', 'local_passage', '', $operation->courseid);
                }
                $operation->status = self::STATUS_FAILED;
                $operation->errorcode = 'coursebusy';
                $operation->errormessage = get_string('coursebusy', 'local_passage', $operation->courseid);
                $operation->timefinished = time();
                $DB->update_record(self::TABLE, $operation);
                return;
            }
            try {
                self::carry_out($operation);
            } finally {
                $courselock->release();
            }
        } finally {
            $lock->release();
        }
    }

    /**
     * Settles an operation left "running" by a process that died (a PHP time-out, a restarted
     * server): nobody holds its lock any more, so it is marked failed with "interrupted"
     * instead of running for ever. An operation really running is returned as it is.
     *
     * @param stdClass $operation the operation
     * @return stdClass the operation as it stands
     */
    public static function settle_if_interrupted(stdClass $operation): stdClass {
        if ($operation->status !== self::STATUS_RUNNING) {
            return $operation;
        }
        $lock = \core\lock\lock_config::get_lock_factory('local_passage')->get_lock('operation_' . $operation->id, 0);
        if (!$lock) {
            return $operation;
        }
        try {
            $current = self::get((int) $operation->id);
            if ($current->status === self::STATUS_RUNNING) {
                self::mark_interrupted($current);
            }
            return $current;
        } finally {
            $lock->release();
        }
    }

    /**
     * Records that a running operation's process died. The caller holds the operation's lock.
     *
     * @param stdClass $operation the operation, updated in place
     */
    private static function mark_interrupted(stdClass $operation): void {
        global $DB;
        $operation->status = self::STATUS_FAILED;
        $operation->errorcode = 'interrupted';
        $operation->errormessage = get_string('interrupted', 'local_passage');
        $operation->timefinished = time();
        $DB->update_record(self::TABLE, $operation);
    }

    /**
     * Does the work of a claimed operation and records the outcome on its row.
     *
     * @param stdClass $operation the queued operation, locked by the caller
     */
    private static function carry_out(stdClass $operation): void {
        global $DB;
        $operation->status = self::STATUS_RUNNING;
        $operation->timestarted = time();
        $operation->progress = 0.05;
        $DB->update_record(self::TABLE, $operation);

        try {
            $result = self::runner_for($operation->type)->run($operation, json_decode($operation->params, true) ?: []);
            $operation->status = self::STATUS_SUCCESS;
            $operation->progress = 1;
            $operation->result = json_encode($result);
        } catch (\Throwable $e) {
            $operation->status = self::STATUS_FAILED;
            $operation->errorcode = ($e instanceof \moodle_exception) ? $e->errorcode : 'unexpectederror';
            $operation->errormessage = $e->getMessage();
            debugging('Passage operation ' . $operation->id . ' failed: ' . $e->getMessage()
                . (($e instanceof \moodle_exception && $e->debuginfo) ? ' (' . $e->debuginfo . ')' : ''),
                DEBUG_DEVELOPER);
        }
        $operation->timefinished = time();
        $DB->update_record(self::TABLE, $operation);
    }

    /**
     * Records how far a running operation has got, for the portal's progress bar.
     *
     * @param int $operationid operation id
     * @param float $progress between 0 and 1
     */
    public static function set_progress(int $operationid, float $progress): void {
        global $DB;
        $DB->set_field(self::TABLE, 'progress', max(0, min(1, $progress)), ['id' => $operationid]);
    }

    /**
     * Loads an operation.
     *
     * @param int $operationid operation id
     * @return stdClass the record
     */
    public static function get(int $operationid): stdClass {
        global $DB;
        return $DB->get_record(self::TABLE, ['id' => $operationid], '*', MUST_EXIST);
    }

    /**
     * The operation as the web services describe it (see API.md).
     *
     * @param stdClass $operation the record
     * @return array the answer structure
     */
    public static function export(stdClass $operation): array {
        $result = json_decode($operation->result ?? '', true) ?: [];
        return [
            'id' => (int) $operation->id,
            'key' => $operation->opkey,
            'type' => $operation->type,
            'courseid' => (int) $operation->courseid,
            'status' => $operation->status,
            'progress' => (float) $operation->progress,
            'timecreated' => (int) $operation->timecreated,
            'timestarted' => (int) $operation->timestarted,
            'timefinished' => (int) $operation->timefinished,
            'result' => [
                'filename' => (string) ($result['filename'] ?? ''),
                'filesize' => (int) ($result['filesize'] ?? 0),
                'contenthash' => (string) ($result['contenthash'] ?? ''),
                'fileurl' => (string) ($result['fileurl'] ?? ''),
                'components' => array_map(fn(array $c) => [
                    'component' => (string) $c['component'],
                    'item' => (string) $c['item'],
                    'error' => (string) $c['error'],
                ], $result['components'] ?? []),
                'restoredcourseid' => (int) ($result['restoredcourseid'] ?? 0),
            ],
            'error' => [
                'errorcode' => (string) $operation->errorcode,
                'message' => (string) ($operation->errormessage ?? ''),
            ],
        ];
    }

    /**
     * The object that does the work of one operation type.
     *
     * @param string $type operation type
     * @return operation_runner the runner
     */
    private static function runner_for(string $type): operation_runner {
        return match ($type) {
            self::TYPE_BACKUP => new backup_runner(),
            self::TYPE_RESET => new reset_runner(),
            self::TYPE_RESTORE => new restore_runner(),
        };
    }
}
