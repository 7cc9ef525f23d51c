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

/**
 * English strings of the Passage companion plugin.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['alreadyrestored'] = 'Passage has already restored a backup into course {$a}; it will not restore a second one.';
$string['backupchecksummismatch'] = 'The fetched backup file is not the one the portal sent (SHA-1 {$a->found} instead of {$a->expected}).';
$string['backupfetchfailed'] = 'The backup file could not be fetched from the portal: {$a}';
$string['backupnotfinished'] = 'Backup operation {$a} has not finished yet; its file cannot be deleted.';
$string['backupsettinglocked'] = 'The backup setting "{$a}" is locked on this site and cannot be changed.';
$string['cohortnotfound'] = 'No cohort with ID number "{$a}" can be synced into this course.';
$string['cohortsyncdisabled'] = 'The cohort sync enrolment method is disabled on this site.';
$string['coursebusy'] = 'Another Passage operation is working on course {$a}; try again once it is finished.';
$string['coursenotempty'] = 'Course {$a} already holds activities; restore refused so that nothing is overwritten.';
$string['interrupted'] = 'The operation stopped before it finished (the server process running it ended); ask for it again with a new key.';
$string['invalidbackupfile'] = 'The backup file could not be unpacked.';
$string['invalidgroup'] = 'Group {$a} does not belong to this course.';
$string['invalidrole'] = 'The role "{$a}" does not exist or cannot be assigned in this course.';
$string['keyconflict'] = 'The key "{$a->key}" is already used by a {$a->type} operation on course {$a->courseid}.';
$string['nobackupfile'] = 'Draft area {$a} does not hold exactly one .mbz backup file.';
$string['nobackupproduced'] = 'The backup finished without producing a file.';
$string['operationnotfound'] = 'Operation {$a} does not exist or you may not see it.';
$string['orphanbackupage'] = 'Keep Passage backup files for';
$string['orphanbackupage_desc'] = 'Backup and restore files Passage left in the file store are deleted by a scheduled task once older than this (the portal normally asks to delete each backup as soon as it holds a verified copy). 0 keeps them.';
$string['passage:use'] = 'Use the Passage web services on a course';
$string['pluginname'] = 'Passage';
$string['privacy:metadata:operation'] = 'The backups, resets and restores of courses asked for through Passage.';
$string['privacy:metadata:operation:courseid'] = 'The course the operation was for.';
$string['privacy:metadata:operation:params'] = 'The parameters of the operation.';
$string['privacy:metadata:operation:status'] = 'Whether the operation is waiting, running, done or failed.';
$string['privacy:metadata:operation:timecreated'] = 'When the operation was asked for.';
$string['privacy:metadata:operation:type'] = 'Backup, reset or restore.';
$string['privacy:metadata:operation:userid'] = 'The user who asked for the operation.';
$string['privacy:metadata:restore'] = 'The courses into which Passage restored a backup.';
$string['privacy:metadata:restore:courseid'] = 'The course restored into.';
$string['privacy:metadata:restore:timerestored'] = 'When the restore finished.';
$string['privacy:metadata:restore:userid'] = 'The user who asked for the restore.';
$string['restoreprecheckfailed'] = 'The restore checks failed: {$a}';
$string['startatonce'] = 'Start operations at once';
$string['startatonce_desc'] = 'Start each backup, reset or restore the moment the portal asks for it, in a PHP CLI process of its own (it needs the PHP CLI path under System paths), instead of when the cron next runs ad-hoc tasks. The cron still runs any operation this could not start.';
$string['taskcleanupbackups'] = 'Delete old Passage backup files';
$string['taskrunoperation'] = 'Run a Passage backup, reset or restore';
