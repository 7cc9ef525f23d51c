"""The "test connection" check against a stand-in Moodle over real HTTP."""

import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import translation

from moodle_client.standin import StandinServer
from moodle_client.standin.functions.webservice import PLUGIN_VERSION
from tests.factories import MoodleInstanceFactory, UserFactory
from transition.models import Job, MoodleInstance
from transition.services.instances import (
    JOB_FUNCTIONS,
    PLUGIN_MIN_VERSION,
    REQUIRED_FUNCTIONS,
    instance_check,
)
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
    assert report.plugin_version == PLUGIN_VERSION
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

    with translation.override("en"):
        report = instance_check(instance=instance)

    assert not report.token_valid
    assert "invalidtoken" in report.error
    assert [problem.code for problem in report.problems] == ["invalidtoken"]
    instance.refresh_from_db()
    assert "Moodle refused the token" in instance.last_check_error


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


def _problem_codes(report) -> list[str]:
    return [problem.code for problem in report.problems]


def test_a_closed_port_is_named_connection_refused_not_a_refused_token(db: None) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    instance = MoodleInstanceFactory(
        url=f"http://127.0.0.1:{port}", role=MoodleInstance.Role.CURRENT
    )

    with translation.override("en"):
        report = instance_check(instance=instance)

    assert _problem_codes(report) == ["connectionrefused"]
    assert "connection refused" in report.problems[0].message
    assert not report.ok


def test_a_name_that_does_not_resolve_says_so(db: None) -> None:
    instance = MoodleInstanceFactory(url="http://moodle.invalid", role=MoodleInstance.Role.CURRENT)
    with translation.override("fr"):
        report = instance_check(instance=instance)
    assert _problem_codes(report) == ["dnserror"]
    assert "moodle.invalid" in report.problems[0].message
    assert "ne se résout pas" in report.problems[0].message


def test_a_moodle_that_does_not_answer_in_time_is_a_timeout(
    db: None, start_standin, settings
) -> None:
    settings.MOODLE_TIMEOUT = 1
    server = start_standin(seed="small")
    server.faults.fail_next("core_webservice_get_site_info", 1, "timeout")
    report = instance_check(instance=platform(server))
    assert _problem_codes(report) == ["timeout"]


def test_https_to_a_plain_http_server_is_a_tls_failure(db: None, start_standin) -> None:
    server = start_standin(seed="small")
    instance = platform(server)
    instance.url = server.url.replace("http://", "https://")
    report = instance_check(instance=instance)
    assert _problem_codes(report) == ["tlserror"]


def test_an_http_error_is_named_with_its_status(db: None, start_standin) -> None:
    server = start_standin(seed="small")
    server.faults.set("core_webservice_get_site_info", 1.0, "http503")
    report = instance_check(instance=platform(server))
    assert _problem_codes(report) == ["http503"]


def test_an_address_that_is_not_moodle_is_named_so(db: None, start_standin) -> None:
    server = start_standin(seed="small")
    instance = platform(server)
    instance.url = server.url + "/not-moodle"
    report = instance_check(instance=instance)
    assert _problem_codes(report) == ["notmoodle"]


class _WebServicesOff(BaseHTTPRequestHandler):
    """Moodle with web services (or REST) disabled: server.php answers 403 with no body."""

    def do_POST(self) -> None:
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_web_services_turned_off_are_named_with_where_to_turn_them_on(db: None) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _WebServicesOff)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        instance = MoodleInstanceFactory(
            url=f"http://127.0.0.1:{server.server_address[1]}", role=MoodleInstance.Role.CURRENT
        )
        with translation.override("en"):
            report = instance_check(instance=instance)
    finally:
        server.shutdown()
        server.server_close()
    assert _problem_codes(report) == ["webservicesoff"]
    assert "Advanced features" in report.problems[0].message


def test_an_old_plugin_is_named_with_the_version_needed(db: None, start_standin) -> None:
    server = start_standin(seed="small")
    server.site.passage_plugin_version = "2025010100"
    report = instance_check(instance=platform(server))
    assert report.token_valid and report.plugin_present
    assert _problem_codes(report) == ["pluginold"]
    assert PLUGIN_MIN_VERSION in report.problems[0].message


def test_the_plugin_version_the_check_needs_is_the_plugin_in_the_repository() -> None:
    version_php = Path(__file__).parents[2] / "moodle_plugin/local_passage/version.php"
    declared = re.search(r"\$plugin->version = (\d+);", version_php.read_text()).group(1)
    assert PLUGIN_MIN_VERSION == declared == PLUGIN_VERSION


def test_a_service_without_the_duplicate_function_blocks_fresh_copies(
    db: None, start_standin
) -> None:
    server = start_standin(seed="small")
    admin_id = server.site.user_by_username("admin").id
    server.site.add_token(
        "nocopy",
        admin_id,
        functions=[n for n in REQUIRED_FUNCTIONS if n != "core_course_duplicate_course"],
    )
    with translation.override("en"):
        report = instance_check(instance=platform(server, token="nocopy"))
    assert not report.ok
    assert report.missing == ("core_course_duplicate_course",)
    assert _problem_codes(report) == ["functionsmissing"]
    assert report.blocked_scenarios == (("Fresh copy", ("core_course_duplicate_course",)),)


def test_every_function_a_job_calls_is_checked() -> None:
    for kind, functions in JOB_FUNCTIONS.items():
        assert kind in dict(Job.Kind.choices)
        assert set(functions) <= set(REQUIRED_FUNCTIONS)
    assert set(JOB_FUNCTIONS) == set(dict(Job.Kind.choices))


def test_the_page_for_a_stopped_platform_names_the_real_cause(db: None, start_standin) -> None:
    server = start_standin(seed="small")
    instance = platform(server)
    server.stop()
    client = Client()
    client.force_login(UserFactory(username="alain.admin", roles=["admin"]))

    page = client.post(
        reverse("admin_portal:instance_test", args=[instance.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )

    html = page.content.decode()
    assert 'data-testid="problem-connectionrefused"' in html
    assert "connection refused" in html
    # Neither the token nor the plugin is blamed: Moodle was never asked.
    assert "problem-invalidtoken" not in html and "problem-pluginmissing" not in html
    assert "not found in the token&#x27;s service" not in html
