"""Dates at the precision they were written: a year, a month or a day.

"2012-03" means March 2012, not 1 March 2012: the precision written is the precision kept,
compared, charted and shown.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

Precision = Literal["year", "month", "day"]

DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?\Z")
_DATETIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]")
_SLASHED = re.compile(r"([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{2,4})\Z")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})\Z")
MONTHS = list(calendar.month_name)[1:]


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day is not None:
            return self.first_day
        if self.month is not None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Orders by first day; at the same first day, the less precise date first."""
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key < other.sort_key

    def __le__(self, other: PartialDate) -> bool:
        return self.sort_key <= other.sort_key

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def display(self) -> str:
        """For readers: "2012", "March 2012", "25 March 2012"."""
        if self.month is None:
            return str(self.year)
        month = MONTHS[self.month - 1]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        """From `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (text or a bare year); ValueError says why not."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"expected a date written YYYY, YYYY-MM or YYYY-MM-DD, found {describe(value)}")
        text = str(value).strip()
        match = _DATE.match(text)
        if not match:
            raise ValueError(_explain_bad_date(text))
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        if year < 1:
            raise ValueError(f"'{text}' is not a real date: there is no year 0")
        if (match.group(2) and len(match.group(2)) != 2) or (match.group(3) and len(match.group(3)) != 2):
            raise ValueError(f"write months and days with two digits: '{_padded(year, month, day)}', not '{text}'")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"'{text}' is not a real date: there is no month {month}")
        if day is not None:
            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"'{text}' is not a real date: {MONTHS[month - 1]} {year} has {last} days")
        return cls(year, month, day)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(cls.parse, serialization=core_schema.to_string_ser_schema())

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "string", "pattern": DATE_PATTERN},
                {"type": "integer", "minimum": 1, "maximum": 9999},
            ],
            "description": "A date at the precision known: YYYY, YYYY-MM or YYYY-MM-DD.",
            "examples": ["2012", "2012-03", "2012-05-25"],
        }


def _padded(year: int, month: int | None, day: int | None) -> str:
    return str(PartialDate(year, month, day))


def _explain_bad_date(text: str) -> str:
    if m := _DATETIME.match(text):
        return f"a date may not carry a time; write '{m.group(1)}'"
    if m := _SLASHED.match(text):
        first, second, year = (int(part) for part in m.groups())
        return _explain_slashed(text, first, second, year, len(m.group(3)))
    if m := _COMPACT.match(text):
        return f"'{text}' is not a date; write it with hyphens: '{m.group(1)}-{m.group(2)}-{m.group(3)}'"
    return f"'{text}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2012-05-25)"


def _explain_slashed(text: str, first: int, second: int, year: int, year_digits: int) -> str:
    """03/20/2012 (US), 20.3.2012 (European): say which reading is meant, or that both could be."""
    if year_digits == 2:
        year += 2000 if year < 50 else 1900
    elif year_digits == 3:
        return f"'{text}' is not a date; write YYYY-MM-DD (e.g. 2012-05-25)"
    if first > 12 >= second >= 1:
        return f"write dates as YYYY-MM-DD: '{year:04d}-{second:02d}-{first:02d}', not '{text}'"
    if second > 12 >= first >= 1:
        return f"write dates as YYYY-MM-DD: '{year:04d}-{first:02d}-{second:02d}', not '{text}'"
    if not (1 <= first <= 12 and 1 <= second <= 12):
        return f"'{text}' is not a date; write YYYY-MM-DD (e.g. 2012-05-25)"
    return (
        f"'{text}' is ambiguous (month/day or day/month?); write YYYY-MM-DD: "
        f"'{year:04d}-{first:02d}-{second:02d}' or '{year:04d}-{second:02d}-{first:02d}'"
    )


def describe(value: Any) -> str:
    """A short description of a value of the wrong kind, for error messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{short}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
