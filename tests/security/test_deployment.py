"""Production hardening: `check --deploy` finds nothing, every page carries a
Content-Security-Policy without inline script, weak keys stop the servers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings.safety import refuse_unsafe_settings

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "q3J9-vX2_kLw8zR5tN1mB7yC4dF6hG0pS2aE9uI3oK5jH8lM1nQ"


def _production(**extra: str) -> dict[str, str]:
    """The environment of .env.example, filled in (without DJANGO_ALLOW_ASYNC_UNSAFE, which the
    browser tests set for Playwright when they are collected in the same run)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "PASSAGE_DEMO",
            "SECURE_COOKIES",
            "BEHIND_HTTPS_PROXY",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": "passage.univ.example",
            "CSRF_TRUSTED_ORIGINS": "https://passage.univ.example",
            "BEHIND_HTTPS_PROXY": "1",
            **extra,
        }
    )
    return environment


def test_check_deploy_with_production_settings_finds_nothing():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_behind_the_proxy_https_is_enforced_and_remembered(client, settings):
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    ]
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_production(), capture_output=True, text=True
    )
    production = json.loads(result.stdout)
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    for name, value in production.items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    secure = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert "max-age=31536000; includeSubDomains" in secure["Strict-Transport-Security"]


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.parametrize(
    "key",
    [
        "passage-development-only-secret",
        "change-me-to-a-long-random-value",
        "short-but-random-8f2k",
        "a" * 60,
    ],
)
def test_production_refuses_placeholder_and_weak_keys(key):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        refuse_unsafe_settings(
            secret_key=key,
            default_secret_key="passage-development-only-secret",
            debug=False,
            demo=False,
        )


def test_the_production_server_refuses_the_env_example_key():
    result = subprocess.run(
        [sys.executable, "-c", "import portal.wsgi"],
        cwd=ROOT,
        env=_production(SECRET_KEY="change-me-to-a-long-random-value"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "placeholder of .env.example" in result.stderr


def test_compose_publishes_gunicorn_on_the_loopback_only():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert '"${WEB_PUBLISH_ADDRESS:-127.0.0.1}:8000:8000"' in compose
    assert '"8000:8000"' not in compose
