"""Staff rights: accounts and groups are for superusers only; pages shown by GET write nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from transition.models import Policy
from transition.permissions import Role
from transition.services.accounts import role_groups_grant_permissions
from transition.services.policies import CAEN_POLICY_NAME

pytestmark = pytest.mark.django_db


def test_an_admin_who_is_not_superuser_cannot_make_themselves_superuser(client, people):
    client.force_login(people.admin)
    url = f"/admin/auth/user/{people.admin.pk}/change/"
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {"username": people.admin.username, "is_staff": "on", "is_superuser": "on"},
    )
    assert response.status_code == 403
    people.admin.refresh_from_db()
    assert not people.admin.is_superuser
    assert client.get("/admin/auth/group/").status_code == 403


def test_granting_takes_back_the_accounts_rights_an_admin_group_held():
    role_groups_grant_permissions()
    admin_group = Group.objects.get(name=Role.ADMIN)
    assert not admin_group.permissions.filter(content_type__app_label="auth").exists()
    assert admin_group.permissions.filter(codename="change_campaign").exists()
    engineer_group = Group.objects.get(name=Role.ENGINEER)
    assert not engineer_group.permissions.filter(codename="change_transitionrequest").exists()
    assert engineer_group.permissions.filter(codename="view_transitionrequest").exists()


def test_the_built_in_policy_exists_from_migrate_on():
    assert Policy.objects.filter(name=CAEN_POLICY_NAME).exists()


@pytest.mark.parametrize("url", ["/admin-portal/policies/", "/admin-portal/campaigns/new/"])
def test_showing_the_policies_or_the_new_campaign_form_writes_nothing(client, people, url):
    Policy.objects.filter(name=CAEN_POLICY_NAME).delete()
    client.force_login(people.admin)
    assert client.get(url).status_code == 200
    assert not Policy.objects.filter(name=CAEN_POLICY_NAME).exists()


def test_the_failures_pages_carry_the_error_code_encoded(client, people):
    client.force_login(people.admin)
    response = client.get(
        "/dashboard/failures/", {"campaign": people.campaign.pk, "code": "x&campaign=999"}
    )
    assert response.context["query"] == f"campaign={people.campaign.pk}&code=x%26campaign%3D999"


def test_campaign_and_policy_services_refuse_anyone_but_admins(people):
    from transition.admin_portal.services import policy_copy
    from transition.errors import NotAllowed
    from transition.models import Campaign
    from transition.services.campaigns import campaign_pause

    Campaign.objects.filter(pk=people.campaign.pk).update(status=Campaign.Status.RUNNING)
    people.campaign.refresh_from_db()
    with pytest.raises(NotAllowed):
        campaign_pause(campaign=people.campaign, actor=people.engineer)
    with pytest.raises(NotAllowed):
        policy_copy(source=people.campaign.policy, name="Copie", actor=people.teacher_a)
    assert campaign_pause(campaign=people.campaign, actor=people.admin).status == "paused"


def test_campaign_operations_and_restores_refuse_anyone_but_admins(people):
    from transition.admin_portal.operations import archive_run, default_transition_run
    from transition.admin_portal.restore import restore_request_create
    from transition.errors import NotAllowed
    from transition.models import TransitionRequest

    for run in (default_transition_run, archive_run):
        with pytest.raises(NotAllowed):
            run(campaign=people.campaign, actor=people.engineer)
    with pytest.raises(NotAllowed):
        restore_request_create(
            backup=people.backup,
            target=people.other_course,
            mode="delete",
            campaign=people.campaign,
            actor=people.teacher_b,
            review=None,
        )
    assert not TransitionRequest.objects.exclude(pk=people.request.pk).exists()
