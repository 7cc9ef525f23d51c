"""/courses/ and /requests/<id>/: what a teacher sees of their courses and requests."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client

from tests.factories import BackupFactory, JobFactory, TransitionRequestFactory, UserFactory
from tests.wizard.conftest import Wizard
from transition.models import Job, TransitionRequest

Status = TransitionRequest.Status


def lines(response):
    return {line.course.shortname: line for line in response.context["lines"]}


def test_course_list_shows_each_course_with_its_status(world):
    TransitionRequestFactory(
        campaign=world.campaign,
        course=world.course("CHIM232-2025"),
        requested_by=world.teacher,
        status=Status.APPROVED,
    )
    response = world.client.get("/courses/")
    shown = lines(response)
    # TUTO-CHIM is taught too, but "Espaces complémentaires" is not excluded here.
    assert {"CHIM231-2025", "CHIM232-2025", "CHIM241-2026"} <= set(shown)
    assert "BIO101-2025" not in shown
    assert shown["CHIM231-2025"].status == "no_choice" and shown["CHIM231-2025"].selectable
    assert shown["CHIM232-2025"].status == "scheduled" and not shown["CHIM232-2025"].selectable
    assert b'name="course"' in response.content


def test_course_list_filters_by_status_search_and_category(world):
    TransitionRequestFactory(
        campaign=world.campaign,
        course=world.course("CHIM232-2025"),
        requested_by=world.teacher,
        status=Status.PENDING_APPROVAL,
    )
    assert set(lines(world.client.get("/courses/?status=pending_approval"))) == {"CHIM232-2025"}
    assert set(lines(world.client.get("/courses/?q=CHIM241"))) == {"CHIM241-2026"}
    category = world.course("TUTO-CHIM").category
    assert set(lines(world.client.get(f"/courses/?category={category.pk}"))) == {"TUTO-CHIM"}


def test_course_list_leaves_out_excluded_categories(world):
    world.campaign.excluded_categories.add(world.course("TUTO-CHIM").category)
    assert "TUTO-CHIM" not in lines(world.client.get("/courses/"))


def test_selecting_courses_opens_the_wizard_with_them(world):
    one, two = world.course("CHIM231-2025"), world.course("CHIM232-2025")
    wizard = Wizard(world.client, courses=[one, two])
    assert sorted(wizard.page.context["wizard"]["form"]["courses"].value()) == sorted(
        [one.pk, two.pk]
    )


def confirmed_request(world, shortname="CHIM231-2025"):
    course = world.course(shortname)
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    wizard.options()
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on"})
    return TransitionRequest.objects.get(course=course)


def test_request_page_shows_timeline_counts_and_checklist(world):
    request = confirmed_request(world)
    JobFactory(request=request, kind=Job.Kind.BACKUP, status=Job.Status.SUCCEEDED, position=0)
    JobFactory(request=request, kind=Job.Kind.RESET, status=Job.Status.RUNNING, progress=0.4)
    response = world.client.get(f"/requests/{request.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-job="backup" data-job-status="succeeded"' in page
    assert 'data-job="reset" data-job-status="running"' in page and "40 %" in page
    assert all(line.after is None for line in response.context["count_lines"])
    checklist = [row.subject for row in response.context["checklist"]]
    assert "Compte rendu de TP" in checklist  # an assignment: its dates to check


def test_counts_after_come_from_the_verification(world):
    request = confirmed_request(world)
    JobFactory(
        request=request,
        kind=Job.Kind.VERIFY,
        status=Job.Status.SUCCEEDED,
        result={"differences": []},
    )
    response = world.client.get(f"/requests/{request.pk}/")
    for line in response.context["count_lines"]:
        if line.row.fate == "deleted":
            assert line.after == line.row.total - line.row.affected
        else:
            assert line.after == line.row.total


def test_another_teacher_may_not_see_the_request(world):
    request = confirmed_request(world)
    stranger = Client()
    stranger.force_login(UserFactory(username="paul.durand", roles=["teacher"]))
    assert stranger.get(f"/requests/{request.pk}/").status_code == 403
    assert stranger.post(f"/requests/{request.pk}/cancel/").status_code == 403
    engineer = Client()
    engineer.force_login(UserFactory(username="ines.ingenieure", roles=["engineer"]))
    assert engineer.get(f"/requests/{request.pk}/").status_code == 200


def test_cancel_while_not_started(world):
    request = confirmed_request(world)
    response = world.client.post(f"/requests/{request.pk}/cancel/", follow=True)
    request.refresh_from_db()
    assert request.status == Status.CANCELLED
    assert b'data-testid="cancel"' not in response.content
    # The course can be chosen again.
    assert lines(world.client.get("/courses/"))["CHIM231-2025"].selectable


def test_a_running_request_cannot_be_cancelled(world):
    request = confirmed_request(world)
    TransitionRequest.objects.filter(pk=request.pk).update(status=Status.RUNNING)
    response = world.client.post(f"/requests/{request.pk}/cancel/", follow=True)
    request.refresh_from_db()
    assert request.status == Status.RUNNING
    assert b'data-testid="cancel"' not in response.content


def test_the_request_page_greets_a_single_request_without_a_status_it_would_outlive(world):
    confirmed_request(world)
    request = TransitionRequest.objects.get(course=world.course("CHIM231-2025"))
    page = world.client.get(f"/requests/{request.pk}/").content.decode()
    # The page follows the status live; the greeting does not restate it.
    assert "CHIM231-2025\u202f: demande enregistrée." in page
    assert f"CHIM231-2025\u202f: {request.get_status_display()}." not in page


def test_the_cancel_button_leaves_the_live_page_once_the_request_has_started(world):
    request = confirmed_request(world)
    progress = f"/requests/{request.pk}/progress/"
    assert 'data-testid="cancel"' in world.client.get(progress).json()["html"]
    TransitionRequest.objects.filter(pk=request.pk).update(status=Status.RUNNING)
    assert 'data-testid="cancel"' not in world.client.get(progress).json()["html"]


def test_only_a_request_that_backs_up_or_exports_grades_has_downloads(world):
    reset = confirmed_request(world)
    page = world.client.get(f"/requests/{reset.pk}/").content.decode()
    assert 'data-testid="downloads"' in page
    thermo = world.course("CHIM232-2025")
    wizard = Wizard(world.client, courses=[thermo])
    wizard.courses(thermo)
    wizard.scenarios({thermo: {"scenario": "hand_over", "successor_username": "mlefebvre"}})
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on"})
    hand_over = TransitionRequest.objects.get(course=thermo)
    JobFactory(request=hand_over, kind=Job.Kind.HAND_OVER, status=Job.Status.SUCCEEDED)
    TransitionRequest.objects.filter(pk=hand_over.pk).update(status=Status.DONE)
    page = world.client.get(f"/requests/{hand_over.pk}/").content.decode()
    assert 'data-testid="downloads"' not in page
    assert 'data-job="hand_over" data-job-status="succeeded"' in page


def test_a_backup_of_another_course_is_named_by_that_course(world):
    request = confirmed_request(world)
    source = world.course("CHIM232-2025")  # e.g. last year's course a restore backs up
    job = JobFactory(
        request=request, course=source, kind=Job.Kind.BACKUP, status=Job.Status.SUCCEEDED
    )
    BackupFactory(course=source, campaign=request.campaign, job=job)
    own = JobFactory(request=request, kind=Job.Kind.BACKUP, status=Job.Status.SUCCEEDED)
    BackupFactory(course=request.course, campaign=request.campaign, job=own)
    page = world.client.get(f"/requests/{request.pk}/").content.decode()
    # In the timeline and among the downloads; the request's own course goes unnamed there.
    assert page.count("<code>CHIM232-2025</code>") == 2
    assert "<code>CHIM231-2025</code>" not in page.split('data-testid="timeline"', 1)[1]


def test_the_owner_downloads_the_backup(world, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    request = confirmed_request(world)
    job = JobFactory(request=request, kind=Job.Kind.BACKUP, status=Job.Status.SUCCEEDED)
    name = storages["backups"].save("course-2.mbz", ContentFile(b"mbz-bytes"))
    backup = BackupFactory(
        course=request.course, campaign=request.campaign, job=job, storage_name=name
    )
    url = f"/requests/{request.pk}/backups/{backup.pk}/"
    page = world.client.get(f"/requests/{request.pk}/").content.decode()
    assert url in page and backup.sha256 in page
    response = world.client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"mbz-bytes"
    assert "attachment" in response["Content-Disposition"]
    stranger = Client()
    stranger.force_login(UserFactory(username="paul.durand", roles=["teacher"]))
    assert stranger.get(url).status_code == 403


@pytest.mark.object_storage
def test_the_owner_downloads_a_backup_kept_in_object_storage(world, s3_backups):
    request = confirmed_request(world)
    job = JobFactory(request=request, kind=Job.Kind.BACKUP, status=Job.Status.SUCCEEDED)
    name = storages["backups"].save("1/2/course-2.mbz", ContentFile(b"mbz-bytes" * 1000))
    backup = BackupFactory(
        course=request.course, campaign=request.campaign, job=job, storage_name=name
    )

    response = world.client.get(f"/requests/{request.pk}/backups/{backup.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"mbz-bytes" * 1000


def test_prepare_all_selects_every_course_shown_without_javascript(world):
    TransitionRequestFactory(
        campaign=world.campaign,
        course=world.course("CHIM232-2025"),
        requested_by=world.teacher,
        status=Status.SCHEDULED,
    )
    page = world.client.get("/courses/?q=CHIM2").content.decode()
    form = page.split('data-testid="prepare-all"')[0].rsplit("<form", 1)[1]
    wanted = {world.course(name).pk for name in ("CHIM231-2025", "CHIM241-2026")}
    assert {int(pk) for pk in re.findall(r'name="course" value="(\d+)"', form)} == wanted


def test_cohort_search_by_apogee_code(world):
    found = world.client.get("/cohorts/search/?q=l1chim2").json()["cohorts"]
    assert {c["idnumber"] for c in found} == {"L1CHIM231", "L1CHIM241", "L1CHIM231-ALE"}
    assert world.client.get("/cohorts/search/?q=L").json() == {"cohorts": []}
