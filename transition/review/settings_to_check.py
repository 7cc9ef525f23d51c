"""What to check in each activity when it is reused next year.

Source: Université de Caen, "Ecampus : réinitialisation automatique des espaces de cours"
(seed 001), the column "Si l'activité est réutilisée en année N+1 : paramètres à vérifier" of
its per-activity tables. The French original is quoted beside each entry. Activity types the
table does not list (resources: page, file, folder, URL, label, book) keep their settings and
have nothing specific to check.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SETTINGS_TO_CHECK: dict[str, Promise] = {
    # « Date de remise et date limite, modifier le sujet ajouté en description ou comme fichier
    # supplémentaire, etc. »
    "assign": _(
        "Due date and cut-off date; update the brief given in the description or as an extra file."
    ),
    # « Temps, dates, restriction d'activité, dérogations, etc. »
    "quiz": _("Time limit, dates, access restrictions, overrides."),
    "h5pactivity": _("Time limit, dates, access restrictions, overrides."),
    "hotpot": _("Time limit, dates, access restrictions, overrides."),
    # « Disponibilité, travaux exemplaires, restrictions d'accès, achèvements d'activité, etc. »
    "workshop": _("Availability, example submissions, access restrictions, activity completion."),
    # « Disponibilités, Contrôle du déroulement »
    "lesson": _("Availability and flow control."),
    # « Dates »
    "glossary": _("Dates."),
    "choice": _("Dates."),
    "feedback": _("Dates."),
    "questionnaire": _("Dates."),
    "survey": _("Dates."),
    # « Dates, Modèles »
    "data": _("Dates and templates."),
    # « Dans les wikis, les pages des étudiants réapparaissent lorsque les anciens utilisateurs
    # sont réinscrits dans l'espace de cours. »
    "wiki": _("Former students' pages reappear if those students are enrolled again."),
    # « Si les groupes à sélectionner et les effectifs de ces groupes doivent être modifiés, il
    # faut modifier les paramètres de la rubrique « Groupes » »
    "choicegroup": _(
        "The groups to choose from and their sizes, in the activity's Groups settings."
    ),
    # « Effacer les créneaux existants pour en planifier de nouveaux »
    "scheduler": _("Delete the existing slots and plan new ones."),
    # « Vérifier le lien vers l'activité Wooclap et son contenu. »
    "wooclap": _("The link to the Wooclap activity and its content."),
    # « La suppression des enregistrements est indépendante de la réinitialisation des espaces
    # de cours. Penser à les télécharger si besoin. »
    "bigbluebuttonbn": _(
        "Recordings are deleted after a year, independently of the reset: download them if needed."
    ),
    # « Vérifier les liens associés aux items »
    "checklist": _("The links attached to the items."),
    # « Les traces étudiantes sont à supprimer dans l'outil externe »
    "lti": _("Students' data must be deleted in the external tool itself."),
    # « Disponibilité »
    "scorm": _("Availability."),
    # « Restrictions d'activités (pour la délivrance du certificat), Date de délivrance,
    # Achèvement d'activité (condition « durée exigée en minutes dans le cours ») »
    "simplecertificate": _(
        "Access restrictions for issuing the certificate, issue date, and the completion "
        "condition on time spent in the course."
    ),
}


def settings_to_check(modname: str) -> str:
    """What to check in an activity of this type next year, or "" when the guide lists nothing."""
    text = SETTINGS_TO_CHECK.get(modname)
    return str(text) if text is not None else ""
