"""Dates on the English pages read day first on a 24-hour clock, as on the French pages."""

import datetime

from django import forms
from django.utils import translation
from django.utils.formats import date_format

from portal import dates

MOMENT = datetime.datetime(2027, 1, 9, 17, 20)


def test_english_dates_put_the_day_before_the_month():
    with translation.override("en"):
        assert date_format(MOMENT.date()) == "9 January 2027"
        assert date_format(MOMENT, "DATETIME_FORMAT") == "9 January 2027, 17:20"
        assert date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "09/01/2027 17:20"


def test_french_dates_keep_djangos_french_formats():
    with translation.override("fr"):
        assert date_format(MOMENT.date()) == "9 janvier 2027"
        assert date_format(MOMENT, "SHORT_DATE_FORMAT") == "09/01/2027"


def test_english_date_fields_read_what_date_inputs_send_and_day_first_dates():
    with translation.override("en"):
        assert forms.DateField().clean("2027-01-09") == MOMENT.date()
        assert forms.DateField().clean("09/01/2027") == MOMENT.date()
        assert forms.DateTimeField().clean("2027-01-09T17:20").replace(tzinfo=None) == MOMENT


FIRST_OF_SEPTEMBER = datetime.datetime(2027, 9, 1, 8, 30)


def _shown(template_text: str, moment: datetime.date) -> str:
    from django.template import Context, Template

    return Template(template_text).render(Context({"moment": moment}))


def test_french_long_dates_write_the_first_of_the_month_1er():
    with translation.override("fr"):
        assert _shown('{{ moment|date:"DATE_FORMAT" }}', FIRST_OF_SEPTEMBER.date()) == (
            "1er septembre 2027"
        )
        assert _shown("{{ moment|date }}", FIRST_OF_SEPTEMBER.date()) == "1er septembre 2027"
        assert _shown('{{ moment|date:"DATETIME_FORMAT" }}', FIRST_OF_SEPTEMBER).startswith(
            "1er septembre 2027 "
        )
        assert dates.date_format(FIRST_OF_SEPTEMBER.date(), "DATE_FORMAT") == ("1er septembre 2027")
        # Any other day is a number, and short dates stay digits.
        assert _shown('{{ moment|date:"DATE_FORMAT" }}', MOMENT.date()) == "9 janvier 2027"
        assert _shown('{{ moment|date:"SHORT_DATE_FORMAT" }}', FIRST_OF_SEPTEMBER) == ("01/09/2027")
        assert dates.date_format(datetime.date(2027, 9, 11)) == "11 septembre 2027"


def test_english_long_dates_keep_the_first_of_the_month_a_number():
    with translation.override("en"):
        assert _shown('{{ moment|date:"DATE_FORMAT" }}', FIRST_OF_SEPTEMBER.date()) == (
            "1 September 2027"
        )
        assert dates.date_format(FIRST_OF_SEPTEMBER, "DATETIME_FORMAT") == (
            "1 September 2027, 08:30"
        )
