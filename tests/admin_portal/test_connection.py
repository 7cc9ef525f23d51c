"""The "test connection" check against a stand-in Moodle over real HTTP."""

from django.test import Client
from django.urls import reverse

from moodle_client.standin import StandinServer
from moodle_client.standin.registry import FUNCTION_VERSION
from tests.factories import MoodleInstanceFactory, UserFactory
from transition.models import MoodleInstance
from transition.services.instances import REQUIRED_FUNCTIONS, instance_check
from transition.tokens import token_encrypt


def platform(server: StandinServer, token: str = "admin") -> MoodleInstance:
    return MoodleInstanceFactory(
        name="ecampus",
        url=server.url,
        role=MoodleInstance.Role.CURRENT,
        token_encrypted=token_encrypt(token),
    )


def test_every_function_passage_needs_is_found_with_the_plugin_and_its_version(
    db: None, start_standin
) -> None:
    server = start_standin(seed="small")
    instance = platform(server)

    report = instance_check(instance=instance)

    assert report.token_valid
    assert report.ok
    assert report.missing == ()
    assert [check.name for check in report.functions] == list(REQUIRED_FUNCTIONS)
    assert all(check.available for check in report.functions)
    assert report.plugin_present
    # Moodle reports each function with its component's version: the plugin's, here.
    assert report.plugin_version == FUNCTION_VERSION
    assert report.release.startswith("5.0")
    assert report.call_ms is not None and report.call_ms > 0
    instance.refresh_from_db()
    assert instance.plugin_version == report.plugin_version
    assert instance.last_check_error == ""
    assert instance.last_checked_at is not None


def test_a_token_whose_service_lacks_functions_gets_them_flagged(db: None, start_standin) -> None:
    server = start_standin(seed="small")
    admin_id = server.site.user_by_username("admin").id
    lacking = {
        "local_passage_reset_course",
        "local_passage_restore_course",
        "core_course_update_courses",
    }
    server.site.add_token(
        "limited", admin_id, functions=[name for name in REQUIRED_FUNCTIONS if name not in lacking]
    )
    instance = platform(server, token="limited")

    report = instance_check(instance=instance)

    assert report.token_valid
    assert not report.ok
    assert set(report.missing) == lacking
    instance.refresh_from_db()
    assert "local_passage_reset_course" in instance.last_check_error


def test_a_service_without_the_plugin_says_so(db: None, start_standin) -> None:
    server = start_standin(seed="small")
    admin_id = server.site.user_by_username("admin").id
    server.site.add_token(
        "coreonly",
        admin_id,
        functions=[name for name in REQUIRED_FUNCTIONS if not name.startswith("local_passage_")],
    )
    report = instance_check(instance=platform(server, token="coreonly"))
    assert report.token_valid
    assert not report.plugin_present
    assert report.plugin_version == ""


def test_a_refused_token_is_reported_and_recorded(db: None, start_standin) -> None:
    server = start_standin(seed="small")
    instance = platform(server, token="not-a-token")

    report = instance_check(instance=instance)

    assert not report.token_valid
    assert "invalidtoken" in report.error
    instance.refresh_from_db()
    assert "invalidtoken" in instance.last_check_error


def test_an_unreachable_moodle_is_reported_not_raised(db: None) -> None:
    instance = MoodleInstanceFactory(url="http://127.0.0.1:9", role=MoodleInstance.Role.CURRENT)
    report = instance_check(instance=instance)
    assert not report.token_valid
    assert report.error


def test_the_page_shows_the_result_function_by_function(db: None, start_standin) -> None:
    server = start_standin(seed="small")
    admin_id = server.site.user_by_username("admin").id
    server.site.add_token(
        "limited",
        admin_id,
        functions=[n for n in REQUIRED_FUNCTIONS if n != "local_passage_backup_course"],
    )
    instance = platform(server, token="limited")
    client = Client()
    client.force_login(UserFactory(username="alain.admin", roles=["admin"]))

    page = client.post(reverse("admin_portal:instance_test", args=[instance.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="check-problem"' in html
    for name in REQUIRED_FUNCTIONS:
        assert f'data-testid="function-{name}"' in html
    row = html.split('data-testid="function-local_passage_backup_course"')[1].split("</tr>")[0]
    assert "table-danger" in row
    assert "✘" in row
    present = html.split('data-testid="function-local_passage_reset_course"')[1].split("</tr>")[0]
    assert "table-danger" not in present
    assert "✔" in present
