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
 * Turns the portal's name/value reset options into the data course/reset.php gives
 * reset_course_userdata().
 *
 * The accepted names are those of the reset form: its general fields, and the fields each
 * installed module adds through <mod>_reset_course_form_definition(). Any other name is refused,
 * so a misspelt option never silently keeps data the teacher asked to delete.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class reset_options {
    /** @var string[] The reset form's checkboxes (course/reset_form.php). */
    private const GENERAL_CHECKBOXES = [
        'reset_events', 'reset_notes', 'reset_comments', 'reset_completion', 'delete_blog_associations',
        'reset_competency_ratings', 'reset_roles_local', 'reset_roles_overrides', 'reset_gradebook_items',
        'reset_gradebook_grades', 'reset_groups_remove', 'reset_groups_members', 'reset_groupings_remove',
        'reset_groupings_members',
    ];

    /** @var string[] The reset form's date fields, given as timestamps. */
    private const DATES = ['reset_start_date', 'reset_end_date'];

    /** @var string Kind of field: a value 0/1 or a single string. */
    private const SINGLE = 'single';
    /** @var string Kind of field: a multi-select, given comma-separated. */
    private const MULTIPLE = 'multiple';
    /** @var string Kind of field: a timestamp. */
    private const DATE = 'date';

    /**
     * Builds the reset data, refusing unknown option names.
     *
     * @param stdClass $course the course to reset
     * @param array $options list of ['name' => string, 'value' => string]
     * @return stdClass the data for reset_course_userdata()
     * @throws invalid_parameter_exception for an unknown name
     */
    public static function to_reset_data(stdClass $course, array $options): stdClass {
        $fields = self::form_fields($course);
        $data = new stdClass();
        foreach ($options as $option) {
            $name = (string) $option['name'];
            $value = trim((string) $option['value']);
            if (!isset($fields[$name])) {
                throw new \invalid_parameter_exception('Unknown reset option: ' . $name);
            }
            $data->$name = match ($fields[$name]) {
                self::DATE => (int) $value,
                self::MULTIPLE => array_values(array_filter(array_map('trim', explode(',', $value)), 'strlen')),
                self::SINGLE => is_numeric($value) ? (int) $value : $value,
            };
        }
        // The page itself adds these before calling reset_course_userdata().
        $data->id = (int) $course->id;
        $data->reset_start_date_old = (int) $course->startdate;
        $data->reset_end_date_old = (int) $course->enddate;
        return $data;
    }

    /**
     * Names of every field of the reset form, with their kind.
     *
     * @param stdClass $course the course (some modules list one field per instance)
     * @return array<string, string> name => kind
     */
    public static function form_fields(stdClass $course): array {
        global $CFG, $COURSE, $DB;
        require_once($CFG->libdir . '/formslib.php');

        $fields = array_fill_keys(self::GENERAL_CHECKBOXES, self::SINGLE);
        $fields += array_fill_keys(self::DATES, self::DATE);
        $fields['unenrol_users'] = self::MULTIPLE;

        $form = new \MoodleQuickForm('local_passage_reset', 'post', '');
        // The modules' form definitions read the global course (feedback lists its instances).
        $previouscourse = $COURSE;
        $COURSE = $course;
        try {
            foreach ($DB->get_records('modules', null, 'name') as $module) {
                $libfile = $CFG->dirroot . '/mod/' . $module->name . '/lib.php';
                $definition = $module->name . '_reset_course_form_definition';
                if (!file_exists($libfile)) {
                    continue;
                }
                include_once($libfile);
                if (function_exists($definition)) {
                    $definition($form);
                }
            }
        } finally {
            $COURSE = $previouscourse;
        }
        foreach ($form->_elements as $element) {
            if (in_array($element->getType(), ['header', 'static', 'hidden', 'html', 'submit', 'button'], true)) {
                continue;
            }
            $multiple = $element instanceof \MoodleQuickForm_select && $element->getMultiple();
            $fields[$element->getName()] = $multiple ? self::MULTIPLE : self::SINGLE;
        }
        return $fields;
    }
}
