"""A teacher ticks "keep a copy of what the reset deletes" in the wizard: the review says what
the copy will hold, and the request's copy holds exactly that."""

from __future__ import annotations

import pytest

from moodle_client import MoodleClient
from tests.engine.conftest import engine_settings, run_until_idle  # noqa: F401 - autouse
from tests.wizard.conftest import Wizard, make_world
from transition.keep_copy.counts import kept_counts
from transition.models import KeptCopy, TransitionRequest

pytestmark = pytest.mark.keep_copy


def test_the_review_counts_what_the_copy_holds_and_the_copy_holds_it(db, start_standin):
    world = make_world(start_standin("small"), allow_asap=True)
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    assert "keep_copy" in wizard.options_form(course).fields
    assert 'data-testid="keep-copy-option"' in wizard.page.content.decode()
    wizard.options({course: {"announce": None, "keep_copy": "on"}})
    review = wizard.reviews()["CHIM231-2025"]
    html = wizard.page.content.decode()
    assert 'data-testid="kept-CHIM231-2025"' in html
    client = MoodleClient(world.server.url, "admin")
    counted = kept_counts(client.get_course_inventory(course.moodle_id))
    assert dict(review.kept) == counted and counted["forum_posts"] > 0
    # The copy keeps the posts: no warning to export them by hand.
    assert "export_forum" not in {w.code for w in review.warnings}
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on", "confirm-when": "asap"})
    request = TransitionRequest.objects.get(course=course)
    assert request.plan.as_spec().keep_copy

    # "As soon as possible": the request started when the teacher confirmed.
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    assert KeptCopy.objects.get(request=request).counts == request.review_snapshot["kept"]


def test_without_the_copy_the_review_warns_to_export_the_posts(db, start_standin):
    world = make_world(start_standin("small"))
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    wizard.options({course: {"announce": None}})
    review = wizard.reviews()["CHIM231-2025"]
    assert not review.kept
    assert "export_forum" in {w.code for w in review.warnings}
    assert 'data-testid="kept-CHIM231-2025"' not in wizard.page.content.decode()
