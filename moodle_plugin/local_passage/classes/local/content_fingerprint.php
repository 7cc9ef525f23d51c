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
 * What a course's content is made of, summed up in one SHA-1: equal fingerprints mean no
 * change since, so a backup taken then still holds the course as it is.
 *
 * It covers the course settings, every section (number, order of its activities, visibility,
 * modification time), every activity (its module, instance, visibility, when it was added and
 * its instance's modification time) and the files of the course and its activities (backup
 * files, Passage's own backups and users' private files aside).
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class content_fingerprint {
    /**
     * The fingerprint and the latest modification time found.
     *
     * @param int $courseid course id
     * @return array ['fingerprint' => string, 'timemodified' => int]
     */
    public static function of_course(int $courseid): array {
        global $DB;
        $course = $DB->get_record('course', ['id' => $courseid], 'id, timemodified', MUST_EXIST);
        $parts = ['course' => [(int) $course->id, (int) $course->timemodified]];
        $latest = (int) $course->timemodified;

        $sections = $DB->get_records('course_sections', ['course' => $courseid], 'section',
            'id, section, sequence, visible, timemodified');
        foreach ($sections as $section) {
            $parts['sections'][] = [(int) $section->id, (int) $section->section, (string) $section->sequence,
                (int) $section->visible, (int) $section->timemodified];
            $latest = max($latest, (int) $section->timemodified);
        }

        $cms = $DB->get_records_sql(
            'SELECT cm.id, cm.instance, cm.visible, cm.added, m.name AS modname
               FROM {course_modules} cm
               JOIN {modules} m ON m.id = cm.module
              WHERE cm.course = :courseid AND cm.deletioninprogress = 0
           ORDER BY cm.id', ['courseid' => $courseid]);
        $instancetimes = self::instance_times($cms);
        foreach ($cms as $cm) {
            $modified = $instancetimes[$cm->modname][$cm->instance] ?? 0;
            $parts['modules'][] = [(int) $cm->id, (string) $cm->modname, (int) $cm->instance,
                (int) $cm->visible, (int) $cm->added, $modified];
            $latest = max($latest, (int) $cm->added, $modified);
        }

        $context = \context_course::instance($courseid);
        $files = $DB->get_record_sql(
            "SELECT COUNT(f.id) AS files, COALESCE(SUM(f.filesize), 0) AS bytes,
                    COALESCE(MAX(f.timemodified), 0) AS latest
               FROM {files} f
               JOIN {context} ctx ON ctx.id = f.contextid
              WHERE (ctx.id = :coursectx OR ctx.path LIKE :below)
                AND f.filename <> '.' AND f.component NOT IN ('backup', 'user', 'local_passage')",
            ['coursectx' => $context->id, 'below' => $context->path . '/%']);
        $parts['files'] = [(int) $files->files, (int) $files->bytes, (int) $files->latest];
        $latest = max($latest, (int) $files->latest);

        return ['fingerprint' => sha1(json_encode($parts)), 'timemodified' => $latest];
    }

    /**
     * The modification time of each activity instance, by module name then instance id, for
     * the modules whose table has a timemodified column.
     *
     * @param \stdClass[] $cms course modules with modname and instance
     * @return array<string, array<int, int>>
     */
    private static function instance_times(array $cms): array {
        global $DB;
        $byname = [];
        foreach ($cms as $cm) {
            $byname[$cm->modname][] = (int) $cm->instance;
        }
        $times = [];
        foreach ($byname as $modname => $instances) {
            $columns = $DB->get_columns($modname);
            if (!isset($columns['timemodified'])) {
                continue;
            }
            [$insql, $params] = $DB->get_in_or_equal($instances, SQL_PARAMS_NAMED);
            $times[$modname] = array_map('intval',
                $DB->get_records_select_menu($modname, "id $insql", $params, '', 'id, timemodified'));
        }
        return $times;
    }
}
