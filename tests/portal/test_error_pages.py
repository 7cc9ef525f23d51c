"""403, 404 and 500 in the portal's layout and the person's language."""

from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory
from transition.views import server_error


def test_a_missing_page_is_the_portals_page_in_french(db: None) -> None:
    client = Client()
    client.force_login(UserFactory(username="claire.martin", roles=["teacher"]))

    page = client.get("/nulle-part/", HTTP_ACCEPT_LANGUAGE="fr")

    assert page.status_code == 404
    html = page.content.decode()
    assert 'data-testid="error-404"' in html
    assert "Page introuvable" in html
    assert 'class="navbar' in html and "Mes cours" in html
    assert "Not Found" not in html


def test_a_page_of_another_role_is_refused_in_the_portals_layout(db: None) -> None:
    client = Client()
    client.force_login(UserFactory(username="claire.martin", roles=["teacher"]))

    page = client.get(reverse("dashboard:index"), HTTP_ACCEPT_LANGUAGE="fr")

    assert page.status_code == 403
    html = page.content.decode()
    assert 'data-testid="error-403"' in html
    assert "Vous ne pouvez pas ouvrir cette page" in html
    assert "403 Forbidden" not in html


def test_a_server_error_is_the_portals_page_in_english_when_asked(db: None) -> None:
    request = RequestFactory().get("/")
    request.user = UserFactory(username="alain.admin", roles=["admin"])

    with translation.override("en"):
        response = server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert 'data-testid="error-500"' in html
    assert "Something went wrong on our side" in html
