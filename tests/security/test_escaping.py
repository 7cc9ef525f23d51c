"""Text people type is shown as text: a policy rule's reason in the teacher's options step."""

from __future__ import annotations

import pytest

from tests.wizard.conftest import Wizard, small_site, world  # noqa: F401  (fixtures)
from transition.models import PolicyRule

pytestmark = pytest.mark.django_db

PAYLOAD = '<img src=x onerror="alert(document.cookie)">Décision du CFVU'


def test_a_policy_reason_is_escaped_in_the_options_step(world):  # noqa: F811
    PolicyRule.objects.filter(policy=world.campaign.policy, locked=True).update(reason=PAYLOAD)
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    assert wizard.step == "options"
    html = wizard.page.content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(document.cookie)&quot;&gt;Décision du CFVU" in html
