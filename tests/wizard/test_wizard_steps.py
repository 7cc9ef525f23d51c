"""Every step of the wizard, through the Django test client (no JavaScript)."""

from tests.wizard.conftest import Wizard
from transition.models import TransitionRequest


def test_one_course_reuse_reset_end_to_end(world):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    assert wizard.step == "courses"
    wizard.courses(course)
    assert wizard.step == "scenarios"
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    assert wizard.step == "options", wizard.page.context["wizard"]["form"].errors
    wizard.options()
    assert wizard.step == "review", wizard.page.context["wizard"]["form"].errors
    review = wizard.reviews()["CHIM231-2025"]
    assert review.rows
    wizard.submit({})
    assert wizard.step == "confirm"
    response = wizard.submit({"confirm-acknowledge": "on", "confirm-when": "run_date"})
    assert response.status_code == 302, response.content[:2000]
    request = TransitionRequest.objects.get(course=course)
    assert request.status == TransitionRequest.Status.SCHEDULED
    assert request.plan.as_spec().scenario == "reuse_reset"
