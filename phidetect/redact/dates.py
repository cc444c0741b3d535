"""Retain Longitudinal Temporal Information with Modified Dates: one shift per patient.

The shift is a keyed hash of the patient's key (Patient ID with its issuer, else the
name, else the study) so every file of a patient moves by the same number of days and
intervals between studies survive, in every worker and in later runs with the same
secret. Times of day are kept: a time alone dates nothing.
"""

from __future__ import annotations

import datetime as _dt

from pydicom.dataset import Dataset

from phidetect.redact.keys import keyed_digest

#: Shifts are drawn from 1..MAX_SHIFT_DAYS days back.
MAX_SHIFT_DAYS = 3650


def patient_key(ds: Dataset) -> str:
    """What identifies the patient across files, as read from the original header."""
    for keywords in (("PatientID", "IssuerOfPatientID"), ("PatientName", "PatientBirthDate"),
                     ("StudyInstanceUID",)):
        values = [str(ds.get(k, "") or "").strip() for k in keywords]
        if values[0]:
            return keywords[0] + "=" + "|".join(values)
    return ""


def shift_days(secret: bytes, key: str, max_days: int = MAX_SHIFT_DAYS) -> int:
    """Days to add (negative: into the past) for the patient ``key``; never 0."""
    number = int.from_bytes(keyed_digest(secret, "date-shift", key)[:8], "big")
    return -(1 + number % max(1, max_days))


def _shift_da(text: str, days: int) -> str | None:
    """YYYYMMDD (or the ACR-NEMA YYYY.MM.DD) moved by ``days``; None when it is no full date."""
    digits = text.replace(".", "") if len(text) == 10 and text[4] == "." and text[7] == "." else text
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        day = _dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        return (day + _dt.timedelta(days=days)).strftime("%Y%m%d")
    except (ValueError, OverflowError):
        return None


def shift_value(vr: str, value: str, days: int) -> str | None:
    """One DA, DT or TM value moved by ``days``; None when it cannot be (the caller
    empties it rather than keep a date it could not move). Ranges (a-b) move both ends."""
    value = value.strip()
    if not value:
        return value
    if vr == "TM":
        return value
    if "-" in value[1:] and vr == "DA":
        parts = [shift_value(vr, p, days) if p else "" for p in value.split("-")]
        return None if any(p is None for p in parts) else "-".join(parts)  # type: ignore[arg-type]
    if vr == "DA":
        return _shift_da(value, days)
    if vr == "DT":
        moved = _shift_da(value[:8], days)
        return None if moved is None else moved + value[8:]
    return None
