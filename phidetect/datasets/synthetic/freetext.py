"""Free text with PHI inside it, and the exact character span of every planted piece.

Text is built piece by piece, so a span is known when it is written, never searched
for afterwards (a search would find the wrong "Lee" in "Lee, Lee").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from phidetect.datasets.synthetic.identity import Identity
from phidetect.datasets.synthetic.lookalikes import CLINICAL, DESCRIPTIONS, EPONYMS, SERIES, TECHNICAL

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def format_date(day: date, style: int) -> str:
    """A date as people write it. Month names are spelled here, not by strftime, whose
    output depends on the process locale."""
    month = MONTHS[day.month - 1]
    return (f"{day.month:02d}/{day.day:02d}/{day.year}", f"{day.day:02d}.{day.month:02d}.{day.year}",
            f"{month} {day.day}, {day.year}", f"{day.year}-{day.month:02d}-{day.day:02d}",
            f"{day.day:02d}-{month[:3]}-{day.year}", f"{day.day} {month} {day.year}",
            f"{day.year}{day.month:02d}{day.day:02d}", f"{day.month}/{day.day}/{day.year % 100:02d}")[style % 8]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    phi_type: str
    required: bool = True


@dataclass
class Composer:
    """Concatenates pieces; PHI pieces remember where they went."""

    parts: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    size: int = 0

    def add(self, text: str, phi_type: str | None = None, required: bool = True) -> Composer:
        if phi_type is not None and text:
            self.spans.append(Span(self.size, self.size + len(text), text, phi_type, required))
        self.parts.append(text)
        self.size += len(text)
        return self

    @property
    def value(self) -> str:
        return "".join(self.parts)


def _pick(rng: np.random.Generator, options) -> str:
    return options[int(rng.integers(0, len(options)))]


def _age_piece(c: Composer, age: int) -> None:
    """Ages over 89 are PHI (HIPAA); younger ones are listed as not required."""
    c.add(f"{age}", "AGE", required=age > 89).add(" y/o")


def study_description(who: Identity, modality: str, rng: np.random.Generator) -> Composer:
    """LO (64 chars): a procedure, sometimes with a name, date or eponym after it."""
    c = Composer().add(_pick(rng, DESCRIPTIONS[modality]))
    roll = rng.random()
    if roll < 0.3:
        c.add(" - ").add(who.patient.spoken(int(rng.integers(0, 6))), "NAME")
    elif roll < 0.5:
        c.add(" ").add(format_date(who.study, int(rng.integers(0, 8))), "DATE")
    elif roll < 0.7:
        c.add(" ").add(_pick(rng, EPONYMS))
    return c


def series_description(who: Identity, modality: str, rng: np.random.Generator) -> Composer:
    """LO: a series label with a technical look-alike, sometimes an MRN or initials."""
    c = Composer().add(_pick(rng, SERIES[modality]))
    roll = rng.random()
    if roll < 0.25:
        c.add(" MRN ").add(who.patient_id, "ID")
    elif roll < 0.6:
        c.add(" ").add(_pick(rng, TECHNICAL))
    return c


def requested_procedure(who: Identity, modality: str, rng: np.random.Generator) -> Composer:
    """LO: the order as the RIS wrote it, sometimes with the patient's surname."""
    c = Composer().add(_pick(rng, DESCRIPTIONS[modality]))
    if rng.random() < 0.5:
        c.add(" ").add(_pick(rng, EPONYMS))
    if rng.random() < 0.4:
        c.add(" pt ").add(who.patient.family.upper(), "NAME")
    return c


def image_comments(who: Identity, rng: np.random.Generator) -> Composer:
    """LT: a technologist's note mixing PHI, clinical words and technical strings."""
    c = Composer()
    style = int(rng.integers(0, 4))
    if style == 0:
        c.add("Pt ").add(who.patient.spoken(int(rng.integers(0, 6))), "NAME")
        c.add(" (MRN ").add(who.patient_id, "ID").add(") scanned ")
        c.add(format_date(who.study, int(rng.integers(0, 8))), "DATE").add(". ")
    elif style == 1:
        c.add("Tech: ").add(who.operator.spoken(4), "NAME").add(". ")
    elif style == 2:
        c.add("Prior exam ").add(format_date(who.study.replace(year=who.study.year - 1, day=min(who.study.day, 28)),
                                             int(rng.integers(0, 8))), "DATE").add(" at ")
        c.add(who.institution, "INSTITUTION").add(". ")
    else:
        _age_piece(c, who.age)
        c.add(" ").add("male" if who.sex == "M" else "female").add(", ")
    c.add(_pick(rng, CLINICAL)).add("; ").add(_pick(rng, EPONYMS)).add(". ").add(_pick(rng, TECHNICAL))
    return c


def patient_history(who: Identity, rng: np.random.Generator) -> Composer:
    """LT: history from the order, with the referrer, a phone number or an e-mail."""
    c = Composer().add(_pick(rng, CLINICAL).capitalize()).add(", h/o ").add(_pick(rng, EPONYMS)).add(". ")
    c.add("Referred by Dr. ").add(who.referring.family, "NAME").add(" on ")
    c.add(format_date(who.study, int(rng.integers(0, 8))), "DATE").add(". ")
    if rng.random() < 0.6:
        c.add("Call ").add(who.phone, "PHONE").add(" with results. ")
    if rng.random() < 0.4:
        c.add("Portal: ").add(who.email, "EMAIL").add(". ")
    if rng.random() < 0.4:
        c.add("DOB ").add(format_date(who.birth, int(rng.integers(0, 8))), "DATE").add(". ")
    c.add(_pick(rng, TECHNICAL))
    return c


def patient_comments(who: Identity, rng: np.random.Generator) -> Composer:
    """LT: contact details as a registration clerk types them."""
    c = Composer().add("Contact: ").add(who.email, "EMAIL").add(", ").add(who.phone, "PHONE")
    if rng.random() < 0.5:
        c.add(". Address: ").add(who.address, "ADDRESS")
    c.add(". Mother: ").add(who.mother_family, "NAME")
    return c


def private_note(who: Identity, rng: np.random.Generator) -> Composer:
    """LT for a private element: what a PACS or RIS keeps for itself."""
    c = Composer().add("Created by ").add(who.operator.spoken(int(rng.integers(0, 6))), "NAME")
    c.add(" at ").add(who.institution, "INSTITUTION").add("; patient ").add(who.patient_id, "ID")
    c.add("; ").add(_pick(rng, EPONYMS))
    return c


def fit(make, limit: int, rng: np.random.Generator, *args) -> Composer:
    """The first composition (of up to eight tries) within ``limit`` characters: LO is 64."""
    for _ in range(8):
        composed = make(*args, rng)
        if len(composed.value) <= limit:
            return composed
    return Composer().add(composed.parts[0][:limit])
