"""Identifiers of each region: national IDs, phone numbers, record numbers, dates, addresses.

National IDs come from Faker where it has them, else from random digits; either way the
check digit is made right by trying candidates against python-stdnum's ``is_valid`` (no
checksum is written here). Countries whose ID has no public check (Nigeria's NIN, Viet
Nam's CCCD, Bangladesh's NID, Nepal's citizenship number, the Philippines' SSS number)
get the documented shape only and say so (``NationalId.checked`` is False). Phone numbers
are random national numbers that ``phonenumbers.is_valid_number`` accepts, written in the
INTERNATIONAL format.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from faker import Faker
from stdnum.id import nik
from stdnum.ie import pps
from stdnum.in_ import aadhaar
from stdnum.ke import pin
from stdnum.pk import cnic
from stdnum.tr import tckimlik
from stdnum.us import ssn
from stdnum.za import idnr

from world.people import Region


@dataclass(frozen=True)
class NationalId:
    """A national identifier: what it is called (``label`` is the cue a clerk writes before
    it), its written ``value``, and whether python-stdnum validated it."""

    kind: str  # e.g. "IN Aadhaar"
    label: str
    value: str
    checked: bool


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


def _fix_last(body: str, candidates: str, valid: Callable[[str], bool]) -> str | None:
    """``body`` + the first candidate character that ``valid`` accepts, or None."""
    for char in candidates:
        if valid(body + char):
            return body + char
    return None


def _until_valid(make: Callable[[], str], valid: Callable[[str], bool], tries: int = 5000) -> str:
    """Draw with ``make`` until ``valid`` accepts one (the candidates are stdnum's to judge)."""
    for _ in range(tries):
        value = make()
        if valid(value):
            return value
    raise RuntimeError("no valid identifier drawn")


def national_id(region: Region, fake: Faker, rng: random.Random, birth: dt.date, female: bool) -> NationalId:
    """One national identifier for a person of ``region`` born on ``birth``."""
    code = region.code
    if code == "US":
        value = _until_valid(fake.ssn, ssn.is_valid)
        return NationalId("US SSN", rng.choice(["SSN", "SS#", "Social Security No."]), value, True)
    if code == "IN":
        def make_in() -> str:  # Faker's aadhaar_id often fails Verhoeff: keep its first 11 digits
            body = fake.aadhaar_id()[:11]
            return _fix_last(body, string.digits, aadhaar.is_valid) or "0"
        value = aadhaar.format(_until_valid(make_in, aadhaar.is_valid))
        return NationalId("IN Aadhaar", rng.choice(["Aadhaar", "Aadhaar no.", "UID"]), value, True)
    if code == "TR":
        value = _until_valid(fake.ssn, tckimlik.is_valid)
        return NationalId("TR T.C. Kimlik", rng.choice(["TC Kimlik No", "T.C. No", "TCKN"]), value, True)
    if code == "IE":
        def make_ie() -> str:
            return _fix_last(_digits(rng, 7), "ABCDEFGHIJKLMNOPQRSTUVW", pps.is_valid) or "0"
        value = _until_valid(make_ie, pps.is_valid)
        return NationalId("IE PPSN", rng.choice(["PPSN", "PPS No.", "PPS"]), value, True)
    if code == "ZA":
        def make_za() -> str:
            gender = rng.randint(0, 4999) + (0 if female else 5000)
            body = f"{birth:%y%m%d}{gender:04d}08"
            return _fix_last(body, string.digits, idnr.is_valid) or "0"
        value = _until_valid(make_za, idnr.is_valid)
        return NationalId("ZA ID number", rng.choice(["ID no.", "SA ID", "RSA ID"]), value, True)
    if code == "PK":
        value = cnic.format(_until_valid(lambda: str(rng.randint(1, 7)) + _digits(rng, 12), cnic.is_valid))
        return NationalId("PK CNIC", rng.choice(["CNIC", "CNIC no.", "NIC"]), value, True)
    if code == "KE":
        value = _until_valid(lambda: rng.choice("AP") + _digits(rng, 9) + rng.choice(string.ascii_uppercase),
                             pin.is_valid)
        return NationalId("KE KRA PIN", rng.choice(["KRA PIN", "PIN"]), value, True)
    if code == "ID":
        def make_id() -> str:
            day = birth.day + (40 if female else 0)
            return f"{rng.randint(110000, 949999)}{day:02d}{birth:%m%y}{rng.randint(1, 9999):04d}"
        value = _until_valid(make_id, nik.is_valid)
        return NationalId("ID NIK", rng.choice(["NIK", "No. KTP", "NIK:"]), value, True)
    if code == "NG":  # the NIN is 11 digits with no public check digit
        value = str(rng.randint(1, 9)) + _digits(rng, 10)
        return NationalId("NG NIN (shape only)", rng.choice(["NIN", "NIN no.", "National ID"]), value, False)
    if code == "VN":  # CCCD: province code, century/sex digit, year, six digits; no check digit
        century = (0 if birth.year < 2000 else 2) + (1 if female else 0)
        value = f"{rng.randint(1, 96):03d}{century}{birth:%y}{_digits(rng, 6)}"
        return NationalId("VN CCCD (shape only)", rng.choice(["CCCD", "Số CCCD", "CMND/CCCD"]), value, False)
    if code == "PH":
        return NationalId("PH SSS (shape only)", rng.choice(["SSS No.", "SSS"]), fake_ph_sss(rng), False)
    if code == "BD":  # NID: 10 digits (smart card) or 17 (old: birth year first)
        value = _digits(rng, 10) if rng.random() < 0.6 else f"{birth.year}{_digits(rng, 13)}"
        return NationalId("BD NID (shape only)", rng.choice(["NID", "NID no.", "National ID"]), value, False)
    if code == "NP":  # citizenship certificate: district-office-year-serial
        value = f"{rng.randint(1, 77):02d}-{rng.randint(1, 5):02d}-{rng.randint(40, 80):02d}-{_digits(rng, 5)}"
        return NationalId("NP citizenship (shape only)", rng.choice(["Citizenship No.", "Nagarikta No."]), value, False)
    raise ValueError(code)


def fake_ph_sss(rng: random.Random) -> str:
    """An SSS number in its written shape NN-NNNNNNN-N (Faker's en_PH ``sss`` shape)."""
    return f"{_digits(rng, 2)}-{_digits(rng, 7)}-{_digits(rng, 1)}"


def phone(region: Region, rng: random.Random) -> str:
    """A valid phone number of ``region`` (mobile or fixed line), INTERNATIONAL format."""
    kind = rng.choice([phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE])
    example = phonenumbers.example_number_for_type(region.code, kind)
    national = phonenumbers.national_significant_number(example)
    for _ in range(2000):
        keep = rng.randint(1, 3)
        candidate = national[:keep] + _digits(rng, len(national) - keep)
        number = phonenumbers.parse(candidate, region.code)
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def record_number(rng: random.Random) -> tuple[str, str]:
    """An institution-prefixed record number and its shape: ``ABC/56828/14``, ``XYZ-897268``..."""
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(2, 5)))
    other = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(2, 3)))
    shapes = {
        "P/n/yy": f"{letters}/{_digits(rng, 5)}/{rng.randint(0, 24):02d}",
        "P-n": f"{letters}-{_digits(rng, 6)}",
        "P/yyyy/n": f"{letters}/{rng.randint(2005, 2024)}/{_digits(rng, 6)}",
        "P-Q-n": f"{letters}-{other}-{_digits(rng, 7)}",
        "Pn": f"{letters}{_digits(rng, 8)}",
        "P.n.n": f"{letters}.{_digits(rng, 3)}.{_digits(rng, 4)}",
    }
    shape = rng.choice(sorted(shapes))
    return shape, shapes[shape]


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _short_month(month: int, rng: random.Random) -> str:
    """Three letters, or four where people write four (Sept, June, July)."""
    name = MONTHS[month - 1]
    if month in (6, 7, 9) and rng.random() < 0.5:
        return name[:4]
    return name[:3]


DATE_SHAPES: dict[str, Callable[[dt.date, random.Random], str]] = {
    "Mon-DD-YY": lambda d, r: f"{MONTHS[d.month - 1][:3]}-{d.day:02d}-{d:%y}",
    "Dth of Month YYYY": lambda d, r: f"{_ordinal(d.day)} of {MONTHS[d.month - 1]} {d.year}",
    "D Mon YYYY": lambda d, r: f"{d.day} {_short_month(d.month, r)} {d.year}",
    "DD.MM.YYYY": lambda d, r: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "DD/MM/YY": lambda d, r: f"{d.day:02d}/{d.month:02d}/{d:%y}",
    "YYYY.MM.DD": lambda d, r: f"{d.year}.{d.month:02d}.{d.day:02d}",
    "Month Dth, YYYY": lambda d, r: f"{MONTHS[d.month - 1]} {_ordinal(d.day)}, {d.year}",
    "DD-MON-YYYY": lambda d, r: f"{d.day:02d}-{MONTHS[d.month - 1][:3].upper()}-{d.year}",
    "D/M/YYYY": lambda d, r: f"{d.day}/{d.month}/{d.year}",
    "D Mon 'YY": lambda d, r: f"{d.day} {MONTHS[d.month - 1][:3]} '{d:%y}",
    "YYYYMMDD": lambda d, r: f"{d:%Y%m%d}",
}


def date_text(day: dt.date, rng: random.Random) -> tuple[str, str]:
    """(shape, text): ``day`` written in one of ``DATE_SHAPES``."""
    shape = rng.choice(sorted(DATE_SHAPES))
    return shape, DATE_SHAPES[shape](day, rng)


def random_day(rng: random.Random, first: int, last: int) -> dt.date:
    """A day between 1 January of ``first`` and 31 December of ``last``."""
    start = dt.date(first, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(last, 12, 31).toordinal()))


def address(region: Region, fake: Faker) -> str:
    """One line of a local address from Faker's locale (street only where Faker's provider
    for the locale is the generic US-shaped one, which would add a US state and ZIP)."""
    text = fake.street_address() if region.address_fallback else fake.address()
    while any(word in text for word in ("FPO", "APO", "DPO", "USNS", "USNV", "USS ", "USCGC", "PSC ")):
        text = fake.address()  # en_US military mail: not a street address
    return ", ".join(part.strip() for part in text.replace("\n", ", ").split(",") if part.strip())
