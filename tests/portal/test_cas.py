"""CAS single sign-on, on when CAS_SERVER_URL is set: the CAS username is the Moodle username."""

import importlib
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import clear_url_caches

import portal.urls
from tests.factories import CourseRoleFactory

CAS_SERVER = "https://cas.univ.example/cas/"


def _reload_urls() -> None:
    importlib.reload(portal.urls)
    clear_url_caches()


@pytest.fixture
def cas(settings) -> Iterator[None]:
    """The settings CAS_SERVER_URL turns on (portal.settings.base), and the URLs it changes."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_cas_ng"]
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "django_cas_ng.backends.CASBackend",
    ]
    settings.CAS_SERVER_URL = CAS_SERVER
    settings.CAS_VERSION = "3"
    settings.CAS_CREATE_USER = False
    try:
        _reload_urls()
        yield
    finally:
        settings.CAS_SERVER_URL = ""
        _reload_urls()


@pytest.fixture
def cas_answers(monkeypatch) -> dict[str, str]:
    """The CAS server's answer to ticket validation: the network edge, and nothing else."""
    answers: dict[str, str] = {}

    def client_for(**kwargs: object) -> SimpleNamespace:
        return SimpleNamespace(verify_ticket=lambda ticket: (answers.get(ticket), {}, None))

    monkeypatch.setattr("django_cas_ng.backends.get_cas_client", client_for)
    return answers


def test_sign_in_goes_to_the_cas_server(cas, client):
    response = client.get("/accounts/login/?next=/")
    assert response.status_code == 302
    assert response["Location"].startswith(CAS_SERVER + "login?service=")


def test_without_cas_the_sign_in_form_is_shown(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


@pytest.mark.django_db
def test_a_cas_username_signs_in_the_teacher_moodle_knows(cas, cas_answers, settings):
    from django_cas_ng.backends import CASBackend

    role = CourseRoleFactory(person__user__username="cmartin")
    cas_answers["ST-1"] = "cmartin"
    request = RequestFactory().get("/accounts/login/")
    request.session = {}
    user = CASBackend().authenticate(request, ticket="ST-1", service="https://passage/")
    assert user == role.person.user


@pytest.mark.django_db
def test_cas_does_not_create_accounts_passage_does_not_know(cas, cas_answers):
    from django_cas_ng.backends import CASBackend

    cas_answers["ST-2"] = "stranger"
    request = RequestFactory().get("/accounts/login/")
    request.session = {}
    assert CASBackend().authenticate(request, ticket="ST-2", service="https://p/") is None
    assert not get_user_model().objects.filter(username="stranger").exists()
