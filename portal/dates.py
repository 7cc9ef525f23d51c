"""Long dates as each language writes them: French writes the first day of a month as an
ordinal, « 1er septembre 2027 », every other day as a number (« 2 septembre 2027 »); English
keeps "1 September 2027".

Django's date formats cannot say this (a format character is the same for every day), so
`date_format` adds the ordinal to the format for the first day, and the templates' `date` filter
is this module's (a builtin of the template engine, see `TEMPLATES` in the settings): every page
and e-mail that shows a long date gets it without naming a filter of its own.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import template
from django.template import defaultfilters
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()

# The day of the month (`j`, not escaped) written before the month's name (`F`, `E` or `N`).
_DAY_BEFORE_MONTH = re.compile(r"(?<!\\)j(?=\s+[FEN])")
# The French ordinal of the first day, escaped so that Django writes it as it is.
_FRENCH_FIRST = r"j\e\r"


def _ordinal_format(value: Any, fmt: str | None) -> str | None:
    """The format to write `value` with: the language's own, with French's « 1er » on the first
    day of a month when the format writes the day before the month's name."""
    if not isinstance(value, datetime.date) or value.day != 1:
        return fmt
    if not (get_language() or "").lower().startswith("fr"):
        return fmt
    resolved = formats.get_format(fmt or "DATE_FORMAT")
    ordinal = _DAY_BEFORE_MONTH.sub(lambda _match: _FRENCH_FIRST, resolved)
    return ordinal if ordinal != resolved else fmt


def date_format(value: datetime.date, format: str | None = None) -> str:
    """`django.utils.formats.date_format`, with French's « 1er »."""
    return formats.date_format(value, _ordinal_format(value, format))


@register.filter("date", expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Django's `date` filter, with French's « 1er »."""
    return defaultfilters.date(value, _ordinal_format(value, arg))
