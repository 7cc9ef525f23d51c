"""The review's headline, grouped detail and warnings, for every page that shows a review."""

from __future__ import annotations

from django import template

from transition.error_texts import error_for_people
from transition.review.results import WARNING_TEXTS, CourseReview, ReviewWarning
from transition.wizard.review_summary import (
    DetailGroup,
    Headline,
    review_detail,
    review_headline,
    roles_named,
)

register = template.Library()


@register.simple_tag
def headline_of(review: CourseReview) -> Headline:
    return review_headline(review)


@register.simple_tag
def detail_of(review: CourseReview) -> list[DetailGroup]:
    return review_detail(review)


@register.simple_tag
def warning_text(warning: ReviewWarning, part: int = 0) -> str:
    """The warning's sentence (0) or what to do (1), roles named as Moodle names them."""
    params = dict(warning.params)
    if "roles" in params:
        params["roles"] = roles_named(params["roles"])
    if warning.code == "no_backup":
        # Moodle's own message is for administrators; the review only ever records a refusal.
        params["detail"] = error_for_people("accessexception").what.rstrip(".")
    return str(WARNING_TEXTS[warning.code][part]) % params
