"""Dates at the precision written: parsing, impossible dates, display, ordering."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from explainer.core.dates import PartialDate


@pytest.mark.parametrize(
    ("written", "text", "precision", "shown"),
    [
        ("2012", "2012", "year", "2012"),
        (2012, "2012", "year", "2012"),
        ("2012-03", "2012-03", "month", "March 2012"),
        ("2012-03-05", "2012-03-05", "day", "5 March 2012"),
        (" 2012-03-05 ", "2012-03-05", "day", "5 March 2012"),
        ("2012-02-29", "2012-02-29", "day", "29 February 2012"),
        ("0001", "0001", "year", "1"),
    ],
)
def test_precision_written_is_kept_and_shown(written: object, text: str, precision: str, shown: str) -> None:
    date = PartialDate.parse(written)
    assert str(date) == text
    assert date.precision == precision
    assert date.display() == shown


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2011-02-29", "'2011-02-29' is not a real date: February 2011 has 28 days"),
        ("2012-04-31", "'2012-04-31' is not a real date: April 2012 has 30 days"),
        ("2012-13", "'2012-13' is not a real date: there is no month 13"),
        ("2012-00-10", "'2012-00-10' is not a real date: there is no month 0"),
        ("0000", "'0000' is not a real date: there is no year 0"),
        ("2012-3-5", "write months and days with two digits: '2012-03-05', not '2012-3-5'"),
        ("2012-03-20T10:00:00Z", "a date may not carry a time; write '2012-03-20'"),
        ("2012-03-20 10:00", "a date may not carry a time; write '2012-03-20'"),
        ("03/20/2012", "write dates as YYYY-MM-DD: '2012-03-20', not '03/20/2012'"),
        ("20.03.2012", "write dates as YYYY-MM-DD: '2012-03-20', not '20.03.2012'"),
        ("20/3/12", "write dates as YYYY-MM-DD: '2012-03-20', not '20/3/12'"),
        ("01/02/2012", "'01/02/2012' is ambiguous (month/day or day/month?); "
                       "write YYYY-MM-DD: '2012-01-02' or '2012-02-01'"),
        ("13/13/2012", "'13/13/2012' is not a date; write YYYY-MM-DD (e.g. 2012-05-25)"),
        ("20120320", "'20120320' is not a date; write it with hyphens: '2012-03-20'"),
        ("March 2012", "'March 2012' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2012-05-25)"),
        ("", "'' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2012-05-25)"),
        (None, "expected a date written YYYY, YYYY-MM or YYYY-MM-DD, found nothing"),
        (True, "expected a date written YYYY, YYYY-MM or YYYY-MM-DD, found the boolean true"),
        (2012.5, "expected a date written YYYY, YYYY-MM or YYYY-MM-DD, found the number 2012.5"),
        ([2012], "expected a date written YYYY, YYYY-MM or YYYY-MM-DD, found a list"),
    ],
)  # fmt: skip
def test_impossible_and_foreign_dates_say_how_to_fix_them(written: object, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        PartialDate.parse(written)


def test_a_date_covers_the_days_of_its_precision() -> None:
    assert PartialDate.parse("2012").first_day == dt.date(2012, 1, 1)
    assert PartialDate.parse("2012").last_day == dt.date(2012, 12, 31)
    assert PartialDate.parse("2012-02").last_day == dt.date(2012, 2, 29)
    assert PartialDate.parse("2012-02-03").last_day == dt.date(2012, 2, 3)


def test_ordering_puts_the_less_precise_date_first() -> None:
    dates = [PartialDate.parse(t) for t in ("2012-03-01", "2012-03", "2012", "2011-12-31", "2012-02")]
    assert [str(d) for d in sorted(dates)] == ["2011-12-31", "2012", "2012-02", "2012-03", "2012-03-01"]
