import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.core import dates
from apps.core.forms import LocalDateField


def test_thai_display_uses_buddhist_era():
    assert dates.format_date(dt.date(2010, 3, 9), "th") == "9 มีนาคม 2553"
    assert dates.format_date(dt.date(2010, 3, 9), "en") == "9 March 2010"
    assert dates.format_date(dt.date(2026, 11, 29), "th", short=True) == "29 พ.ย. 2569"


@pytest.mark.parametrize("text", ["09/03/2553", "9/3/2553", "9.3.2553", "2553-03-09"])
def test_thai_input_takes_a_buddhist_era_year(text):
    assert dates.parse_date(text, "th") == dt.date(2010, 3, 9)


@pytest.mark.parametrize("text", ["09/03/2010", "2010-03-09"])
def test_english_input_takes_a_gregorian_year(text):
    assert dates.parse_date(text, "en") == dt.date(2010, 3, 9)


def test_a_buddhist_year_typed_in_english_is_refused_not_stored_centuries_off():
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            dates.parse_date("09/03/2553", "en")
    assert "Buddhist Era" in error.value.messages[0]
    assert "2010" in error.value.messages[0]


def test_a_gregorian_year_typed_in_thai_is_refused():
    with translation.override("th"):
        with pytest.raises(ValidationError) as error:
            dates.parse_date("09/03/2010", "th")
    assert "2553" in error.value.messages[0]


@pytest.mark.parametrize("text", ["31/02/2553", "hello", "", "1/1/99", "01/13/2553"])
def test_impossible_or_malformed_dates_are_refused(text):
    with pytest.raises(ValidationError):
        dates.parse_date(text, "th")


def test_form_field_follows_the_active_language():
    field = LocalDateField()
    with translation.override("th"):
        assert field.clean("01/12/2552") == dt.date(2009, 12, 1)
        assert field.widget.format_value(dt.date(2009, 12, 1)) == "01/12/2552"
    with translation.override("en"):
        assert field.clean("01/12/2009") == dt.date(2009, 12, 1)
        assert field.widget.format_value(dt.date(2009, 12, 1)) == "01/12/2009"


def test_api_dates_are_gregorian_and_catch_buddhist_years():
    assert dates.check_api_date(dt.date(2010, 3, 9)) == dt.date(2010, 3, 9)
    with pytest.raises(ValidationError):
        dates.check_api_date(dt.date(2553, 3, 9))


@pytest.mark.parametrize("start,months,expected", [
    (dt.date(2009, 12, 1), 1, dt.date(2010, 1, 1)),
    (dt.date(2010, 1, 31), 1, dt.date(2010, 2, 28)),
    (dt.date(2012, 1, 31), 1, dt.date(2012, 2, 29)),
    (dt.date(2010, 3, 9), -3, dt.date(2009, 12, 9)),
    (dt.date(2010, 5, 31), 78, dt.date(2016, 11, 30)),
])
def test_add_months_clamps_the_day(start, months, expected):
    assert dates.add_months(start, months) == expected


def test_aware_datetimes_show_the_bangkok_day():
    from zoneinfo import ZoneInfo

    early_morning = dt.datetime(2010, 3, 9, 6, 0, tzinfo=ZoneInfo("Asia/Bangkok"))
    assert dates.format_date(early_morning, "th") == "9 มีนาคม 2553"  # 8 March in UTC
