"""A backup is downloaded by a current teacher of its course or by staff, never by someone who
only asked for the request once."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from transition.models import CourseRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(people, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            **settings.STORAGES["backups"],
            "OPTIONS": {**settings.STORAGES["backups"]["OPTIONS"], "location": tmp_path},
        },
    }
    storages["backups"].save(people.backup.storage_name, ContentFile(b"mbz"))
    return people


def _url(people) -> str:
    return f"/requests/{people.request.pk}/backups/{people.backup.pk}/"


def test_a_requester_who_no_longer_teaches_the_course_cannot_download(client, stored):
    CourseRole.objects.filter(course=stored.course, person__user=stored.teacher_a).delete()
    client.force_login(stored.teacher_a)
    assert client.get(_url(stored)).status_code == 403


@pytest.mark.parametrize(
    ("who", "status"), [("teacher_a", 200), ("engineer", 200), ("teacher_b", 403)]
)
def test_teachers_of_the_course_and_staff_download(client, stored, who, status):
    client.force_login(getattr(stored, who))
    assert client.get(_url(stored)).status_code == status
