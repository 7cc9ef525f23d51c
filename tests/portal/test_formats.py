"""Dates on the English pages read day first on a 24-hour clock, as on the French pages."""

import datetime

from django import forms
from django.utils import translation
from django.utils.formats import date_format

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
