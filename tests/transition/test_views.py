"""Sign-in, the teacher's course list, and the language switch."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_teacher_signs_in_and_sees_only_their_courses(cast, client):
    response = client.post(
        reverse("login"),
        {"username": "claire.martin", "password": "correct horse battery staple"},
        follow=True,
    )
    page = response.content.decode()
    assert "L1CHIM-THERMO" in page
    assert "L2PHYS-MECA" not in page


def test_the_portal_speaks_french_by_default_and_english_on_request(cast, client):
    client.force_login(cast.teacher)
    assert "Mes cours" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "My courses" in client.get(reverse("home")).content.decode()


def test_staff_see_how_many_courses_passage_follows(cast, client):
    client.force_login(cast.engineer)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Passage follows 2 courses." in page
