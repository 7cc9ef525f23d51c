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
 * Settings of the Passage companion plugin.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

if ($hassiteconfig) {
    $settings = new admin_settingpage('local_passage', get_string('pluginname', 'local_passage'));
    $settings->add(new admin_setting_configduration('local_passage/orphanbackupage',
        get_string('orphanbackupage', 'local_passage'), get_string('orphanbackupage_desc', 'local_passage'),
        14 * DAYSECS, DAYSECS));
    $settings->add(new admin_setting_configcheckbox('local_passage/startatonce',
        get_string('startatonce', 'local_passage'), get_string('startatonce_desc', 'local_passage'), 1));
    $ADMIN->add('localplugins', $settings);
}
