"""Data policies; the Université de Caen's annual reset (seed 001) is the default one."""

from django.db import transaction

from transition.models import Policy, PolicyRule

Kind = PolicyRule.DataKind
KEEP = PolicyRule.Action.KEEP
DELETE = PolicyRule.Action.DELETE
DELETE_NOT_ENROLLED = PolicyRule.Action.DELETE_NOT_ENROLLED

CAEN_POLICY_NAME = "Université de Caen — réinitialisation annuelle"

# (kind, action, locked, reason). Reasons quote the Caen guide ("Ecampus : réinitialisation
# automatique des espaces de cours"); locked rules are the institution's, not the teacher's.
CAEN_RULES: tuple[tuple[str, str, bool, str], ...] = (
    (Kind.FORUM_POSTS, DELETE, True,
     "Tous les messages des forums sont supprimés (y compris ceux des enseignants)."),
    (Kind.FORUM_SUBSCRIPTIONS, KEEP, False,
     "Non traité par la réinitialisation de Caen (choix par défaut de Moodle)."),
    (Kind.GLOSSARY_ENTRIES, KEEP, False,
     "Activité «\u202fglossaire\u202f»\u202f: les articles rédigés par les étudiants "
     "sont conservés."),
    (Kind.GLOSSARY_RATINGS, DELETE, True,
     "Glossaire\u202f: les évaluations et les commentaires sont supprimés."),
    (Kind.ASSIGN_SUBMISSIONS, DELETE, True,
     "Devoir\u202f: les devoirs remis, les notes et les commentaires sont supprimés."),
    (Kind.ASSIGN_OVERRIDES, DELETE, True,
     "Traces des étudiants\u202f: les dérogations de l\u2019année passée sont supprimées."),
    (Kind.QUIZ_ATTEMPTS, DELETE, True,
     "Tests\u202f: les tentatives, les réponses et les notes sont supprimées."),
    (Kind.QUIZ_OVERRIDES, DELETE, True,
     "Traces des étudiants\u202f: les dérogations de l\u2019année passée sont supprimées."),
    (Kind.LESSON_ATTEMPTS, DELETE, True,
     "Leçon\u202f: les tentatives des tests intégrés et les notes sont supprimées."),
    (Kind.H5P_ATTEMPTS, DELETE, True,
     "H5P\u202f: les tentatives, les réponses et les notes sont supprimées."),
    (Kind.SCORM_ATTEMPTS, DELETE, True,
     "Paquetage SCORM\u202f: les notes et les tentatives des étudiants sont supprimées."),
    (Kind.WORKSHOP_SUBMISSIONS, DELETE, True,
     "Atelier\u202f: les fichiers remis, les notes et les évaluations par les pairs "
     "sont supprimés."),
    (Kind.DATA_ENTRIES, DELETE, True,
     "Base de données\u202f: les fiches créées, les évaluations et les commentaires "
     "sont supprimés."),
    (Kind.WIKI_PAGES, DELETE_NOT_ENROLLED, True,
     "Wiki\u202f: seules les pages des utilisateurs inscrits sont conservées "
     "(enseignants et redoublants)."),
    (Kind.CHOICE_RESPONSES, DELETE, True,
     "Consultation, sondage\u202f: les réponses des étudiants sont supprimées."),
    (Kind.FEEDBACK_RESPONSES, DELETE, True,
     "Feedback, questionnaire\u202f: les réponses des étudiants sont supprimées."),
    (Kind.BBB_RECORDINGS, KEEP, True,
     "BBB\u202f: la suppression des enregistrements est indépendante de la réinitialisation."),
    (Kind.COMPLETION, DELETE, True, "Les achèvements d\u2019activités sont supprimés."),
    (Kind.GROUPS, KEEP, False, "Les groupes et groupements sont conservés."),
    (Kind.GROUP_MEMBERS, DELETE, True, "Les groupes sont vidés de leurs membres."),
    (Kind.GROUPINGS, KEEP, False, "Les groupes et groupements sont conservés."),
    (Kind.STUDENT_ENROLMENTS, DELETE, True,
     "Sont désinscrits\u202f: les étudiants inscrits manuellement pendant l\u2019année."),
    (Kind.GRADES, DELETE, True,
     "Les notes sont supprimées, y compris celles ajoutées manuellement dans le carnet de notes."),
    (Kind.GRADE_ITEMS, KEEP, False,
     "Les activités et leurs paramètres sont conservés\u202f; seules les notes sont supprimées."),
    (Kind.EVENTS, DELETE, False,
     "Choix par défaut de Moodle\u202f; les dates sont à vérifier pour l\u2019année suivante."),
    (Kind.NOTES, DELETE, True, "Toutes les traces des étudiants sont supprimées."),
    (Kind.COMMENTS, DELETE, True, "Toutes les traces des étudiants sont supprimées."),
    (Kind.LOCAL_ROLES, DELETE, False, "Choix par défaut de Moodle."),
    (Kind.ROLE_OVERRIDES, KEEP, False,
     "Les paramètres des activités (restrictions d\u2019accès, droits) sont conservés."),
)  # fmt: skip


def policy_create_caen_default() -> Policy:
    """The Caen policy, created with its rules the first time, returned as it is afterwards."""
    with transaction.atomic():
        policy, created = Policy.objects.get_or_create(
            name=CAEN_POLICY_NAME,
            defaults={
                "description": (
                    "Réinitialisation automatique des espaces de cours Ecampus\u202f: les "
                    "ressources, les activités et leurs paramètres sont conservés, toutes les "
                    "traces des étudiants sont supprimées. Deux exceptions\u202f: les messages "
                    "des forums sont supprimés pour tous, les articles de glossaire des étudiants "
                    "sont conservés."
                )
            },
        )
        if created:
            PolicyRule.objects.bulk_create(
                PolicyRule(policy=policy, data_kind=kind, action=action, locked=locked, reason=why)
                for kind, action, locked, why in CAEN_RULES
            )
    return policy
