"""What the teacher reviewed is what Moodle ends up with: a request confirmed in the wizard
under the Caen policy, run by the job engine against the stand-in, passes its verification
(every count the review marked deleted is gone, every count it marked kept is unchanged)."""

from __future__ import annotations

from typing import Any

from tests.engine.conftest import engine_settings, run_until_idle  # noqa: F401 - autouse
from tests.wizard.conftest import Wizard, make_world
from transition.models import Job, TransitionRequest


def failures(request: TransitionRequest) -> list[Any]:
    return list(
        request.jobs.exclude(status=Job.Status.SUCCEEDED).values(
            "kind", "status", "last_error_message", "result"
        )
    )


def test_a_caen_reset_confirmed_in_the_wizard_runs_exactly_as_reviewed(db, start_standin):
    world = make_world(start_standin("small"), allow_asap=True)
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    wizard.options({course: {"announce": None}})
    review = wizard.reviews()["CHIM231-2025"]
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on", "confirm-when": "asap"})
    request = TransitionRequest.objects.get(course=course)

    # "As soon as possible" starts at confirmation, not at the next beat.
    assert request.status == TransitionRequest.Status.RUNNING
    assert request.jobs.filter(status=Job.Status.QUEUED).count() == 1
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE, failures(request)
    verify = request.jobs.get(kind=Job.Kind.VERIFY)
    assert verify.result["differences"] == []
    assert verify.result["rows"] == len(review.rows)
    site = world.server.site
    glossaries = {m.id for m in site.course_modules.values() if m.modname == "glossary"}
    kept = [r for r in site.user_data.values() if r.kind == "entries" and r.cmid in glossaries]
    assert kept  # Caen keeps the glossary entries students wrote


def test_a_fresh_copy_and_a_hand_over_confirmed_together_both_run(db, start_standin):
    world = make_world(start_standin("small"), allow_asap=True)
    thermo, loaded = world.course("CHIM232-2025"), world.course("CHIM231-2025")
    wizard = Wizard(world.client)
    wizard.courses(thermo, loaded)
    wizard.scenarios(
        {
            thermo: {
                "scenario": "fresh_copy",
                "new_shortname": "CHIM232-2026",
                "archive_prefix": "on",
            },
            loaded: {"scenario": "hand_over", "successor_username": "mlefebvre"},
        }
    )
    wizard.options()
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on", "confirm-when": "asap"})
    for request in TransitionRequest.objects.all():
        assert request.status == TransitionRequest.Status.RUNNING
        run_until_idle(request)
        request.refresh_from_db()
        assert request.status == TransitionRequest.Status.DONE, failures(request)
    shortnames = {c.shortname for c in world.server.site.courses.values()}
    assert "CHIM232-2026" in shortnames
