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
 * French strings of the Passage companion plugin.
 *
 * @package    local_passage
 * @copyright  2026 Passage
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['alreadyrestored'] = 'Passage a déjà restauré une sauvegarde dans le cours {$a} ; il n\'en restaurera pas une seconde.';
$string['backupsettinglocked'] = 'Le réglage de sauvegarde « {$a} » est verrouillé sur ce site et ne peut pas être modifié.';
$string['cohortnotfound'] = 'Aucune cohorte d\'identifiant « {$a} » ne peut être synchronisée dans ce cours.';
$string['cohortsyncdisabled'] = 'La méthode d\'inscription par synchronisation des cohortes est désactivée sur ce site.';
$string['coursebusy'] = 'Une autre opération Passage travaille sur le cours {$a} ; réessayez quand elle sera terminée.';
$string['coursenotempty'] = 'Le cours {$a} contient déjà des activités ; restauration refusée pour ne rien écraser.';
$string['interrupted'] = 'L\'opération s\'est arrêtée avant la fin (le processus qui l\'exécutait s\'est terminé) ; redemandez-la avec une nouvelle clé.';
$string['invalidbackupfile'] = 'Le fichier de sauvegarde n\'a pas pu être décompressé.';
$string['invalidgroup'] = 'Le groupe {$a} n\'appartient pas à ce cours.';
$string['invalidrole'] = 'Le rôle « {$a} » n\'existe pas ou ne peut pas être attribué dans ce cours.';
$string['keyconflict'] = 'La clé « {$a->key} » est déjà utilisée par une opération {$a->type} sur le cours {$a->courseid}.';
$string['nobackupfile'] = 'La zone brouillon {$a} ne contient pas exactement un fichier de sauvegarde .mbz.';
$string['nobackupproduced'] = 'La sauvegarde s\'est terminée sans produire de fichier.';
$string['operationnotfound'] = 'L\'opération {$a} n\'existe pas ou vous ne pouvez pas la voir.';
$string['passage:use'] = 'Utiliser les services web Passage sur un cours';
$string['pluginname'] = 'Passage';
$string['privacy:metadata:operation'] = 'Les sauvegardes, réinitialisations et restaurations de cours demandées par Passage.';
$string['privacy:metadata:operation:courseid'] = 'Le cours concerné par l\'opération.';
$string['privacy:metadata:operation:params'] = 'Les paramètres de l\'opération.';
$string['privacy:metadata:operation:status'] = 'Si l\'opération est en attente, en cours, terminée ou en échec.';
$string['privacy:metadata:operation:timecreated'] = 'La date de la demande.';
$string['privacy:metadata:operation:type'] = 'Sauvegarde, réinitialisation ou restauration.';
$string['privacy:metadata:operation:userid'] = 'L\'utilisateur qui a demandé l\'opération.';
$string['privacy:metadata:restore'] = 'Les cours dans lesquels Passage a restauré une sauvegarde.';
$string['privacy:metadata:restore:courseid'] = 'Le cours restauré.';
$string['privacy:metadata:restore:timerestored'] = 'La date de fin de la restauration.';
$string['privacy:metadata:restore:userid'] = 'L\'utilisateur qui a demandé la restauration.';
$string['restoreprecheckfailed'] = 'Les vérifications préalables à la restauration ont échoué : {$a}';
$string['startatonce'] = 'Démarrer les opérations immédiatement';
$string['startatonce_desc'] = 'Démarre chaque sauvegarde, réinitialisation ou restauration dès que le portail la demande, dans un processus PHP CLI dédié (le chemin de PHP CLI doit être renseigné dans Chemins système), au lieu d\'attendre le prochain passage du cron pour les tâches ad hoc. Le cron exécute toujours les opérations qui n\'ont pas pu être démarrées ainsi.';
$string['taskrunoperation'] = 'Exécuter une sauvegarde, réinitialisation ou restauration Passage';
