"""Writing the set: header-only DICOM files per region, a look-alike corpus, and the truth.

Each region file has a header patient and referring physician of its region and free-text
elements (the ones below, one private) whose sentences name other people and hold the
region's identifiers, with medical look-alikes among them. Look-alike files hold only
PHI-free values. ``build_set`` returns the truth rows (``phidetect.TRUTH_COLUMNS`` plus
this benchmark's columns), every free-text value, and which values are look-alike values.
"""

from __future__ import annotations

import math
import random
import string
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from world import identifiers as ids
from world import templates as tpl
from world.compose import Builder, Piece
from world.people import REGIONS, Region, make_person

SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
PRIVATE_GROUP, PRIVATE_CREATOR, PRIVATE_OFFSET = 0x0011, "HOSPITAL NOTES", 0x10

#: (tag_path, keyword, VR, longest value) of the free-text elements written; the private one
#: is the first element of the "HOSPITAL NOTES" block in group 0011.
FREE_TEXT = [
    ("(0010,21B0)", "AdditionalPatientHistory", "LT", 10240),
    ("(0032,4000)", "StudyComments", "LT", 10240),
    ("(0040,1400)", "RequestedProcedureComments", "LT", 10240),
    ("(0020,4000)", "ImageComments", "LT", 10240),
    ("(0010,4000)", "PatientComments", "LT", 10240),
    ("(0011,1010)", "", "LT", 10240),
    ("(0008,1030)", "StudyDescription", "LO", 64),
]
FREE_TEXT_PATHS = {path for path, *_ in FREE_TEXT}
UPPER_SHARE = 0.25  # share of values written in ALL CAPS
IDENTIFIER_KINDS = ["record", "national_id", "phone", "date", "date", "address"]


@dataclass
class BuiltSet:
    """What ``build_set`` wrote: truth rows, every free-text value, and counts."""

    truth: list[dict] = field(default_factory=list)
    lookalikes: list[dict] = field(default_factory=list)  # planted look-alikes in region files (not PHI)
    values: dict[tuple[str, str], str] = field(default_factory=dict)  # (file, tag_path) -> value
    lookalike_values: list[tuple[str, str]] = field(default_factory=list)  # keys of the PHI-free corpus
    files: int = 0


def _uid(seed: int, *parts: str) -> str:
    return generate_uid(entropy_srcs=[str(seed), *parts])


def new_dataset(seed: int, file: str) -> Dataset:
    """An empty header-only data set with its file meta and identity UIDs."""
    sop = _uid(seed, file, "sop")
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SECONDARY_CAPTURE
    meta.MediaStorageSOPInstanceUID = sop
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.SOPClassUID = SECONDARY_CAPTURE
    ds.SOPInstanceUID = sop
    ds.StudyInstanceUID = _uid(seed, file, "study")
    ds.SeriesInstanceUID = _uid(seed, file, "series")
    ds.Modality = "OT"
    return ds


def _set_text(ds: Dataset, tag_path: str, keyword: str, vr: str, value: str) -> None:
    if keyword:
        setattr(ds, keyword, value)
    else:
        block = ds.private_block(PRIVATE_GROUP, PRIVATE_CREATOR, create=True)
        block.add_new(PRIVATE_OFFSET, vr, value)


def _write(ds: Dataset, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pydicom.dcmwrite(path, ds, enforce_file_format=True)


def _short(make: list[str], ctx: tpl.FileContext, limit: int) -> Builder:
    """A short template rendered within ``limit`` characters (LO values)."""
    for _ in range(50):
        out = tpl.render(ctx.rng.choice(make), ctx)
        if len(out.plain()) <= limit:
            return out
    return tpl.render("{modality}", ctx)


def _region_values(ctx: tpl.FileContext) -> dict[str, Builder]:
    """The free-text values of one region file, by tag_path."""
    rng = ctx.rng
    long_paths = [path for path, _, _, limit in FREE_TEXT if limit > 64]
    sentences: dict[str, list[Builder]] = {path: [tpl.render(rng.choice(tpl.NAME_TEMPLATES), ctx)]
                                           for path in long_paths}
    for kind in IDENTIFIER_KINDS:
        sentences[rng.choice(long_paths)].append(tpl.render(rng.choice(tpl.IDENTIFIER_TEMPLATES[kind]), ctx))
    for path in long_paths:
        for _ in range(rng.choice([0, 1, 1, 2])):
            sentences[path].append(tpl.render(rng.choice(tpl.LOOKALIKE_TEMPLATES), ctx))
    values: dict[str, Builder] = {}
    for path in long_paths:
        parts = sentences[path]
        rng.shuffle(parts)
        value = Builder()
        for part in parts:
            value.extend(part, rng.choice([" ", " ", "; ", " | "]))
        values[path] = value
    short = tpl.SHORT_NAME_TEMPLATES if rng.random() < 0.5 else tpl.SHORT_LOOKALIKE_TEMPLATES
    values["(0008,1030)"] = _short(short, ctx, 64)
    return values


def _lookalike_values(ctx: tpl.FileContext) -> dict[str, Builder]:
    """PHI-free values for one look-alike file, by tag_path."""
    values: dict[str, Builder] = {}
    for path, _, _, limit in FREE_TEXT:
        if limit <= 64:
            values[path] = _short(tpl.SHORT_LOOKALIKE_TEMPLATES, ctx, limit)
            continue
        value = Builder()
        for _ in range(ctx.rng.choice([1, 1, 2, 3])):
            value.extend(tpl.render(ctx.rng.choice(tpl.LOOKALIKE_TEMPLATES), ctx))
        values[path] = value
    return values


def _header(ds: Dataset, ctx: tpl.FileContext) -> None:
    """The region patient's identity in the header."""
    rng = ctx.rng
    ds.PatientName = ctx.patient.dicom()
    ds.PatientID = "".join(rng.choice(string.ascii_uppercase) for _ in range(2)) + str(rng.randint(10**5, 10**7))
    ds.PatientBirthDate = f"{ctx.patient_birth:%Y%m%d}"
    ds.PatientSex = "F" if ctx.patient_female else "M"
    ds.ReferringPhysicianName = ctx.referrer.dicom()
    ds.AccessionNumber = str(rng.randint(10**7, 10**9))
    ds.StudyDate = f"{ids.random_day(rng, 2015, 2024):%Y%m%d}"


def _context(region: Region, seed: int, file: str) -> tpl.FileContext:
    rng = random.Random(zlib.crc32(f"{seed}:{file}".encode()))
    patient = make_person(region, rng, seed)
    referrer = make_person(region, rng, seed)
    return tpl.FileContext(region, rng, seed, patient, referrer, ids.random_day(rng, 1935, 2015),
                           rng.random() < 0.5)


def _record(built: BuiltSet, file: str, region: Region, values: dict[str, Builder], rng: random.Random,
            ds: Dataset, lookalike_file: bool) -> None:
    """Render the values into ``ds`` and the truth/look-alike tables."""
    for path, keyword, vr, _ in FREE_TEXT:
        value, pieces = values[path].render(upper=rng.random() < UPPER_SHARE)
        _set_text(ds, path, keyword, vr, value)
        built.values[(file, path)] = value
        if lookalike_file:
            built.lookalike_values.append((file, path))
        for piece in pieces:
            row = _row(file, path, keyword, region, piece)
            (built.truth if piece.phi_type else built.lookalikes).append(row)


def _row(file: str, path: str, keyword: str, region: Region, piece: Piece) -> dict:
    return {"file": file, "source": "tag", "tag_path": path, "keyword": keyword, "phi_type": piece.phi_type,
            "text": piece.text, "start": piece.start, "end": piece.end, "required": True,
            "region": region.code, "latin": region.latin, "kind": piece.kind, "detail": piece.detail,
            "in_header": piece.in_header}


def build_set(folder: Path, files_per_region: int, seed: int, lookalike_values: int = 2000,
              regions: list[Region] | None = None) -> BuiltSet:
    """Write the region files and the look-alike corpus under ``folder``."""
    built = BuiltSet()
    for region in regions or REGIONS:
        for index in range(files_per_region):
            file = f"{region.code}/{region.code}_{index:04d}.dcm"
            ctx = _context(region, seed, file)
            ds = new_dataset(seed, file)
            _header(ds, ctx)
            _record(built, file, region, _region_values(ctx), ctx.rng, ds, lookalike_file=False)
            _write(ds, folder / file)
            built.files += 1
    per_file = len(FREE_TEXT)
    for index in range(math.ceil(lookalike_values / per_file)):
        file = f"LA/LA_{index:04d}.dcm"
        region = REGIONS[index % len(REGIONS)]
        ctx = _context(region, seed, file)
        ds = new_dataset(seed, file)
        ds.PatientID = f"LA{index:05d}"  # no name: a header name could cross-reference a look-alike word
        _record(built, file, region, _lookalike_values(ctx), ctx.rng, ds, lookalike_file=True)
        _write(ds, folder / file)
        built.files += 1
    return built
