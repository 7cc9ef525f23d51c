import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from tests.approvals.conftest import People, pending_request
from transition.models import TransitionRequest
from transition.review.results import CourseReview, Fate, ReviewRow, ReviewWarning, Section

Status = TransitionRequest.Status


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_queue_shows_each_waiting_request_with_its_reason_and_kind(
    people: People, waiting: TransitionRequest
) -> None:
    page = signed_in(people.engineer).get(reverse("approvals:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "L1CHIM-THERMO" in html
    assert "alternants" in html
    assert "Opens before the start of the year" in html or "Ouvre avant" in html


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"faculty": "sciences"}, ["L1CHIM-THERMO"]),
        ({"faculty": "lettres"}, ["L2LET-ROMAN"]),
        ({"teacher": "paul"}, ["L2LET-ROMAN"]),
        ({"category": "chimie"}, ["L1CHIM-THERMO"]),
        ({"submitted_from": "tomorrow"}, []),
    ],
)
def test_the_queue_filters_by_faculty_teacher_category_and_date(
    people: People, query: dict[str, str], shown: list[str]
) -> None:
    pending_request(campaign=people.campaign, course=people.course, teacher=people.teacher)
    pending_request(
        campaign=people.campaign, course=people.other_course, teacher=people.other_teacher
    )
    categories = {
        "sciences": people.course.category.parent,
        "lettres": people.other_course.category,
        "chimie": people.course.category,
    }
    params = {}
    for key, value in query.items():
        if key in ("faculty", "category"):
            params[key] = categories[value].pk
        elif value == "tomorrow":
            params[key] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        else:
            params[key] = value
    html = signed_in(people.engineer).get(reverse("approvals:index"), params).content.decode()
    for shortname in ("L1CHIM-THERMO", "L2LET-ROMAN"):
        assert (f'data-testid="pending-{shortname}"' in html) == (shortname in shown)


def test_an_engineer_approves_with_a_new_run_date_from_the_request_page(
    people: People, waiting: TransitionRequest, django_capture_on_commit_callbacks
) -> None:
    client = signed_in(people.engineer)
    detail = client.get(reverse("approvals:detail", args=[waiting.pk]))
    assert "La formation ouvre le 17 août" in detail.content.decode()
    run_at = (timezone.localtime() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("approvals:decide", args=[waiting.pk, "approve"]),
            {"run_at": run_at.strftime("%Y-%m-%dT%H:%M"), "comment": "OK pour le 17 août."},
        )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.APPROVED
    assert waiting.run_at == run_at
    assert waiting.decision_comment == "OK pour le 17 août."
    assert len(mail.outbox) == 1


def test_a_rejection_without_a_comment_is_refused_by_the_form(
    people: People, waiting: TransitionRequest
) -> None:
    client = signed_in(people.engineer)
    response = client.post(
        reverse("approvals:decide", args=[waiting.pk, "reject"]), {"reject-comment": ""}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING_APPROVAL


def test_ask_changes_from_the_page_sends_the_request_back(
    people: People, waiting: TransitionRequest
) -> None:
    signed_in(people.engineer).post(
        reverse("approvals:decide", args=[waiting.pk, "ask_changes"]),
        {"changes-comment": "Quelle date de fermeture ?"},
    )
    waiting.refresh_from_db()
    assert waiting.status == Status.CHANGES_REQUESTED
    assert waiting.decision_comment == "Quelle date de fermeture ?"


def test_bulk_approve_approves_one_faculty_only(people: People) -> None:
    mine = pending_request(campaign=people.campaign, course=people.course, teacher=people.teacher)
    theirs = pending_request(
        campaign=people.campaign, course=people.other_course, teacher=people.other_teacher
    )
    response = signed_in(people.engineer).post(
        reverse("approvals:bulk_approve"), {"faculty": people.course.category.parent.pk}
    )
    assert response.status_code == 302
    assert TransitionRequest.objects.get(pk=mine.pk).status == Status.APPROVED
    assert TransitionRequest.objects.get(pk=theirs.pk).status == Status.PENDING_APPROVAL


def test_a_teacher_cannot_act_as_an_engineer(people: People, waiting: TransitionRequest) -> None:
    client = signed_in(people.teacher)
    assert client.get(reverse("approvals:index")).status_code == 403
    assert client.get(reverse("approvals:detail", args=[waiting.pk])).status_code == 403
    response = client.post(reverse("approvals:decide", args=[waiting.pk, "approve"]), {})
    assert response.status_code == 403
    assert client.post(reverse("approvals:bulk_approve"), {}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING_APPROVAL


@pytest.mark.parametrize(
    "name",
    [
        "admin_portal:instances",
        "admin_portal:campaigns",
        "admin_portal:policies",
        "dashboard:index",
        "dashboard:courses",
        "dashboard:export_csv",
        "audit:index",
    ],
)
def test_an_engineer_cannot_open_admin_pages(people: People, name: str) -> None:
    assert signed_in(people.engineer).get(reverse(name)).status_code == 403


def test_an_engineer_cannot_run_admin_actions(people: People) -> None:
    client = signed_in(people.engineer)
    campaign = people.campaign
    posts = [
        reverse("admin_portal:operation_run", args=[campaign.pk, "default_transition"]),
        reverse("admin_portal:campaign_move", args=[campaign.pk, "lock"]),
        reverse("admin_portal:instance_test", args=[people.instance.pk]),
        reverse("dashboard:pause", args=[campaign.pk]),
        reverse("dashboard:group_retry", args=[campaign.pk]),
    ]
    for url in posts:
        assert client.post(url, {"code": ""}).status_code == 403, url
    campaign.refresh_from_db()
    assert campaign.status == campaign.Status.OPEN


def test_anonymous_visitors_are_sent_to_sign_in(people: People) -> None:
    response = Client().get(reverse("approvals:index"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_request_page_shows_the_review_the_teacher_confirmed(
    people: People, waiting: TransitionRequest
) -> None:
    review = CourseReview(
        course_moodle_id=people.course.moodle_id,
        shortname="L1CHIM-THERMO",
        fullname=people.course.fullname,
        scenario="reuse_reset",
        rows=(
            ReviewRow(
                section=Section.ACTIVITY,
                subject="Forum des questions",
                modname="forum",
                kind="posts",
                total=48,
                students=40,
                others=8,
                fate=Fate.DELETED,
                affected=48,
            ),
        ),
        warnings=(ReviewWarning("export_forum", {"posts": "48"}),),
        generated_at=0,
    )
    TransitionRequest.objects.filter(pk=waiting.pk).update(review_snapshot=review.to_json())
    html = signed_in(people.engineer).get(reverse("approvals:detail", args=[waiting.pk]))
    html = html.content.decode()
    assert 'data-testid="review-L1CHIM-THERMO"' in html
    assert "Forum des questions" in html
    assert 'data-warning="export_forum"' in html


def test_the_approval_page_shows_the_chosen_calendar_options_and_what_runs(
    people: People, waiting: TransitionRequest
) -> None:
    import datetime as dt

    from transition.course_dates import day_timestamp
    from transition.models import RequestPlan
    from transition.request_spec import RequestSpec, SpecialCalendar

    opens = people.campaign.cutoff_date - dt.timedelta(days=15)
    RequestPlan.objects.create(
        request=waiting,
        spec=RequestSpec(
            scenario="reuse_reset",
            course_moodle_id=waiting.course.moodle_id,
            reset_options={
                "reset_forum_all": "1",
                "reset_completion": "0",
                "reset_start_date": str(day_timestamp(datetime.date(2027, 8, 23))),
            },
            grade_export=True,
            special_calendar=SpecialCalendar(
                kind="early_opening", opens=opens, closes=None, reason="Alternants"
            ),
        ).to_json(),
    )
    client = Client()
    client.force_login(people.engineer)

    html = client.get(
        reverse("approvals:detail", args=[waiting.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()

    calendar = html.split('data-testid="chosen-calendar"')[1].split("</dd>")[0]
    assert "Ouverture anticipée" in calendar
    assert "Année universitaire standard" not in calendar
    assert str(opens.year) in html.split('data-testid="special-opens"')[1].split("</dd>")[0]
    steps = html.split('data-testid="approval-steps"')[1].split("</ol>")[0]
    assert (
        steps.index("Export des notes")
        < steps.index("Sauvegarde")
        < steps.index("Réinitialisation")
    )
    options = html.split('data-testid="approval-options"')[1].split("</dl>")[0]
    assert "reset_forum_all" not in options and "oui" in options
    # A date as a date, not Moodle's timestamp.
    assert (
        "23 août 2027" in options and str(day_timestamp(datetime.date(2027, 8, 23))) not in options
    )


def _plan_for(waiting: TransitionRequest, **options: str) -> None:
    from transition.models import RequestPlan
    from transition.request_spec import RequestSpec

    RequestPlan.objects.create(
        request=waiting,
        spec=RequestSpec(
            scenario="reuse_reset",
            course_moodle_id=waiting.course.moodle_id,
            reset_options=options,
        ).to_json(),
    )


def test_the_approval_page_names_roles_types_and_activities_of_the_options(
    people: People, waiting: TransitionRequest
) -> None:
    review = CourseReview(
        course_moodle_id=people.course.moodle_id,
        shortname="L1CHIM-THERMO",
        fullname=people.course.fullname,
        scenario="reuse_reset",
        rows=(
            ReviewRow(
                section=Section.ACTIVITY,
                subject="Bilan du semestre",
                modname="feedback",
                kind="responses",
                total=12,
                students=12,
                others=0,
                fate=Fate.DELETED,
                affected=12,
                option="feedback_reset_data_31",
            ),
        ),
        warnings=(),
        generated_at=0,
        # This platform's student role is not Moodle's usual id 5.
        roles={9: "student", 3: "editingteacher"},
    )
    TransitionRequest.objects.filter(pk=waiting.pk).update(review_snapshot=review.to_json())
    _plan_for(
        waiting,
        unenrol_users="9",
        reset_forum_types="news,qanda",
        feedback_reset_data_31="1",
        reset_assign_submissions="1",
        reset_gradebook_grades="1",
        reset_events="1",
    )

    html = signed_in(people.engineer).get(
        reverse("approvals:detail", args=[waiting.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )

    html = html.content.decode()
    # Locked options are the institution's, not the teacher's: the heading says both.
    heading = html.split('data-testid="approval-options"')[0].rsplit("<h2", 1)[1]
    assert "ce que la politique impose" in heading
    options = html.split('data-testid="approval-options"')[1].split("</dl>")[0]
    unenrol = options.split("Désinscrire les utilisateurs ayant ces rôles")[1].split("</dd>")[0]
    assert "Étudiant" in unenrol and "9" not in unenrol
    assert "Annonces" in options and "news" not in options and "qanda" not in options
    assert "Bilan du semestre" in options and "31" not in options
    assert "Devoir · Supprimer tous les travaux remis" in options
    assert "Carnet de notes · Supprimer toutes les notes" in options
    # In the order of Moodle's reset form: the course's options, then each activity type's.
    labels = re.findall(r"<dt[^>]*>([^<]*)</dt>", options)
    assert labels.index("Supprimer les événements du calendrier") == 0
    assert labels.index("Désinscrire les utilisateurs ayant ces rôles") < labels.index(
        "Carnet de notes · Supprimer toutes les notes"
    )
    assert labels.index("Devoir · Supprimer tous les travaux remis") < labels.index(
        "Forum · Supprimer les messages des forums de ces types"
    )


def test_the_approval_page_says_how_the_new_start_follows_from_the_academic_year(
    people: People, waiting: TransitionRequest
) -> None:
    from transition.course_dates import day_timestamp

    _plan_for(waiting, reset_start_date=str(day_timestamp(datetime.date(2027, 8, 23))))
    year_start = people.campaign.cutoff_date

    html = signed_in(people.engineer).get(
        reverse("approvals:detail", args=[waiting.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )

    html = html.content.decode()
    options = html.split('data-testid="approval-options"')[1].split("</dl>")[0]
    line = options.split("Nouvelle date de début du cours")[1].split("</dd>")[0]
    assert "23 août 2027" in line
    assert "même jour de l\u2019année universitaire" in line
    with translation.override("fr"):
        assert date_format(year_start, "DATE_FORMAT") in line
    year = html.split('data-testid="year-start"')[0].rsplit("<dt", 1)[1]
    assert "Année universitaire de la campagne" in year


def test_an_empty_queue_says_so_once(people: People) -> None:
    html = signed_in(people.engineer).get(reverse("approvals:index"), HTTP_ACCEPT_LANGUAGE="fr")

    html = html.content.decode()
    assert "Aucune demande n\u2019attend" in html
    assert "0 demande" not in html


def test_an_as_soon_as_possible_request_says_it_starts_on_approval_not_at_its_submission(
    people: People, waiting: TransitionRequest
) -> None:
    from transition.models import Campaign, RequestPlan
    from transition.request_spec import Announcement, RequestSpec

    Campaign.objects.filter(pk=people.campaign.pk).update(allow_asap=True)
    RequestPlan.objects.create(
        request=waiting,
        spec=RequestSpec(
            scenario="reuse_reset",
            course_moodle_id=waiting.course.moodle_id,
            asap=True,
            announcement=Announcement(days_before=14, subject="Réinitialisation", message="…"),
        ).to_json(),
    )

    html = signed_in(people.engineer).get(
        reverse("approvals:detail", args=[waiting.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )

    html = html.content.decode()
    with translation.override("fr"):
        submitted = date_format(timezone.localtime(waiting.submitted_at), "DATETIME_FORMAT")
    runs = html.split('data-testid="approval-runs-at">')[1].split("</p>")[0]
    assert submitted not in runs and "Dès votre validation" in runs
    assert "14 jours après" in runs
    assert "dès la validation" in html.split('data-testid="runs-at">')[1].split("</dd>")[0]


def test_the_queues_menus_say_what_an_empty_choice_means(people: People) -> None:
    html = signed_in(people.engineer).get(reverse("approvals:index"), HTTP_ACCEPT_LANGUAGE="fr")

    html = html.content.decode()
    assert "---------" not in html
    assert "Toutes les campagnes" in html and "Toutes les composantes" in html
    assert "Choisissez une composante" in html


def test_the_request_list_says_once_that_nothing_matches(people: People) -> None:
    html = signed_in(people.engineer).get(
        reverse("approvals:requests"), {"course": "AUCUN"}, HTTP_ACCEPT_LANGUAGE="fr"
    )

    html = html.content.decode()
    assert "Aucune demande ne correspond" in html
    assert "0 demande" not in html and "---------" not in html
