"""The review follows Moodle 5.0's reset where one option's effect depends on another."""

from __future__ import annotations

import pytest

from tests.review.inventories import chemistry_course
from transition.request_spec import RequestSpec
from transition.review.engine import ReviewFacts, review_course
from transition.review.results import Fate


def assignment_grades(options: dict[str, str]):
    inventory = chemistry_course()
    spec = RequestSpec(
        scenario="reuse_reset", course_moodle_id=inventory.course.id, reset_options=options
    )
    review = review_course(inventory=inventory, spec=spec, governed={}, facts=ReviewFacts())
    (row,) = [r for r in review.rows if r.subject == "Devoir 1" and r.kind == "grades"]
    return row.fate, row.affected


@pytest.mark.parametrize(
    ("options", "fate", "affected"),
    [
        ({"reset_assign_submissions": "1"}, Fate.KEPT, 0),
        ({"reset_assign_submissions": "1", "reset_gradebook_grades": "1"}, Fate.DELETED, 58),
    ],
    ids=["submissions alone", "with the gradebook's grades"],
)
def test_an_assignments_grades_go_only_with_the_gradebooks(options, fate, affected) -> None:
    assert assignment_grades(options) == (fate, affected)
