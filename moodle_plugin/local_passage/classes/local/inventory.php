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
 * Counts what a course holds, so a teacher reviews real numbers before a reset or a copy.
 *
 * Every count of user data is split between students (authors holding a role of the student
 * archetype in the course, or no role any more: former students) and others (teachers,
 * managers, site administrators). The counts are direct database counts per table.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class inventory {
    /** @var string[] Modules the reset page cannot reset. */
    private const NOT_RESETTABLE = ['lti', 'qbank', 'subsection'];

    /** @var string Join from a table whose alias x carries the instance id in {instance}. */
    private const BY_INSTANCE = 'cm.instance = {instance} AND cm.module = :moduleid';

    /** @var string From clause reaching a module context (ratings and comments live there). */
    private const MODULE_CONTEXT = 'JOIN {context} ctx ON ctx.id = x.contextid AND ctx.contextlevel = ' . CONTEXT_MODULE;

    /** @var stdClass The course. */
    private stdClass $course;

    /** @var \context_course Its context. */
    private \context_course $context;

    /** @var string SQL "IN (...)" matching the users counted as others. */
    private string $otherssql;

    /** @var array Parameters of $otherssql. */
    private array $othersparams;

    /**
     * Constructor.
     *
     * @param stdClass $course the course to count
     */
    public function __construct(stdClass $course) {
        global $DB;
        $this->course = $course;
        $this->context = \context_course::instance($course->id);
        [$this->otherssql, $this->othersparams] = $DB->get_in_or_equal(
            $this->other_users(), SQL_PARAMS_NAMED, 'others', true, 0);
    }

    /**
     * The full inventory, in the structure of local_passage_get_course_inventory.
     *
     * @return array the inventory
     */
    public function build(): array {
        global $DB;
        $category = $DB->get_record('course_categories', ['id' => $this->course->category]);
        $restore = restore_runner::restore_record((int) $this->course->id);
        return [
            'course' => [
                'id' => (int) $this->course->id,
                'shortname' => (string) $this->course->shortname,
                'fullname' => (string) $this->course->fullname,
                'idnumber' => (string) $this->course->idnumber,
                'categoryid' => (int) $this->course->category,
                'categoryname' => $category ? (string) $category->name : '',
                'startdate' => (int) $this->course->startdate,
                'enddate' => (int) $this->course->enddate,
                'visible' => (bool) $this->course->visible,
                'format' => (string) $this->course->format,
            ],
            'modules' => $this->modules(),
            'coursedata' => $this->course_data(),
            'enrolments' => $this->enrolments(),
            'roles' => $this->roles(),
            'groups' => $this->groups(),
            'groupings' => $this->groupings(),
            'gradebook' => $this->gradebook(),
            'restore' => [
                'restored' => (bool) $restore,
                'timerestored' => $restore ? (int) $restore->timerestored : 0,
                'operationid' => $restore ? (int) $restore->operationid : 0,
            ],
            'timegenerated' => time(),
        ];
    }

    /**
     * Users whose data counts as "others": anyone holding a role other than a student one in the
     * course or above it, and the site administrators, unless they are students of the course.
     *
     * @return int[] user ids
     */
    private function other_users(): array {
        global $CFG, $DB;
        $studentroles = array_map('intval', array_keys(get_archetype_roles('student')));
        [$ctxsql, $ctxparams] = $DB->get_in_or_equal(
            array_map('intval', $this->context->get_parent_context_ids(true)), SQL_PARAMS_NAMED, 'ctx');
        $assignments = $DB->get_recordset_sql(
            "SELECT ra.id, ra.userid, ra.roleid, ra.contextid FROM {role_assignments} ra WHERE ra.contextid $ctxsql",
            $ctxparams);
        $others = array_fill_keys(array_map('intval', explode(',', $CFG->siteadmins)), true);
        $students = [];
        foreach ($assignments as $assignment) {
            if (in_array((int) $assignment->roleid, $studentroles, true)) {
                if ((int) $assignment->contextid === (int) $this->context->id) {
                    $students[(int) $assignment->userid] = true;
                }
            } else {
                $others[(int) $assignment->userid] = true;
            }
        }
        $assignments->close();
        return array_keys(array_diff_key($others, $students));
    }

    /**
     * The course's modules with the counts of their user data.
     *
     * @return array[] module structures
     */
    private function modules(): array {
        global $CFG, $DB;
        $modinfo = get_fast_modinfo($this->course);
        $cms = $modinfo->get_cms();
        $counts = [];
        $modnames = array_unique(array_map(fn($cm) => $cm->modname, $cms));
        foreach ($modnames as $modname) {
            $moduleid = (int) $DB->get_field('modules', 'id', ['name' => $modname]);
            foreach (self::module_kinds($modname) as $kind => $definition) {
                $counts[$kind][$modname] = $this->count_by_cm($definition, $moduleid, 'mod_' . $modname);
            }
        }
        $completions = $this->count_by_cm(['from' => '{course_modules_completion} x', 'cm' => 'cm.id = x.coursemoduleid',
            'user' => 'x.userid'], 0, '');

        $modules = [];
        foreach ($cms as $cm) {
            $data = [];
            foreach (array_keys(self::module_kinds($cm->modname)) as $kind) {
                $data[] = $this->kind_row($kind, $counts[$kind][$cm->modname][$cm->id] ?? null);
            }
            $data[] = $this->kind_row('completions', $completions[$cm->id] ?? null);
            $modules[] = [
                'cmid' => (int) $cm->id,
                'modname' => (string) $cm->modname,
                'instance' => (int) $cm->instance,
                'name' => (string) $cm->name,
                'section' => (int) $cm->sectionnum,
                'visible' => (bool) $cm->visible,
                'resettable' => !in_array($cm->modname, self::NOT_RESETTABLE, true),
                'data' => $data,
            ];
        }
        return $modules;
    }

    /**
     * Where each kind of user data of a module type is stored.
     *
     * Each definition gives the tables (alias x is the counted row), how a row reaches its
     * course module, the author column, and an optional condition.
     *
     * @param string $modname module name
     * @return array<string, array> kind => definition
     */
    private static function module_kinds(string $modname): array {
        $byinstance = fn(string $column) => str_replace('{instance}', $column, self::BY_INSTANCE);
        $ratings = ['from' => '{rating} x ' . self::MODULE_CONTEXT, 'cm' => 'cm.id = ctx.instanceid',
            'user' => 'x.userid', 'where' => 'x.component = :component'];
        $comments = ['from' => '{comments} x ' . self::MODULE_CONTEXT, 'cm' => 'cm.id = ctx.instanceid',
            'user' => 'x.userid', 'where' => 'x.component = :component'];
        return match ($modname) {
            'forum' => [
                'discussions' => ['from' => '{forum_discussions} x', 'cm' => $byinstance('x.forum'), 'user' => 'x.userid'],
                'posts' => ['from' => '{forum_posts} x JOIN {forum_discussions} d ON d.id = x.discussion',
                    'cm' => $byinstance('d.forum'), 'user' => 'x.userid'],
                'ratings' => $ratings,
                'subscriptions' => ['from' => '{forum_subscriptions} x', 'cm' => $byinstance('x.forum'), 'user' => 'x.userid'],
            ],
            'assign' => [
                // Moodle creates a "new" submission row when a student only opens the assignment.
                'submissions' => ['from' => '{assign_submission} x', 'cm' => $byinstance('x.assignment'),
                    'user' => 'x.userid', 'where' => "x.status <> 'new'"],
                'grades' => ['from' => '{assign_grades} x', 'cm' => $byinstance('x.assignment'), 'user' => 'x.userid'],
                'overrides' => ['from' => '{assign_overrides} x', 'cm' => $byinstance('x.assignid'), 'user' => 'x.userid'],
            ],
            'quiz' => [
                'attempts' => ['from' => '{quiz_attempts} x', 'cm' => $byinstance('x.quiz'), 'user' => 'x.userid'],
                'grades' => ['from' => '{quiz_grades} x', 'cm' => $byinstance('x.quiz'), 'user' => 'x.userid'],
                'overrides' => ['from' => '{quiz_overrides} x', 'cm' => $byinstance('x.quiz'), 'user' => 'x.userid'],
            ],
            'lesson' => [
                'attempts' => ['from' => '{lesson_attempts} x', 'cm' => $byinstance('x.lessonid'), 'user' => 'x.userid'],
                'grades' => ['from' => '{lesson_grades} x', 'cm' => $byinstance('x.lessonid'), 'user' => 'x.userid'],
                'overrides' => ['from' => '{lesson_overrides} x', 'cm' => $byinstance('x.lessonid'), 'user' => 'x.userid'],
            ],
            'h5pactivity' => [
                'attempts' => ['from' => '{h5pactivity_attempts} x', 'cm' => $byinstance('x.h5pactivityid'),
                    'user' => 'x.userid'],
            ],
            'scorm' => [
                'attempts' => ['from' => '{scorm_attempt} x', 'cm' => $byinstance('x.scormid'), 'user' => 'x.userid'],
            ],
            'glossary' => [
                'entries' => ['from' => '{glossary_entries} x', 'cm' => $byinstance('x.glossaryid'), 'user' => 'x.userid'],
                'ratings' => $ratings,
                'comments' => $comments,
            ],
            'data' => [
                'entries' => ['from' => '{data_records} x', 'cm' => $byinstance('x.dataid'), 'user' => 'x.userid'],
                'ratings' => $ratings,
                'comments' => $comments,
            ],
            'wiki' => [
                'pages' => ['from' => '{wiki_pages} x JOIN {wiki_subwikis} s ON s.id = x.subwikiid',
                    'cm' => $byinstance('s.wikiid'), 'user' => 'x.userid'],
                'comments' => $comments,
            ],
            'choice' => [
                'responses' => ['from' => '{choice_answers} x', 'cm' => $byinstance('x.choiceid'), 'user' => 'x.userid'],
            ],
            'feedback' => [
                'responses' => ['from' => '{feedback_completed} x', 'cm' => $byinstance('x.feedback'), 'user' => 'x.userid'],
            ],
            'workshop' => [
                'submissions' => ['from' => '{workshop_submissions} x', 'cm' => $byinstance('x.workshopid'),
                    'user' => 'x.authorid', 'where' => 'x.example = 0'],
                'assessments' => ['from' => '{workshop_assessments} x JOIN {workshop_submissions} s ON s.id = x.submissionid',
                    'cm' => $byinstance('s.workshopid'), 'user' => 'x.reviewerid'],
            ],
            'bigbluebuttonbn' => [
                'recordings' => ['from' => '{bigbluebuttonbn_recordings} x', 'cm' => $byinstance('x.bigbluebuttonbnid'),
                    'user' => 'x.usermodified'],
                'logs' => ['from' => '{bigbluebuttonbn_logs} x', 'cm' => $byinstance('x.bigbluebuttonbnid'),
                    'user' => 'x.userid'],
            ],
            default => [],
        };
    }

    /**
     * Counts one kind of module data of the course, per course module.
     *
     * @param array $definition from, cm, user, where (see module_kinds)
     * @param int $moduleid the module type's id
     * @param string $component the module's component, for ratings and comments
     * @return array<int, stdClass> cmid => (total, others)
     */
    private function count_by_cm(array $definition, int $moduleid, string $component): array {
        global $DB;
        $where = isset($definition['where']) ? ' AND ' . $definition['where'] : '';
        $sql = "SELECT cm.id AS cmid, COUNT(1) AS total,
                       SUM(CASE WHEN {$definition['user']} {$this->otherssql} THEN 1 ELSE 0 END) AS others
                  FROM {$definition['from']}
                  JOIN {course_modules} cm ON {$definition['cm']}
                 WHERE cm.course = :courseid{$where}
              GROUP BY cm.id";
        $params = ['courseid' => $this->course->id, 'moduleid' => $moduleid, 'component' => $component]
            + $this->othersparams;
        return $DB->get_records_sql($sql, self::used_params($sql, $params));
    }

    /**
     * Counts rows of the course's own data (not tied to a module).
     *
     * @param string $from tables, alias x the counted row
     * @param string $where condition
     * @param string $user the author column
     * @param array $params parameters of $where
     * @return array kind row without its name
     */
    private function count_rows(string $from, string $where, string $user, array $params): stdClass {
        global $DB;
        $sql = "SELECT COUNT(1) AS total, SUM(CASE WHEN $user {$this->otherssql} THEN 1 ELSE 0 END) AS others
                  FROM $from
                 WHERE $where";
        return $DB->get_record_sql($sql, $params + $this->othersparams);
    }

    /**
     * One {kind, total, students, others} row.
     *
     * @param string $kind kind name
     * @param stdClass|null $count total and others, null when there is nothing
     * @return array the row
     */
    private function kind_row(string $kind, ?stdClass $count): array {
        $total = $count ? (int) $count->total : 0;
        $others = $count ? (int) $count->others : 0;
        return ['kind' => $kind, 'total' => $total, 'students' => $total - $others, 'others' => $others];
    }

    /**
     * The course's data outside its modules.
     *
     * @return array[] kind rows
     */
    private function course_data(): array {
        global $DB;
        $courseid = ['courseid' => $this->course->id];
        $blogcontexts = ['ctxid' => $this->context->id, 'ctxpath' => $this->context->path . '/%'];
        $rows = [
            'events' => $this->count_rows('{event} x', 'x.courseid = :courseid', 'x.userid', $courseid),
            'notes' => $this->count_rows('{post} x', "x.module = 'notes' AND x.courseid = :courseid", 'x.userid', $courseid),
            'comments' => $this->count_rows('{comments} x', 'x.contextid = :ctxid', 'x.userid',
                ['ctxid' => $this->context->id]),
            'coursecompletions' => $this->count_rows('{course_completions} x', 'x.course = :courseid', 'x.userid', $courseid),
            'blogassociations' => $this->count_rows(
                '{blog_association} x JOIN {post} p ON p.id = x.blogid JOIN {context} c ON c.id = x.contextid',
                '(c.id = :ctxid OR ' . $DB->sql_like('c.path', ':ctxpath') . ')', 'p.userid', $blogcontexts),
            'competencyratings' => $this->count_rows('{competency_usercompcourse} x', 'x.courseid = :courseid', 'x.userid',
                $courseid),
        ];
        $result = [];
        foreach ($rows as $kind => $count) {
            $result[] = $this->kind_row($kind, $count);
        }
        return $result;
    }

    /**
     * The course's enrolment instances.
     *
     * @return array[] enrolment structures
     */
    private function enrolments(): array {
        global $DB;
        $result = [];
        foreach (enrol_get_instances($this->course->id, false) as $instance) {
            $plugin = enrol_get_plugin($instance->enrol);
            $iscohort = $instance->enrol === 'cohort';
            $cohort = $iscohort ? $DB->get_record('cohort', ['id' => $instance->customint1]) : null;
            $role = $instance->roleid ? $DB->get_record('role', ['id' => $instance->roleid]) : null;
            $result[] = [
                'id' => (int) $instance->id,
                'method' => (string) $instance->enrol,
                'name' => $plugin ? (string) $plugin->get_instance_name($instance) : (string) $instance->enrol,
                'status' => (int) $instance->status,
                'roleid' => (int) $instance->roleid,
                'roleshortname' => $role ? (string) $role->shortname : '',
                'cohortid' => $iscohort ? (int) $instance->customint1 : 0,
                'cohortidnumber' => $cohort ? (string) $cohort->idnumber : '',
                'cohortname' => $cohort ? (string) $cohort->name : '',
                'groupid' => $iscohort ? (int) $instance->customint2 : 0,
                'users' => $DB->count_records('user_enrolments', ['enrolid' => $instance->id]),
            ];
        }
        return $result;
    }

    /**
     * Roles assigned in the course context, with the number of users holding each.
     *
     * @return array[] role structures
     */
    private function roles(): array {
        global $DB;
        $sql = "SELECT r.id AS roleid, r.shortname, r.archetype, COUNT(DISTINCT ra.userid) AS users
                  FROM {role} r
                  JOIN {role_assignments} ra ON ra.roleid = r.id
                 WHERE ra.contextid = :ctxid
              GROUP BY r.id, r.shortname, r.archetype, r.sortorder
              ORDER BY r.sortorder";
        return array_values(array_map(fn($r) => [
            'roleid' => (int) $r->roleid,
            'shortname' => (string) $r->shortname,
            'archetype' => (string) $r->archetype,
            'users' => (int) $r->users,
        ], $DB->get_records_sql($sql, ['ctxid' => $this->context->id])));
    }

    /**
     * The course's groups and their sizes.
     *
     * @return array[] group structures
     */
    private function groups(): array {
        global $DB;
        $sql = "SELECT g.id, g.name, g.idnumber, COUNT(gm.id) AS members
                  FROM {groups} g
             LEFT JOIN {groups_members} gm ON gm.groupid = g.id
                 WHERE g.courseid = :courseid
              GROUP BY g.id, g.name, g.idnumber
              ORDER BY g.name";
        return array_values(array_map(fn($g) => [
            'id' => (int) $g->id,
            'name' => (string) $g->name,
            'idnumber' => (string) $g->idnumber,
            'members' => (int) $g->members,
        ], $DB->get_records_sql($sql, ['courseid' => $this->course->id])));
    }

    /**
     * The course's groupings and how many groups each holds.
     *
     * @return array[] grouping structures
     */
    private function groupings(): array {
        global $DB;
        $sql = "SELECT g.id, g.name, COUNT(gg.id) AS groupcount
                  FROM {groupings} g
             LEFT JOIN {groupings_groups} gg ON gg.groupingid = g.id
                 WHERE g.courseid = :courseid
              GROUP BY g.id, g.name
              ORDER BY g.name";
        return array_values(array_map(fn($g) => [
            'id' => (int) $g->id,
            'name' => (string) $g->name,
            'groups' => (int) $g->groupcount,
        ], $DB->get_records_sql($sql, ['courseid' => $this->course->id])));
    }

    /**
     * Sizes of the gradebook.
     *
     * @return array gradebook structure
     */
    private function gradebook(): array {
        global $DB;
        $courseid = ['courseid' => $this->course->id];
        $grades = $this->count_rows('{grade_grades} x JOIN {grade_items} i ON i.id = x.itemid',
            'i.courseid = :courseid AND x.finalgrade IS NOT NULL', 'x.userid', $courseid);
        return [
            'categories' => $DB->count_records('grade_categories', $courseid),
            'manualitems' => $DB->count_records('grade_items', $courseid + ['itemtype' => 'manual']),
            'activityitems' => $DB->count_records('grade_items', $courseid + ['itemtype' => 'mod']),
            'grades' => (int) $grades->total,
            'studentgrades' => (int) $grades->total - (int) $grades->others,
        ];
    }

    /**
     * Keeps only the named parameters the SQL uses (Moodle refuses unused ones).
     *
     * @param string $sql the query
     * @param array $params candidate parameters
     * @return array the parameters used
     */
    private static function used_params(string $sql, array $params): array {
        return array_filter($params, fn($name) => str_contains($sql, ':' . $name), ARRAY_FILTER_USE_KEY);
    }
}
