import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.admin_portal.conftest import Synced
from tests.approvals.conftest import People
from tests.factories import UserFactory
from transition.models import AuditEvent, Campaign, Policy, PolicyRule, TransitionRequest
from transition.services.policies import CAEN_POLICY_NAME, policy_create_caen_default


def admin_client(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def local(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_an_admin_creates_a_campaign_starting_from_the_caen_policy(people: People) -> None:
    client = admin_client(people.admin)
    form = client.get(reverse("admin_portal:campaign_new"))
    assert form.context["form"].initial["policy"].name == CAEN_POLICY_NAME
    start = timezone.now() + datetime.timedelta(days=1)
    response = client.post(
        reverse("admin_portal:campaign_new"),
        {
            "academic_year": "2027-2028",
            "policy": policy_create_caen_default().pk,
            "choices_open": local(start),
            "choices_lock": local(start + datetime.timedelta(days=30)),
            "backup_window_start": local(start + datetime.timedelta(days=31)),
            "backup_window_end": local(start + datetime.timedelta(days=38)),
            "run_date": local(start + datetime.timedelta(days=40)),
            "cutoff_date": (start + datetime.timedelta(days=60)).date().isoformat(),
            "excluded_categories": [people.other_course.category.pk],
            "archive_category": people.course.category.pk,
            "archive_prefix": "ex_",
            "backup_retention_days": 400,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    campaign = Campaign.objects.get(academic_year="2027-2028")
    assert campaign.status == Campaign.Status.DRAFT
    assert list(campaign.excluded_categories.all()) == [people.other_course.category]
    assert AuditEvent.objects.filter(action="campaign_create", campaign=campaign).exists()


def test_dates_out_of_order_are_refused_with_the_rule_they_break(people: People) -> None:
    client = admin_client(people.admin)
    campaign = people.campaign
    response = client.post(
        reverse("admin_portal:campaign_edit", args=[campaign.pk]),
        {
            "academic_year": campaign.academic_year,
            "policy": campaign.policy_id,
            "choices_open": local(campaign.choices_lock),
            "choices_lock": local(campaign.choices_open),
            "backup_window_start": local(campaign.backup_window_start),
            "backup_window_end": local(campaign.backup_window_end),
            "run_date": local(campaign.run_date),
            "cutoff_date": campaign.cutoff_date.isoformat(),
            "archive_prefix": "ex_",
            "backup_retention_days": 400,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    campaign.refresh_from_db()
    assert campaign.choices_open < campaign.choices_lock


def test_an_admin_edits_the_archive_prefix_and_it_is_audited(people: People) -> None:
    campaign = people.campaign
    admin_client(people.admin).post(
        reverse("admin_portal:campaign_edit", args=[campaign.pk]),
        {
            "academic_year": campaign.academic_year,
            "policy": campaign.policy_id,
            "choices_open": local(campaign.choices_open),
            "choices_lock": local(campaign.choices_lock),
            "backup_window_start": local(campaign.backup_window_start),
            "backup_window_end": local(campaign.backup_window_end),
            "run_date": local(campaign.run_date),
            "cutoff_date": campaign.cutoff_date.isoformat(),
            "archive_prefix": "archive_",
            "backup_retention_days": 400,
        },
    )
    campaign.refresh_from_db()
    assert campaign.archive_prefix == "archive_"
    event = AuditEvent.objects.get(action="campaign_update", campaign=campaign)
    assert event.details["archive_prefix"] == {"from": "ex_", "to": "archive_"}


def test_campaign_moves_follow_the_campaign_life(people: People) -> None:
    client = admin_client(people.admin)
    client.post(reverse("admin_portal:campaign_move", args=[people.campaign.pk, "lock"]))
    people.campaign.refresh_from_db()
    assert people.campaign.status == Campaign.Status.LOCKED
    client.post(reverse("admin_portal:campaign_move", args=[people.campaign.pk, "open"]))
    people.campaign.refresh_from_db()
    assert people.campaign.status == Campaign.Status.LOCKED  # a locked campaign does not reopen


def test_the_policy_editor_copies_the_caen_policy_and_changes_a_rule(people: People) -> None:
    client = admin_client(people.admin)
    caen = policy_create_caen_default()
    response = client.post(
        reverse("admin_portal:policies"), {"source": caen.pk, "name": "UFR Santé"}
    )
    copy = Policy.objects.get(name="UFR Santé")
    assert response["Location"] == reverse("admin_portal:policy_edit", args=[copy.pk])
    assert copy.rules.count() == caen.rules.count()

    form = client.get(reverse("admin_portal:policy_edit", args=[copy.pk])).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data = {name: value for name, value in data.items() if value is not False}
    data["action_glossary_entries"] = PolicyRule.Action.DELETE_NOT_ENROLLED
    data["locked_glossary_entries"] = "on"
    client.post(reverse("admin_portal:policy_edit", args=[copy.pk]), data)

    rule = copy.rules.get(data_kind=PolicyRule.DataKind.GLOSSARY_ENTRIES)
    assert (rule.action, rule.locked) == (PolicyRule.Action.DELETE_NOT_ENROLLED, True)
    original = caen.rules.get(data_kind=PolicyRule.DataKind.GLOSSARY_ENTRIES)
    assert (original.action, original.locked) == (PolicyRule.Action.KEEP, False)
    # An action Moodle cannot carry out is not offered.
    grades = client.get(reverse("admin_portal:policy_edit", args=[copy.pk])).context["form"]
    assert "delete_not_enrolled" not in dict(grades.fields["action_grades"].choices)


def test_the_policy_of_a_started_campaign_cannot_change(people: People) -> None:
    Campaign.objects.filter(pk=people.campaign.pk).update(status=Campaign.Status.RUNNING)
    policy = people.campaign.policy
    client = admin_client(people.admin)
    form = client.get(reverse("admin_portal:policy_edit", args=[policy.pk])).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial}
    data["action_forum_posts"] = PolicyRule.Action.KEEP
    client.post(reverse("admin_portal:policy_edit", args=[policy.pk]), data)
    rule = policy.rules.get(data_kind=PolicyRule.DataKind.FORUM_POSTS)
    assert rule.action == PolicyRule.Action.DELETE


def test_the_operations_page_previews_each_count(synced: Synced) -> None:
    page = admin_client(synced.admin).get(
        reverse("admin_portal:operations", args=[synced.campaign.pk])
    )
    html = page.content.decode()
    assert 'data-testid="preview-backup_week">5<' in html
    assert 'data-testid="preview-archive">1<' in html
    assert 'data-testid="preview-default_transition">4<' in html


def test_a_run_whose_count_changed_since_the_preview_is_refused(synced: Synced) -> None:
    client = admin_client(synced.admin)
    url = reverse("admin_portal:operation_run", args=[synced.campaign.pk, "default_transition"])
    client.post(url, {"default_transition-expected": 7, "default_transition-confirm": "on"})
    assert not TransitionRequest.objects.exists()
    client.post(url, {"default_transition-expected": 4})  # not confirmed
    assert not TransitionRequest.objects.exists()

    response = client.post(
        url, {"default_transition-expected": 4, "default_transition-confirm": "on"}
    )
    assert response["Location"].startswith(reverse("dashboard:index"))
    assert TransitionRequest.objects.count() == 4


def test_an_admin_adds_a_platform_with_its_token_never_shown_back(db: None) -> None:
    from transition.models import MoodleInstance
    from transition.tokens import token_decrypt

    client = Client()
    client.force_login(UserFactory(username="alain.admin", roles=["admin"]))
    page = client.get(reverse("admin_portal:instance_new"), HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200 and "Nouvelle plateforme Moodle" in page.content.decode()

    response = client.post(
        reverse("admin_portal:instance_new"),
        {
            "name": "ecampus",
            "url": "https://ecampus.example",
            "role": "current",
            "concurrency_limit": 4,
            "token": "s3cret-token-value",
            "token_env_var": "",
        },
    )

    assert response.status_code == 302
    instance = MoodleInstance.objects.get(name="ecampus")
    assert token_decrypt(instance.token_encrypted) == "s3cret-token-value"
    event = AuditEvent.objects.get(action="instance_create")
    assert "s3cret" not in str(event.details)
    edit = client.get(reverse("admin_portal:instance_edit", args=[instance.pk]))
    assert "s3cret-token-value" not in edit.content.decode()
    assert instance.token_encrypted not in edit.content.decode()

    # Saved again without a token: the stored one stays.
    client.post(
        reverse("admin_portal:instance_edit", args=[instance.pk]),
        {"name": "ecampus", "url": "https://ecampus.example", "role": "current",
         "concurrency_limit": 6, "token": "", "token_env_var": ""},
    )  # fmt: skip
    instance.refresh_from_db()
    assert instance.concurrency_limit == 6
    assert token_decrypt(instance.token_encrypted) == "s3cret-token-value"


def test_engineers_and_admins_list_and_filter_requests_in_the_portal(db: None) -> None:
    from tests.approvals.conftest import pending_request
    from tests.factories import CampaignFactory, CourseFactory

    campaign = CampaignFactory(academic_year="2026-2027")
    teacher = UserFactory(username="claire.martin", first_name="Claire", roles=["teacher"])
    special = pending_request(campaign=campaign, course=CourseFactory(shortname="CHIM231"),
                              teacher=teacher, reason="TP en août")  # fmt: skip
    client = Client()
    client.force_login(UserFactory(username="ines", roles=["engineer"]))

    page = client.get(
        reverse("approvals:requests"), {"status": "pending_approval", "special": "on"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )  # fmt: skip

    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-testid="request-{special.pk}"' in html
    assert "En attente de validation" in html and "COURSE" not in html
    assert (
        client.get(reverse("approvals:requests"), {"course": "PHYS"})
        .context["page"]
        .paginator.count
        == 0
    )
    teacher_client = Client()
    teacher_client.force_login(teacher)
    assert teacher_client.get(reverse("approvals:requests")).status_code == 403
