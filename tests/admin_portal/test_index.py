from django.test import Client
from django.urls import reverse

from tests.approvals.conftest import People


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_portal_index_links_every_admin_page(people: People) -> None:
    response = logged_in(people.admin).get("/admin-portal/")
    assert response.status_code == 200
    page = response.content.decode()
    for target in (
        reverse("admin_portal:instances"),
        reverse("admin_portal:campaigns"),
        reverse("admin_portal:policies"),
        reverse("admin_portal:operations", args=[people.campaign.pk]),
        reverse("admin_portal:restore_search"),
        reverse("audit:index"),
    ):
        assert f'href="{target}"' in page, target


def test_the_admin_portal_index_is_for_admins_only(people: People) -> None:
    assert logged_in(people.teacher).get("/admin-portal/").status_code == 403
    assert logged_in(people.engineer).get("/admin-portal/").status_code == 403


def test_admins_reach_the_administration_from_the_top_navigation(people: People) -> None:
    link = f'href="{reverse("admin_portal:index")}" data-testid="nav-administration"'
    assert link in logged_in(people.admin).get(reverse("admin_portal:campaigns")).content.decode()
    home = logged_in(people.teacher).get(reverse("home"))
    assert 'data-testid="nav-administration"' not in home.content.decode()
