"""Every URL of the URLconf, for five people, by GET and POST, against the answer written down.

The URLs are found by walking the resolver, so a URL added later without a row here fails the
test. People: nobody signed in, teacher A (teaches the course, asked for the request, owns the
backup), teacher B (teaches another course), an engineer and an admin (neither superuser).
POSTs are sent without a CSRF token check (Django's test client), with an empty body: what is
checked is who gets in, not what the form makes of nothing. Each request runs in a transaction
rolled back afterwards, so one person's POST does not change what the next one sees.

Answers: `L` a redirect to the sign-in page, `A` a redirect to the admin sign-in page, `R`
another redirect (the page did its work or sends elsewhere), or the HTTP status (200, 400, 403,
404, 405, 429).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import AuditEventFactory, CohortFactory, CourseCohortFactory
from transition.models import Category, CourseRole, Person

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "teacher_a", "teacher_b", "engineer", "admin")

# Passage's own URLs: name -> (GET answers, POST answers), one per person in ROLES' order.
PAGES: dict[str, tuple[str, str]] = {
    "set_language": ("R R R R R", "R R R R R"),
    "home": ("L 200 200 200 200", "L 200 200 200 200"),
    "favicon": ("R R R R R", "405 405 405 405 405"),
    "login": ("200 200 200 200 200", "200 200 200 200 200"),
    "logout": ("405 405 405 405 405", "R R R R R"),
    "teacher_courses": ("L 200 200 200 200", "L 200 200 200 200"),
    "cohort_search": ("L 200 200 200 200", "L 200 200 200 200"),
    "request_new": ("R R R R R", "R R R R R"),  # a new tab of the wizard
    "request_wizard": ("L 200 200 200 200", "L 400 400 400 400"),
    "request_detail": ("L 200 403 200 200", "L 200 403 200 200"),
    "request_cancel": ("405 405 405 405 405", "L R 403 R R"),
    # A backup a Moodle restore fetches: the signed link is the permission (a forged one: 404).
    "backup_fetch": ("404 404 404 404 404", "405 405 405 405 405"),
    "request_backup_download": ("L 404 403 404 404", "L 404 403 404 404"),
    # Only the course's teachers and admins; the request has no kept copy: not found for them.
    "kept_copy_download": ("L 404 403 403 404", "L 405 405 405 405"),
    "request_progress": ("L 200 403 200 200", "405 405 405 405 405"),
    "request_grades_download": ("L 404 403 404 404", "405 405 405 405 405"),
    "approvals:index": ("L 403 403 200 200", "L 403 403 200 200"),
    "approvals:bulk_approve": ("L 405 405 405 405", "L 403 403 R R"),
    "approvals:requests": ("L 403 403 200 200", "L 405 405 405 405"),
    "approvals:detail": ("L 403 403 200 200", "L 403 403 200 200"),
    "approvals:decide": ("L 405 405 405 405", "L 403 403 R R"),
    "admin_portal:index": ("L 403 403 403 200", "L 403 403 403 200"),
    "admin_portal:instances": ("L 403 403 403 200", "L 403 403 403 200"),
    "admin_portal:instance_new": ("L 403 403 403 200", "L 403 403 403 200"),
    "admin_portal:instance_edit": ("L 403 403 403 200", "L 403 403 403 200"),
    "admin_portal:apogee_import": ("L 403 403 403 200", "L 403 403 403 200"),
    "admin_portal:apogee_apply": ("L 405 405 405 405", "L 403 403 403 R"),
    "admin_portal:instance_test": ("L 405 405 405 405", "L 403 403 403 200"),
    "admin_portal:campaigns": ("L 403 403 403 200", "L 403 403 403 200"),
    "admin_portal:campaign_new": ("L 403 403 403 200", "L 403 403 403 200"),
    "admin_portal:campaign_edit": ("L 403 403 403 200", "L 403 403 403 200"),
    "admin_portal:operations": ("L 403 403 403 200", "L 403 403 403 200"),
    "admin_portal:operation_run": ("L 405 405 405 405", "L 403 403 403 R"),
    "admin_portal:campaign_move": ("L 405 405 405 405", "L 403 403 403 R"),
    "admin_portal:restore_search": ("L 403 403 403 200", "L 403 403 403 200"),
    # A backup of this year's platform is not one to restore from: not found, even for admins.
    "admin_portal:restore_prepare": ("L 403 403 403 404", "L 403 403 403 404"),
    "admin_portal:restore_confirm": ("L 405 405 405 405", "L 403 403 403 404"),
    "admin_portal:backups_retention": ("L 403 403 403 200", "L 403 403 403 R"),
    "admin_portal:policies": ("L 403 403 403 200", "L 403 403 403 200"),
    "admin_portal:policy_edit": ("L 403 403 403 200", "L 403 403 403 200"),
    "dashboard:index": ("L 403 403 403 200", "L 405 405 405 405"),
    "dashboard:status": ("L 403 403 403 200", "L 405 405 405 405"),
    "dashboard:failures": ("L 403 403 403 200", "L 405 405 405 405"),
    "dashboard:courses": ("L 403 403 403 200", "L 405 405 405 405"),
    "dashboard:export_csv": ("L 403 403 403 200", "L 405 405 405 405"),
    "dashboard:export_xlsx": ("L 403 403 403 200", "L 405 405 405 405"),
    "dashboard:job_retry": ("L 405 405 405 405", "L 403 403 403 R"),
    "dashboard:job_cancel": ("L 405 405 405 405", "L 403 403 403 R"),
    "dashboard:group_retry": ("L 405 405 405 405", "L 403 403 403 R"),
    "dashboard:group_cancel": ("L 405 405 405 405", "L 403 403 403 R"),
    "dashboard:pause": ("L 405 405 405 405", "L 403 403 403 R"),
    "dashboard:resume": ("L 405 405 405 405", "L 403 403 403 R"),
    "reminders:send_now": ("L 405 405 405 405", "L 403 403 403 R"),
    "audit:index": ("L 403 403 403 200", "L 405 405 405 405"),
    "notifications:language": ("L 200 200 200 200", "L 200 200 200 200"),
}

# The admin pages' own URLs.
ADMIN_SITE: dict[str, tuple[str, str]] = {
    "admin:index": ("A A A 200 200", "A A A 200 200"),
    "admin:login": ("200 200 200 R R", "200 200 200 200 200"),
    "admin:logout": ("R R R 405 405", "R R R R R"),
    "admin:password_change": ("A A A 200 200", "A A A 200 200"),
    "admin:password_change_done": ("A A A 200 200", "A A A 405 405"),
    "admin:autocomplete": ("A A A 403 403", "A A A 405 405"),
    "admin:jsi18n": ("A A A 200 200", "A A A 405 405"),
    "admin:view_on_site": ("A A A 404 404", "A A A 404 404"),
    "admin:app_list": ("A A A 200 200", "A A A 200 200"),
    "admin:catch_all": ("A A A 404 404", "A A A 404 404"),
    "admin:auth_user_password_change": ("A A A 403 403", "A A A 403 403"),
    "admin:transition_cohort_import_apogee": ("A A A 403 200", "A A A 403 200"),
}

# What engineers and admins may do with each model of the admin pages: `-` nothing, `view`,
# `change` (view and change) or `all` (view, add, change, delete). Requests, jobs, backups and
# the audit trail are read-only for everyone (superusers included); accounts, groups and
# sign-in records are for superusers only.
ADMIN_MODELS: dict[str, tuple[str, str]] = {
    "auth.group": ("-", "-"),
    "auth.user": ("-", "-"),
    "axes.accessattempt": ("-", "-"),
    "axes.accesslog": ("-", "-"),
    "axes.accessfailurelog": ("-", "-"),
    "transition.moodleinstance": ("view", "all"),
    "transition.category": ("view", "all"),
    "transition.course": ("change", "all"),
    "transition.person": ("view", "all"),
    "transition.courserole": ("view", "all"),
    "transition.cohort": ("change", "all"),
    "transition.coursecohort": ("view", "all"),
    "transition.policy": ("view", "all"),
    "transition.campaign": ("view", "all"),
    "transition.transitionrequest": ("view", "view"),
    "transition.job": ("view", "view"),
    "transition.backup": ("view", "view"),
    "transition.auditevent": ("view", "view"),
}

# The answer (GET, POST) of each admin page of a model to staff with `-`, `view`, `change` or
# `all`; `object` is the address without an action, which redirects to the change page.
ADMIN_MODEL_PAGES: dict[str, dict[str, tuple[str, str]]] = {
    "changelist": {"-": ("403", "403"), "view": ("200", "200"), "change": ("200", "200")},
    "add": {"-": ("403", "403"), "view": ("403", "403"), "change": ("403", "403")},
    "history": {"-": ("403", "403"), "view": ("200", "200"), "change": ("200", "200")},
    "delete": {"-": ("403", "403"), "view": ("403", "403"), "change": ("403", "403")},
    "change": {"-": ("403", "403"), "view": ("200", "403"), "change": ("200", "200")},
    "object": {"-": ("R", "R"), "view": ("R", "R"), "change": ("R", "R")},
}
ALL_RIGHTS = {"changelist": ("200", "200"), "add": ("200", "200"), "history": ("200", "200")}
ALL_RIGHTS |= {"delete": ("200", "200"), "change": ("200", "200"), "object": ("R", "R")}


def _admin_model_row(label: str, page: str) -> tuple[str, str]:
    rights = ADMIN_MODELS[label]
    rows = [
        ALL_RIGHTS[page] if right == "all" else ADMIN_MODEL_PAGES[page][right] for right in rights
    ]
    return (
        " ".join(["A"] * 3 + [row[0] for row in rows]),
        " ".join(["A"] * 3 + [row[1] for row in rows]),
    )


def expected(name: str) -> tuple[str, str]:
    if name in PAGES:
        return PAGES[name]
    if name in ADMIN_SITE:
        return ADMIN_SITE[name]
    match = re.fullmatch(r"admin:(\w+?)_(\w+)_(changelist|add|history|delete|change|object)", name)
    assert match, f"{name}: no row in the authorization matrix"
    label = f"{match[1]}.{match[2]}"
    assert label in ADMIN_MODELS, f"{label}: no row in ADMIN_MODELS"
    return _admin_model_row(label, match[3])


def _walk(patterns: list[Any], prefix: str = "", namespace: str | None = None) -> Iterator[Any]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), joined)
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern), namespace, pattern.name


def _name(route: str, namespace: str | None, name: str | None) -> str:
    """A name for every URL, the admin's unnamed ones included."""
    if name is None:
        if route == "admin/(?P<url>.*)$":
            name = "catch_all"
        else:
            match = re.fullmatch(r"admin/(\w+)/(\w+)/<path:object_id>/", route)
            assert match, f"{route}: an unnamed URL the matrix does not know"
            name = f"{match[1]}_{match[2]}_object"
    return f"{namespace}:{name}" if namespace else name


URLS = sorted({_name(*row): row[0] for row in _walk(get_resolver().url_patterns)}.items())


def test_every_url_has_a_row():
    missing = []
    for name, _route in URLS:
        try:
            expected(name)
        except AssertionError as error:
            missing.append(str(error))
    assert not missing
    assert len(URLS) > 150


SIGN_IN = {
    "username": "paul.durand",
    "ip_address": "192.0.2.1",
    "user_agent": "",
    "http_accept": "",
}


class World:
    def __init__(self, people: Any) -> None:
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        self.people = people
        person = Person.objects.filter(user=people.teacher_a).first()
        self.objects = {
            "auth.group": Group.objects.get(name="teacher"),
            "auth.user": people.teacher_a,
            "transition.moodleinstance": people.instance,
            "transition.category": people.course.category
            or Category.objects.create(instance=people.instance, moodle_id=900, name="Chimie"),
            "transition.course": people.course,
            "transition.person": person,
            "transition.courserole": CourseRole.objects.filter(course=people.course).first(),
            "transition.cohort": CohortFactory(instance=people.instance),
            "transition.policy": people.campaign.policy,
            "transition.campaign": people.campaign,
            "transition.transitionrequest": people.request,
            "transition.job": people.job,
            "transition.backup": people.backup,
            "transition.auditevent": AuditEventFactory(actor=people.admin),
            "axes.accessattempt": AccessAttempt.objects.create(
                **SIGN_IN, failures_since_start=3, get_data="", post_data=""
            ),
            "axes.accesslog": AccessLog.objects.create(**SIGN_IN),
            "axes.accessfailurelog": AccessFailureLog.objects.create(**SIGN_IN, locked_out=False),
        }
        self.objects["transition.coursecohort"] = CourseCohortFactory(
            course=people.course, cohort=self.objects["transition.cohort"]
        )

    def url(self, name: str, route: str) -> str:
        people = self.people
        values = {
            "pk": people.request.pk,
            "backup_pk": people.backup.pk,
            "backup_id": people.backup.pk,
            "job_id": people.job.pk,
            "job_pk": people.job.pk,
            "campaign_id": people.campaign.pk,
            "decision": "approve",
            "move": "open",
            "name": "default_transition",
            "tab": "t1",
            "token": "forged",
            "id": people.teacher_a.pk,
            "content_type_id": ContentType.objects.get_for_model(people.course).pk,
        }
        if name.startswith("admin_portal:") and "instance" in name:
            values["pk"] = people.instance.pk
        elif name.startswith("admin_portal:") and "polic" in name:
            values["pk"] = people.campaign.policy.pk
        elif name.startswith("admin_portal:"):
            values["pk"] = people.campaign.pk
        match = re.fullmatch(r"admin:(\w+?)_(\w+)_(?:history|delete|change|object)", name)
        values["object_id"] = (
            self.objects[f"{match[1]}.{match[2]}"].pk
            if match and f"{match[1]}.{match[2]}" in self.objects
            else people.course.pk
        )
        url = "/" + route
        url = url.replace("^(?P<app_label>auth|axes|transition)/$", "transition/")
        url = url.replace("(?P<url>.*)$", "nowhere/")
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m[1]]), url)


def _answer(response: Any) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return "L"
        if location.startswith("/admin/login/"):
            return "A"
        return "R"
    return str(response.status_code)


@pytest.mark.parametrize(("name", "route"), URLS, ids=[name for name, _ in URLS])
def test_who_gets_in(people, name, route):
    world = World(people)
    url = world.url(name, route)
    got = {"GET": [], "POST": []}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(getattr(people, role))
        for method in ("GET", "POST"):
            with transaction.atomic():
                response = getattr(client, method.lower())(url)
                transaction.set_rollback(True)
            got[method].append(_answer(response))
    answers = (" ".join(got["GET"]), " ".join(got["POST"]))
    assert answers == expected(name), f"{url}: {answers}"
