import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import MoodleInstanceFactory, UserFactory
from transition.models import MoodleInstance
from transition.services.instances import (
    TokenMissing,
    instance_create,
    instance_set_token,
    instance_token,
)
from transition.tokens import TokenUnreadable, token_decrypt, token_encrypt

pytestmark = pytest.mark.django_db


def test_a_stored_token_is_encrypted_and_reads_back():
    instance = instance_create(
        name="ecampus", url="https://ecampus.example", role="current", token="s3cr3t-token"
    )
    stored = MoodleInstance.objects.get(pk=instance.pk).token_encrypted
    assert "s3cr3t-token" not in stored
    assert instance_token(instance=instance) == "s3cr3t-token"


def test_a_token_from_the_environment_is_never_stored(monkeypatch):
    monkeypatch.setenv("MOODLE_TOKEN_ECAMPUS", "from-env")
    instance = instance_create(
        name="ecampus",
        url="https://ecampus.example",
        role="current",
        token_env_var="MOODLE_TOKEN_ECAMPUS",
    )
    assert instance.token_encrypted == ""
    assert instance_token(instance=instance) == "from-env"


def test_a_missing_environment_variable_says_which(monkeypatch):
    monkeypatch.delenv("MOODLE_TOKEN_ECAMPUS", raising=False)
    instance = MoodleInstanceFactory(token_env_var="MOODLE_TOKEN_ECAMPUS", token_encrypted="")
    with pytest.raises(TokenMissing, match="MOODLE_TOKEN_ECAMPUS"):
        instance_token(instance=instance)


def test_setting_a_token_replaces_the_environment_variable():
    instance = MoodleInstanceFactory(token_env_var="MOODLE_TOKEN_ECAMPUS", token_encrypted="")
    instance_set_token(instance=instance, token="new")
    instance.refresh_from_db()
    assert (instance.token_env_var, instance_token(instance=instance)) == ("", "new")


def test_a_token_encrypted_under_another_key_is_reported_not_garbled():
    encrypted = token_encrypt("abc")
    with (
        override_settings(TOKEN_ENCRYPTION_KEY="Wm9ZcGx1c2llbnRzMzJvY3RldHNkZWNsZWZlcm5ldCE="),
        pytest.raises(TokenUnreadable),
    ):
        token_decrypt(encrypted)


def test_admin_page_stores_a_typed_token_encrypted(client):
    client.force_login(UserFactory(roles=["admin"]))
    response = client.post(
        reverse("admin:transition_moodleinstance_add"),
        {
            "name": "ecampus",
            "url": "https://ecampus.example",
            "role": "current",
            "token_env_var": "",
            "concurrency_limit": 4,
            "token": "typed-in-token",
        },
    )
    assert response.status_code == 302
    instance = MoodleInstance.objects.get(name="ecampus")
    assert "typed-in-token" not in instance.token_encrypted
    assert instance_token(instance=instance) == "typed-in-token"


def test_admin_page_refuses_a_platform_without_any_token(client):
    client.force_login(UserFactory(roles=["admin"]))
    response = client.post(
        reverse("admin:transition_moodleinstance_add"),
        {"name": "ecampus", "url": "https://ecampus.example", "role": "current",
         "concurrency_limit": 4},
    )  # fmt: skip
    assert response.status_code == 200
    assert not MoodleInstance.objects.exists()
