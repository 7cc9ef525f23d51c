"""The kept copy on the request's page, and who may download it: the course's current
teachers and the admins, nobody else."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from tests.engine.conftest import approved_request, reset_spec, run_until_idle
from tests.factories import CourseRoleFactory, UserFactory
from transition.engine import services
from transition.models import CourseRole, TransitionRequest

pytestmark = [pytest.mark.django_db, pytest.mark.keep_copy]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def done_request(world) -> TransitionRequest:
    course = world.course("CHIM231-2025")
    CourseRoleFactory(course=course, person__user=world.teacher)
    request = approved_request(world, course, reset_spec(world, course, keep_copy=True))
    services.request_start(request=request)
    run_until_idle(request)
    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    return request


def test_the_courses_teacher_downloads_the_copy_from_the_requests_page(world, done_request):
    teacher = signed_in(world.teacher)

    page = teacher.get(reverse("request_detail", args=[done_request.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="kept-copy"' in html
    url = reverse("kept_copy_download", args=[done_request.pk])
    assert url in html
    reviewed = done_request.review_snapshot["kept"]
    shown = {key: (count, in_copy) for key, _, count, in_copy in page.context["kept_copy"].lines}
    assert shown == {key: (count, count) for key, count in reviewed.items()}
    for key in reviewed:
        assert f'data-kept="{key}"' in html
    download = teacher.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('CHIM231-2025-kept-copy.zip"')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "index.html" in archive.namelist()


def test_an_admin_may_download_the_copy(world, done_request):
    response = signed_in(world.admin).get(reverse("kept_copy_download", args=[done_request.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["engineer", "other_teacher", "former_teacher"])
def test_nobody_else_may_download_the_copy(world, done_request, who):
    course = done_request.course
    if who == "engineer":
        user = UserFactory(username="eve.engineer", roles=["engineer"])
    elif who == "other_teacher":
        user = UserFactory(username="otto.other", roles=["teacher"])
        CourseRoleFactory(course=world.course("CHIM232-2025"), person__user=user)
    else:
        # Asked for the reset, but no longer teaches the course.
        CourseRole.objects.filter(course=course, person__user=world.teacher).delete()
        user = world.teacher
    client = signed_in(user)

    response = client.get(reverse("kept_copy_download", args=[done_request.pk]))

    assert response.status_code == 403
    page = client.get(reverse("request_detail", args=[done_request.pk]))
    if page.status_code == 200:
        assert reverse("kept_copy_download", args=[done_request.pk]) not in page.content.decode()
