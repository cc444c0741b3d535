"""What is burned into a file's pixels: which lines, in which corner, in what style.

Layouts follow what scanners do: patient block top left, site and date top right,
settings at the bottom, orientation markers at the sides; ultrasound puts a banner on
top; screen captures put the name across the top. PHI lines and look-alike lines are
drawn the same way; only the PHI pieces get truth rows.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from phidetect.datasets.synthetic.burn import Piece
from phidetect.datasets.synthetic.freetext import format_date
from phidetect.datasets.synthetic.identity import Identity
from phidetect.datasets.synthetic.kinds import JPEG, Kind
from phidetect.datasets.synthetic.lookalikes import LABELS, MARKERS, TECHNICAL

Line = tuple[str, list[Piece]]
COLOURS = ((1.0, 1.0, 1.0), (1.0, 1.0, 0.2), (0.4, 1.0, 0.4), (0.3, 0.9, 1.0), (1.0, 0.65, 0.1))


def _pick(rng: np.random.Generator, options):
    return options[int(rng.integers(0, len(options)))]


@dataclass(frozen=True)
class Style:
    """Text brightness (0..1) and colour, and the band behind it (None: on the anatomy)."""

    brightness: float
    colour: tuple[float, float, float]
    band: float | None


def pick_style(rng: np.random.Generator) -> Style:
    """Bright on dark mostly; grey; dark on a white band."""
    colour = _pick(rng, COLOURS) if rng.random() < 0.5 else COLOURS[0]
    roll = rng.random()
    if roll < 0.25:
        return Style(float(rng.uniform(0.85, 1.0) if rng.random() < 0.7 else rng.uniform(0.55, 0.7)), colour, 0.0)
    if roll < 0.4:
        return Style(float(rng.uniform(0.0, 0.1)), COLOURS[0], 1.0)
    bright = rng.random() < 0.7
    return Style(float(rng.uniform(0.9, 1.0) if bright else rng.uniform(0.6, 0.75)), colour, None)


def _stamp(who: Identity, style: int) -> str:
    """The study date as a device stamps it: one in three with the time of day beside it
    ("20.08.2021 11:03:23 AM"), chosen from the accession number so that the random draws,
    and every other file of a seed, stay as they were."""
    day = format_date(who.study, style)
    choice = zlib.crc32(who.accession.encode()) % 9
    if choice >= 3:
        return day
    hours, minutes, seconds = int(who.study_time[:2]), int(who.study_time[2:4]), int(who.study_time[4:6])
    twelve = f"{(hours + 11) % 12 + 1:02d}:{minutes:02d}:{seconds:02d} {'AM' if hours < 12 else 'PM'}"
    return (f"{day} {twelve}", f"{day} {hours:02d}:{minutes:02d}", f"{hours:02d}:{minutes:02d}:{seconds:02d} {day}")[choice]


def _phi_lines(who: Identity, rng: np.random.Generator) -> dict[str, Line | list[Piece]]:
    name = who.patient.spoken(_pick(rng, (0, 1, 2, 3, 5)))
    age = who.age
    return {
        "name": [Piece(name, "NAME")],
        "id": [Piece(_pick(rng, LABELS["ID"])), Piece(who.patient_id, "ID")],
        "dob": [Piece(_pick(rng, LABELS["DOB"])), Piece(format_date(who.birth, int(rng.integers(0, 8))), "DATE")],
        "date": [Piece(_pick(rng, LABELS["DATE"])), Piece(_stamp(who, int(rng.integers(0, 8))), "DATE")],
        "acc": [Piece(_pick(rng, LABELS["ACC"])), Piece(who.accession, "ID")],
        "site": [Piece(who.institution, "INSTITUTION")],
        "age": [Piece(f"{age}", "AGE", required=age > 89), Piece(f"Y {who.sex}")],
    }


def plan_lines(who: Identity, kind: Kind, manufacturer: str, rng: np.random.Generator) -> list[Line]:
    """The lines to burn, by region. JPEG files always carry PHI; about one other file
    in eight carries only look-alikes (images without burned PHI exist too)."""
    phi = _phi_lines(who, rng)
    family = kind.family
    if family in ("ct", "mr"):
        wanted = [("tl", "name"), ("tl", "id"), ("tl", _pick(rng, ("dob", "age"))), ("tr", "site"),
                  ("tr", "date"), ("tr", "acc")]
        extra = [("bl", _pick(rng, TECHNICAL)), ("bl", _pick(rng, TECHNICAL)), ("br", _pick(rng, ("W:400 L:40", "5.0mm"))),
                 ("ml", "R"), ("mr", "L"), ("br", manufacturer)]
    elif family == "xr":
        wanted = [("tl", "name"), ("tl", "id"), ("tl", "dob"), ("tr", "date"), ("tr", "acc"), ("bottom", "site")]
        extra = [("mr", _pick(rng, ("L", "R"))), ("br", _pick(rng, ("PA", "AP", "LAT", "CHEST"))),
                 ("bl", _pick(rng, ("kVp 120", "mAs 250", "ERECT", "SUPINE")))]
    elif family == "us":
        wanted = [("top", "site"), ("tl", "name"), ("tl", "id"), ("tl", "date")]
        extra = [("tr", manufacturer), ("tr", _pick(rng, ("C5-1", "18Hz", "2D"))),
                 ("bl", _pick(rng, ("TIS 0.4 MI 0.8", "Gn 60"))), ("br", _pick(rng, ("ABDOMEN", "HEAD")))]
    else:
        wanted = [("top", "banner"), ("bottom", "site"), ("bl", "date"), ("tl", "dob")]
        extra = [("br", manufacturer), ("tr", _pick(rng, ("AXIAL", "CORONAL", "HEAD"))), ("tl", _pick(rng, MARKERS))]
    phi["banner"] = [*phi["name"], Piece("   "), *phi["id"]]
    no_phi = kind.transfer_syntax != JPEG and rng.random() < 0.12
    lines: list[Line] = []
    for index, (region, key) in enumerate(wanted):
        if not no_phi and (index == 0 or rng.random() < 0.75):
            lines.append((region, phi[key]))
    lines += [(region, [Piece(text)]) for region, text in extra if rng.random() < 0.65]
    return lines


def pick_frames(kind: Kind, frames: int, rng: np.random.Generator) -> list[int]:
    """Frames that carry the text: all of them, or (kind "some") a sorted random subset."""
    if kind.text_frames == "all" or frames == 1:
        return list(range(frames))
    count = int(rng.integers(1, frames))
    return sorted(int(i) for i in rng.choice(frames, size=count, replace=False))
