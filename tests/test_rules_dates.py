"""pattern.date: calendar dates in every common written form, validated on the calendar."""

from __future__ import annotations

from datetime import date

import pytest

from phidetect.text.dates import DateRecognizer, find_dates
from phidetect.text.merge import merge_spans
from phidetect.text.recognizer import Registry
from phidetect.text.registry import default_registry
from phidetect.text.spans import Span

DOB = date(1961, 3, 14)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return default_registry()


def merged(registry: Registry, text: str) -> list[Span]:
    """Every rule's spans on ``text`` as free text, merged the way findings are."""
    return merge_spans(registry.analyze(text, "free"), text)


def date_texts(registry: Registry, text: str) -> list[str]:
    """The text of each merged DATE span."""
    return [text[s.start:s.end] for s in merged(registry, text) if s.phi_type == "DATE"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Study date 19610314", "19610314"),                                  # DICOM DA
    ("Acquired 19610314093000.000+0100 on scanner", "19610314093000.000+0100"),  # DICOM DT
    ("19610314093000", "19610314093000"),                                 # DT without fraction
    ("DOB 03/14/1961", "03/14/1961"),
    ("DOB 3/14/1961.", "3/14/1961"),
    ("DOB 14.03.1961", "14.03.1961"),
    ("Geb. 14/03/1961", "14/03/1961"),
    ("DOB 1961-03-14", "1961-03-14"),
    ("exam 1961/03/14", "1961/03/14"),
    ("born March 14, 1961 in Ohio", "March 14, 1961"),
    ("born Mar. 14th, 1961", "Mar. 14th, 1961"),
    ("seen 14-MAR-1961", "14-MAR-1961"),
    ("seen 14 March 1961", "14 March 1961"),
    ("seen 14MAR1961", "14MAR1961"),
    ("DOB 03/14/61", "03/14/61"),
    ("DOB 14-Mar-61", "14-Mar-61"),
    ("Exam 1961-03-14T09:30:00 done", "1961-03-14T09:30:00"),
])
def test_date_formats_found_with_exact_span(registry: Registry, text: str, expected: str) -> None:
    """Each written form gives one DATE span, exactly the date, from pattern.date."""
    spans = [s for s in merged(registry, text) if s.phi_type == "DATE"]
    assert [text[s.start:s.end] for s in spans] == [expected]
    assert "pattern.date" in spans[0].rules
    assert spans[0].score >= 0.5


@pytest.mark.parametrize("text", [
    "19610314", "19610314093000", "03/14/1961", "14.03.1961", "1961-03-14",
    "March 14, 1961", "14-MAR-1961", "14 March 1961", "14MAR1961", "Mar 14th 1961", "3/14/61",
])
def test_date_value_is_parsed(text: str) -> None:
    """The calendar value is read, not just the shape: all are 14 March 1961."""
    found = find_dates(text)
    assert [f.value for f in found] == [DOB]
    assert (found[0].start, found[0].end) == (0, len(text))


@pytest.mark.parametrize(("text", "value"), [
    ("03/04/1961", date(1961, 3, 4)),    # both orders valid: US month/day first
    ("14/03/1961", date(1961, 3, 14)),   # only day/month valid
    ("2000-02-29", date(2000, 2, 29)),   # leap year
    ("29.02.2024", date(2024, 2, 29)),
    ("01-05-30", date(2030, 1, 5)),      # two-digit year <= 30: 20xx
    ("01-05-31", date(1931, 1, 5)),      # two-digit year > 30: 19xx
])
def test_date_numeric_order_and_century(text: str, value: date) -> None:
    """Ambiguous numeric dates prefer month/day; two-digit years pick the nearer century."""
    assert [f.value for f in find_dates(text)] == [value]


def test_date_scores_follow_docs() -> None:
    """Written dates 0.85; a bare 8-digit date (could be a code) 0.6; month-year alone 0.5."""
    rec = DateRecognizer()
    assert [s.score for s in rec.analyze("DOB 03/14/1961")] == [0.85]
    assert [s.score for s in rec.analyze("scanned 19610314093000 here")] == [0.85]
    assert [s.score for s in rec.analyze("Study date 19610314")] == [0.6]
    month_year = rec.analyze("Last seen March 1961")
    assert [(s.start, s.end, s.score) for s in month_year] == [(10, 20, 0.5)]


def test_month_year_not_reported_twice() -> None:
    """'March 14, 1961' is one full date, not also a month-and-year span."""
    text = "born March 14, 1961"
    spans = DateRecognizer().analyze(text)
    assert [text[s.start:s.end] for s in spans] == ["March 14, 1961"]


def test_two_dates_in_one_value() -> None:
    """Every date in a value is found, in order."""
    text = "DOB 03/14/1961; exam 2019-07-02; prior 02-JAN-2018"
    assert date_texts(default_registry(), text) == ["03/14/1961", "2019-07-02", "02-JAN-2018"]


@pytest.mark.parametrize("text", [
    "scan 31/02/2001",        # 31 February
    "scan 02/30/2001",        # 30 February, US order
    "scan 30.02.2001",
    "scan 2001-02-29",        # not a leap year
    "scan 1900-02-29",        # 1900 is not a leap year
    "scan 20010230",          # DICOM DA, 30 February
    "scan 20011301",          # month 13
    "scan 1961-13-01",
    "scan 32.01.1961",
    "scan 13/13/1961",        # neither order valid
    "seen 30-FEB-1961",
    "seen February 30, 1961",
    "seen 31 April 1961",
    "year 1899-01-01",        # before 1900
    "year 21000101",          # after 2099
    "scan 00/00/0000",
])
def test_invalid_calendar_dates_are_not_dates(registry: Registry, text: str) -> None:
    """Candidates that are not real calendar dates give no full-date span: at most the
    month-and-year fallback (0.5) remains, and never with the impossible day."""
    assert find_dates(text) == []
    for span in merged(registry, text):
        assert span.phi_type != "DATE" or span.score <= 0.5, text[span.start:span.end]
        assert not text[span.start:span.end][:2].isdigit() or span.phi_type != "DATE"


@pytest.mark.parametrize("text", [
    "V7.4.0017",
    "Software version syngo MR E11 VE11C 7.4.0017",
    "1.2.840.10008.5.1.4.1.1.2",
    "UID 1.3.12.2.1107.5.1.4.20190314093000",
    "1.2.840.113619.2.55.3.2831164355.19610314",
    "kVp 120",
    "W:400 L:40",
    "5.0mm",
    "18Hz",
    "MI 0.9",
    "TI 0.7",
    "DR-ID 300CL",
    "CT HEAD WO CONTRAST",
    "L4-L5 disc",
    "Gleason 3+4=7",
    "Slice 1.25 mm, pitch 0.984:1",
    "DLP 512.3 mGy*cm",
    "T2 TSE 3.0T 12/24 channel coil",
    "May cause artifact",
    "Series 3 Image 14 of 120",
])
def test_date_look_alikes_are_not_dates(registry: Registry, text: str) -> None:
    """Versions, UIDs, technique numbers and protocol words give no DATE span."""
    assert date_texts(registry, text) == []


def test_date_recognizer_skips_text_without_digits() -> None:
    """'March' alone, with no number, is not a date."""
    assert DateRecognizer().analyze("March of the penguins protocol") == []


@pytest.mark.parametrize("text, stamp", [
    ("20.08.2021 11:03:23 AM", "20.08.2021 11:03:23 AM"),
    ("Acq 01/22/2020 08:21:04 PM LAO 30", "01/22/2020 08:21:04 PM"),
    ("11:03:23 20.08.2021", "11:03:23 20.08.2021"),
    ("Seen on 12 March 2020 at 14:05.", "12 March 2020 at 14:05"),
    ("12/02/2008, 9:05 a.m. portable", "12/02/2008, 9:05 a.m."),
    ("Scan 2019-03-04 10:15", "2019-03-04 10:15"),
])
def test_a_date_and_its_time_of_day_are_one_span(registry: Registry, text: str, stamp: str) -> None:
    """A device stamp is one DATE (in pixels: one box), not a date with the time beside it left."""
    assert date_texts(registry, text) == [stamp]


@pytest.mark.parametrize("text", ["kVp 120 10:30", "TR 500 TE 15 12:30", "Phase 2 of 3 at 10:45"])
def test_a_time_without_a_date_is_not_a_date(registry: Registry, text: str) -> None:
    assert date_texts(registry, text) == []


def test_an_impossible_time_stays_outside_the_date(registry: Registry) -> None:
    assert date_texts(registry, "03/14/1961 12:61") == ["03/14/1961"]
