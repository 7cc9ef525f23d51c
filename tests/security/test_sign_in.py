"""Sign-in: no redirect to another site after it, throttled passwords, passwords for staff only
when CAS is on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from tests.factories import UserFactory
from tests.portal.test_cas import cas, cas_answers  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
EVIL = "https://evil.example/x"


# A signed-in visit to the CAS sign-in page takes the same last step as a ticket's return
# (`successful_login`), without the CAS session tables the test database lacks.
@pytest.mark.django_db
def test_cas_sign_in_never_sends_the_browser_to_another_site(cas, client):  # noqa: F811
    client.force_login(UserFactory(username="cmartin", roles=["teacher"]))
    response = client.get("/accounts/login/", {"next": EVIL})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_cas_sign_in_ignores_a_foreign_referer(cas, client):  # noqa: F811
    client.force_login(UserFactory(username="cmartin", roles=["teacher"]))
    response = client.get("/accounts/login/", HTTP_REFERER=EVIL)
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_cas_sign_in_keeps_a_page_of_this_site(cas, client):  # noqa: F811
    client.force_login(UserFactory(username="cmartin", roles=["teacher"]))
    response = client.get("/accounts/login/", {"next": "/courses/"})
    assert response["Location"] == "/courses/"


def test_cas_sends_the_next_page_of_a_ticket_through_the_same_check(rf):
    from portal.cas_views import CasLoginView

    request = rf.get("/accounts/login/")
    request.session = {}
    assert CasLoginView().successful_login(request, EVIL)["Location"] == "/"


@pytest.fixture
def cas_tables(cas: None) -> None:  # noqa: F811
    """django-cas-ng's session tables, created inside the test's transaction (rolled back)."""
    call_command("migrate", "django_cas_ng", verbosity=0)


@pytest.mark.django_db
def test_a_cas_ticket_never_sends_the_browser_to_another_site(cas_tables, cas_answers, client):  # noqa: F811
    UserFactory(username="cmartin", roles=["teacher"])
    cas_answers["ST-1"] = "cmartin"
    response = client.get("/accounts/login/", {"next": EVIL, "ticket": "ST-1"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_cas_sign_out_never_names_another_site_to_the_cas_server(cas_tables, client):
    response = client.get("/accounts/logout/", {"next": EVIL})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_wrong_passwords_lock_the_account_even_for_the_right_password(client, url):
    UserFactory(username="alain.admin", roles=["admin"])
    for _ in range(5):
        client.post(url, {"username": "alain.admin", "password": "wrong guess"})
    response = client.post(
        url, {"username": "alain.admin", "password": "correct horse battery staple"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert 'data-testid="locked-out"' in response.content.decode()


@pytest.mark.django_db
def test_a_few_wrong_passwords_do_not_lock_the_account(client):
    UserFactory(username="alain.admin", roles=["admin"])
    for _ in range(3):
        client.post("/accounts/login/", {"username": "alain.admin", "password": "wrong guess"})
    response = client.post(
        "/accounts/login/",
        {"username": "alain.admin", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def _backends_with_cas() -> list[str]:
    """AUTHENTICATION_BACKENDS as production settings compute them with CAS_SERVER_URL set."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "CAS_SERVER_URL": "https://cas.univ.example/cas/",
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.AUTHENTICATION_BACKENDS))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.django_db
def test_with_cas_a_password_signs_in_staff_only(settings):
    settings.AUTHENTICATION_BACKENDS = [
        backend for backend in _backends_with_cas() if "django_cas_ng" not in backend
    ]
    UserFactory(username="claire.martin", roles=["teacher"])
    admin = UserFactory(username="alain.admin", roles=["admin"])
    request = RequestFactory().post("/admin/login/")
    teacher_attempt = authenticate(
        request, username="claire.martin", password="correct horse battery staple"
    )
    admin_attempt = authenticate(
        request, username="alain.admin", password="correct horse battery staple"
    )
    assert teacher_attempt is None
    assert admin_attempt == admin


def test_throttling_counts_the_address_the_proxy_saw(settings):
    from portal.sign_in import client_ip

    settings.BEHIND_HTTPS_PROXY = True
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7", REMOTE_ADDR="127.0.0.1"
    )
    assert client_ip(request) == "198.51.100.7"
    settings.BEHIND_HTTPS_PROXY = False
    assert client_ip(request) == "127.0.0.1"
