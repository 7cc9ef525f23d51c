"""Requests and jobs change only through the services: read-only in the admin pages for
everyone, and the engine refuses a job whose course is not the one the confirmed plan names."""

from __future__ import annotations

import pytest

from tests.engine.conftest import (  # noqa: F401  (fixtures)
    approved_request,
    engine_settings,
    reset_spec,
    run_until_idle,
    world,
)
from tests.engine.test_guarantees import operations_of
from tests.factories import UserFactory
from transition.engine import services
from transition.models import Job, TransitionRequest

pytestmark = pytest.mark.django_db


def _change_form_of(request: TransitionRequest, people_course) -> dict[str, str]:
    return {
        "campaign": str(request.campaign_id),
        "course": str(people_course.pk),
        "requested_by": str(request.requested_by_id),
        "scenario": "reuse_reset",
        "options": "{}",
        "cohort_changes": "[]",
        "review_snapshot": "{}",
        "status": "approved",
    }


@pytest.mark.parametrize("who", ["engineer", "admin", "superuser"])
def test_nobody_rewrites_a_request_in_the_admin_pages(client, people, who):
    user = (
        UserFactory(username="root", is_staff=True, is_superuser=True)
        if who == "superuser"
        else getattr(people, who)
    )
    client.force_login(user)
    url = f"/admin/transition/transitionrequest/{people.request.pk}/change/"
    response = client.post(url, _change_form_of(people.request, people.other_course))
    assert response.status_code == 403
    people.request.refresh_from_db()
    assert people.request.course == people.course
    page = client.get(url)
    assert page.status_code == 200  # still shown, read only
    assert 'name="course"' not in page.content.decode()


@pytest.mark.parametrize("who", ["engineer", "admin"])
def test_nobody_rewrites_or_deletes_a_job_in_the_admin_pages(client, people, who):
    client.force_login(getattr(people, who))
    job_url = f"/admin/transition/job/{people.job.pk}/"
    assert client.post(job_url + "change/", {"kind": "reset"}).status_code == 403
    assert client.post(job_url + "delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/transition/job/add/").status_code == 403
    assert Job.objects.filter(pk=people.job.pk, kind=Job.Kind.BACKUP).exists()


def test_the_engine_refuses_a_job_on_another_course_than_its_plan(world):  # noqa: F811
    course = world.course("CHIM231-2025")
    other = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    # The request's course changed after the teacher confirmed (as the admin pages allowed).
    TransitionRequest.objects.filter(pk=request.pk).update(course=other)
    request.refresh_from_db()
    services.request_start(request=request)

    run_until_idle(request)

    first = request.jobs.order_by("position").first()
    assert first.course == other
    assert first.status == Job.Status.FAILED
    assert first.last_error_code == "planmismatch"
    assert operations_of(world, "backup") == []
    assert operations_of(world, "reset") == []
    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.FAILED
