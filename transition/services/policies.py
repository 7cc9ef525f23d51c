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
     "Activité « glossaire » : les articles rédigés par les étudiants sont conservés."),
    (Kind.GLOSSARY_RATINGS, DELETE, True,
     "Glossaire : les évaluations et les commentaires sont supprimés."),
    (Kind.ASSIGN_SUBMISSIONS, DELETE, True,
     "Devoir : les devoirs remis, les notes et les commentaires sont supprimés."),
    (Kind.ASSIGN_OVERRIDES, DELETE, True,
     "Traces des étudiants : les dérogations de l'année passée sont supprimées."),
    (Kind.QUIZ_ATTEMPTS, DELETE, True,
     "Tests : les tentatives, les réponses et les notes sont supprimées."),
    (Kind.QUIZ_OVERRIDES, DELETE, True,
     "Traces des étudiants : les dérogations de l'année passée sont supprimées."),
    (Kind.LESSON_ATTEMPTS, DELETE, True,
     "Leçon : les tentatives des tests intégrés et les notes sont supprimées."),
    (Kind.H5P_ATTEMPTS, DELETE, True,
     "H5P : les tentatives, les réponses et les notes sont supprimées."),
    (Kind.SCORM_ATTEMPTS, DELETE, True,
     "Paquetage SCORM : les notes et les tentatives des étudiants sont supprimées."),
    (Kind.WORKSHOP_SUBMISSIONS, DELETE, True,
     "Atelier : les fichiers remis, les notes et les évaluations par les pairs sont supprimés."),
    (Kind.DATA_ENTRIES, DELETE, True,
     "Base de données : les fiches créées, les évaluations et les commentaires sont supprimés."),
    (Kind.WIKI_PAGES, DELETE_NOT_ENROLLED, True,
     "Wiki : seules les pages des utilisateurs inscrits sont conservées "
     "(enseignants et redoublants)."),
    (Kind.CHOICE_RESPONSES, DELETE, True,
     "Consultation, sondage : les réponses des étudiants sont supprimées."),
    (Kind.FEEDBACK_RESPONSES, DELETE, True,
     "Feedback, questionnaire : les réponses des étudiants sont supprimées."),
    (Kind.BBB_RECORDINGS, KEEP, True,
     "BBB : la suppression des enregistrements est indépendante de la réinitialisation."),
    (Kind.COMPLETION, DELETE, True, "Les achèvements d'activités sont supprimés."),
    (Kind.GROUPS, KEEP, False, "Les groupes et groupements sont conservés."),
    (Kind.GROUP_MEMBERS, DELETE, True, "Les groupes sont vidés de leurs membres."),
    (Kind.GROUPINGS, KEEP, False, "Les groupes et groupements sont conservés."),
    (Kind.STUDENT_ENROLMENTS, DELETE, True,
     "Sont désinscrits : les étudiants inscrits manuellement pendant l'année."),
    (Kind.GRADES, DELETE, True,
     "Les notes sont supprimées, y compris celles ajoutées manuellement dans le carnet de notes."),
    (Kind.GRADE_ITEMS, KEEP, False,
     "Les activités et leurs paramètres sont conservés ; seules les notes sont supprimées."),
    (Kind.EVENTS, DELETE, False,
     "Choix par défaut de Moodle ; les dates sont à vérifier pour l'année suivante."),
    (Kind.NOTES, DELETE, True, "Toutes les traces des étudiants sont supprimées."),
    (Kind.COMMENTS, DELETE, True, "Toutes les traces des étudiants sont supprimées."),
    (Kind.LOCAL_ROLES, DELETE, False, "Choix par défaut de Moodle."),
    (Kind.ROLE_OVERRIDES, KEEP, False,
     "Les paramètres des activités (restrictions d'accès, droits) sont conservés."),
)  # fmt: skip


def policy_create_caen_default() -> Policy:
    """The Caen policy, created with its rules the first time, returned as it is afterwards."""
    with transaction.atomic():
        policy, created = Policy.objects.get_or_create(
            name=CAEN_POLICY_NAME,
            defaults={
                "description": (
                    "Réinitialisation automatique des espaces de cours Ecampus : les ressources, "
                    "les activités et leurs paramètres sont conservés, toutes les traces des "
                    "étudiants sont supprimées. Deux exceptions : les messages des forums sont "
                    "supprimés pour tous, les articles de glossaire des étudiants sont conservés."
                )
            },
        )
        if created:
            PolicyRule.objects.bulk_create(
                PolicyRule(policy=policy, data_kind=kind, action=action, locked=locked, reason=why)
                for kind, action, locked, why in CAEN_RULES
            )
    return policy
