"""Calendar dates written in the many ways people and devices write them.

Every candidate is validated as a real calendar date (no 31 February, years kept to
1900..2099 for four digits), so version numbers, measurements and codes that merely
look like dates are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from phidetect.text.recognizer import Recognizer
from phidetect.text.spans import Span

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_NOT_NUM_BEFORE = r"(?<![\d.:/-])"
_NOT_NUM_AFTER = r"(?![\d/:-]|\.\d)"
_DAY = r"(?P<d>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR4 = r"(?P<y>(?:19|20)\d{2})"

#: (name, regex); each names groups y/m/d or y/mon/d, or a/b/y for ambiguous numeric order.
DATE_FORMATS: tuple[tuple[str, str], ...] = (
    # DICOM DA and the date part of DT: 19610314, 19610314093000.000+0100
    ("dicom", _NOT_NUM_BEFORE + r"(?<![A-Za-z])(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])"
              r"(?:[0-2]\d(?:[0-5]\d(?:[0-5]\d(?:\.\d{1,6})?)?)?(?:[+-]\d{4})?)?(?![\d])"),
    # ISO and friends: 1961-03-14, 1961/03/14, 1961.03.14
    ("ymd", _NOT_NUM_BEFORE + _YEAR4 + r"(?P<sep>[-/.])(?P<m>0?[1-9]|1[0-2])(?P=sep)(?P<d>0?[1-9]|[12]\d|3[01])"
            r"(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?)?" + _NOT_NUM_AFTER),
    # 03/14/1961, 14.03.1961, 14-03-61 (day/month order decided by validity)
    ("numeric", _NOT_NUM_BEFORE + r"(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})" + _NOT_NUM_AFTER),
    # March 14, 1961 / Mar 14 1961 / March 14th, 1961
    ("month_day_year", r"(?<![A-Za-z])" + _MONTH + r"[\s-]*" + _DAY + r"(?:,\s*|\s+|-)" + _YEAR4 + r"(?!\d)"),
    # 14 March 1961 / 14-MAR-1961 / 14MAR1961 / 14-Mar-61
    ("day_month_year", _NOT_NUM_BEFORE + _DAY + r"[\s-]?" + _MONTH + r"[\s,-]*(?P<y>(?:19|20)\d{2}|['’]?\d{2})(?!\d)"),
    # Jan-12-96, Sept-03-01 (hyphens only: "Jan 12 96 patients" is a count) and Feb 24 '48
    ("month_day_yy", r"(?<![A-Za-z])" + _MONTH + r"(?:-|\s+)" + _DAY + r"(?:-|,?\s+(?=['’]))"
                     r"(?P<y>['’]?\d{2})(?![\d-])"),
    # 12th of January 1996, 3rd of Sept. 2001
    ("day_of_month_year", _NOT_NUM_BEFORE + _DAY + r"\s+of\s+" + _MONTH + r",?\s+" + _YEAR4 + r"(?!\d)"),
)
_COMPILED = tuple((name, re.compile(rx, re.IGNORECASE)) for name, rx in DATE_FORMATS)
#: A time of day as stamps write it beside a date: 11:03, 08:21:04 PM, 23:59:59.123, 9:05 a.m.;
#: OCR reads a colon as a dot too ("10.45"), so beside a date a dot counts, but not before a unit.
_CLOCK = (r"(?:[01]?\d|2[0-3])(?P<tsep>[:.])[0-5]\d(?:(?P=tsep)[0-5]\d(?::\d{1,6}|\.\d{1,6})?)?"
          r"(?:\s?[ap]\.?m\b\.?)?(?!\s?(?:mm|cm|ml|mg|kg|mbq|ms|hz|%)\b)")
#: The time right after a date ("20.08.2021 11:03:23 AM", "01/22/2020, 08:21", "... at 14:05").
_TIME_AFTER = re.compile(r"(?:,?\s{1,3}(?:at\s+)?|T|\s?[-@]\s?)" + _CLOCK + r"(?![\d:])", re.IGNORECASE)
#: The time right before a date ("11:03:23 20.08.2021").
_TIME_BEFORE = re.compile(r"(?<![\d:.])" + _CLOCK + r",?\s{1,3}$", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"(?<![A-Za-z\d])" + _MONTH + r"[\s,-]+" + _YEAR4 + r"(?!\d)", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    value: date
    fmt: str


def _year(text: str) -> int:
    text = text.lstrip("'’")
    year = int(text)
    if len(text) == 2:  # 2-digit years: the nearer century
        year += 2000 if year <= 30 else 1900
    return year


def _valid(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2099:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _interpret(name: str, match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    if name == "numeric":
        a, b, year = int(groups["a"]), int(groups["b"]), _year(groups["y"])
        # month/day (US) first, then day/month (European); either valid reading counts
        return _valid(year, a, b) or _valid(year, b, a)
    month = MONTHS[groups["mon"].lower()] if groups.get("mon") else int(groups["m"])
    return _valid(_year(groups["y"]), month, int(groups["d"]))


def find_dates(text: str) -> list[FoundDate]:
    """Every valid calendar date in ``text``, longest first where candidates overlap."""
    return list(_find_dates(text))


@lru_cache(maxsize=65536)
def _find_dates(text: str) -> tuple[FoundDate, ...]:
    """Cached: the same date strings recur in every element and file of a study."""
    found: list[FoundDate] = []
    for name, pattern in _COMPILED:
        for match in pattern.finditer(text):
            value = _interpret(name, match)
            if value is None:
                continue
            candidate = FoundDate(match.start(), match.end(), value, name)
            if not any(f.start < candidate.end and candidate.start < f.end for f in found):
                found.append(candidate)
    return tuple(sorted(found, key=lambda f: f.start))


def _with_time_of_day(text: str, start: int, end: int) -> tuple[int, int]:
    """A date's span widened to the time of day written beside it: a stamp "01/22/2020
    08:21:04 PM" is one date, and in pixels one box, not a date with its time left showing."""
    after = _TIME_AFTER.match(text, end)
    if after is not None:
        end = after.end()
    before = _TIME_BEFORE.search(text[max(0, start - 24):start])
    if before is not None:
        start -= len(before.group(0))
    return start, end


class DateRecognizer(Recognizer):
    """pattern.date: full calendar dates in any common format (HIPAA: all elements of
    dates except the year). Bare 8-digit dates (19610314) score lower, since IDs and
    version strings look like them; month-and-year alone scores lower still."""

    rule = "pattern.date"
    phi_type = "DATE"
    base_score = 0.85
    bare_digits_score = 0.6
    month_year_score = 0.5

    def find(self, text: str, identity=None) -> Iterator[Span]:
        if not any(ch.isdigit() for ch in text):
            return
        dates = find_dates(text)
        for found in dates:
            start, end = _with_time_of_day(text, found.start, found.end)
            # eight digits and no time part: could be a code
            bare = found.fmt == "dicom" and found.end - found.start == 8 and (start, end) == (found.start, found.end)
            score = self.bare_digits_score if bare else self.base_score
            yield Span(start, end, self.phi_type, score, self.rule)
        for match in _MONTH_YEAR.finditer(text):
            if not any(d.start <= match.start() < d.end for d in dates):
                yield Span(match.start(), match.end(), self.phi_type, self.month_year_score, self.rule)

