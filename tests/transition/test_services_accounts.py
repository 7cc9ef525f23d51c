"""The three role groups and what each may open in the admin pages."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from transition.permissions import Role
from transition.services.accounts import user_create, user_grant_role

pytestmark = pytest.mark.django_db


def test_the_three_role_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {"teacher", "engineer", "admin"}


def test_a_teacher_account_cannot_open_the_admin_pages(client):
    teacher = user_create(username="cmartin", role=Role.TEACHER, password="un long mot de passe")
    assert not teacher.is_staff
    client.force_login(teacher)
    response = client.get(reverse("admin:transition_transitionrequest_changelist"))
    assert response.status_code == 302  # to the admin sign-in


def test_an_engineer_reads_requests_but_cannot_change_platforms(client):
    engineer = user_create(username="iing", role=Role.ENGINEER, password="un long mot de passe")
    assert engineer.is_staff
    client.force_login(engineer)
    assert client.get(reverse("admin:transition_transitionrequest_changelist")).status_code == 200
    assert client.get(reverse("admin:transition_moodleinstance_add")).status_code == 403


def test_an_admin_manages_platforms(client):
    admin = user_create(username="aadmin", role=Role.ADMIN, password="un long mot de passe")
    client.force_login(admin)
    assert client.get(reverse("admin:transition_moodleinstance_add")).status_code == 200


def test_granting_a_role_twice_changes_nothing():
    user = user_create(username="cmartin", role=Role.TEACHER)
    user_grant_role(user=user, role=Role.TEACHER)
    assert list(user.groups.values_list("name", flat=True)) == ["teacher"]
    assert not user.has_usable_password()  # no password: CAS only
