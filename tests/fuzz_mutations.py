"""A seeded mutator over real DICOM files, for the fuzz test (tests/test_fuzz.py) and its
benchmark (benchmarks/bench_fuzz.py): no fuzzing dependency, every file reproducible.

Why our own: the faults that stopped sweeps (issue 13) are structural — a cut inside the file
meta, a VR overwritten, a deflate body spoiled, an RLE header declaring 65535 x 65535 pixels,
sequences nested hundreds deep, a 10 MB text value — and a byte-level fuzzer rarely reaches
most of them. Each family below is one small function ``(rng, seed) -> bytes`` that makes one
such fault on purpose.

Seeds are pydicom's packaged test files (a fixed list of names, read straight from the
package folder: ``get_testdata_files('*')`` would try to download) and header-only copies of
tests/data/pseudo-phi-samples (the ones with planted PHI).

A file is named ``{family}__{source}__{seed}.dcm``; ``mutate(family, seed)`` gives its bytes
again, so a failing file is reproduced with one call::

    from fuzz_mutations import mutate
    Path("x.dcm").write_bytes(mutate("wrong_vr", 7000123))
"""

from __future__ import annotations

import functools
import io
import random
import struct
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pydicom
import pydicom.data
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import (
    DeflatedExplicitVRLittleEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    SecondaryCaptureImageStorage,
)

TESTS = Path(__file__).parent
PSEUDO_PHI = TESTS / "data" / "pseudo-phi-samples"
PYDICOM_FILES = Path(pydicom.data.__file__).parent / "test_files"
CHARSET_FILES = Path(pydicom.data.__file__).parent / "charset_files"

# Header-rich files (several syntaxes, sequences, private tags, character sets, no meta).
HEADER_NAMES = (
    "CT_small.dcm", "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "rtplan.dcm",
    "rtstruct.dcm", "rtdose.dcm", "test-SR.dcm", "reportsi.dcm", "nested_priv_SQ.dcm", "priv_SQ.dcm",
    "UN_sequence.dcm", "no_meta.dcm", "ExplVR_LitEndNoMeta.dcm", "empty_charset_LEI.dcm", "liver_1frame.dcm",
    "meta_missing_tsyntax.dcm", "no_meta_group_length.dcm",
)
# Encapsulated pixel data (JPEG, JPEG-LS, JPEG 2000, RLE): items, offset tables, fragments.
ENCAPSULATED_NAMES = (
    "JPEG-lossy.dcm", "JPGExtended.dcm", "SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_small_odd_jpeg.dcm", "SC_rgb_rle.dcm",
    "SC_rgb_rle_2frame.dcm", "SC_rgb_rle_16bit.dcm", "MR_small_RLE.dcm", "rtdose_rle.dcm",
    "MR_small_jpeg_ls_lossless.dcm", "MR_small_jp2klossless.dcm", "JPEG2000.dcm",
)
# Native pixel data, for cuts inside the pixels and absurd dimensions.
NATIVE_NAMES = ("CT_small.dcm", "MR_small.dcm", "SC_rgb_small_odd.dcm", "rtdose_1frame.dcm", "liver_1frame.dcm")
DEFLATED_NAMES = ("image_dfl.dcm",)
PIXEL_DATA_TAG = b"\xe0\x7f\x10\x00"
ITEM, SEQ_END, ITEM_END = b"\xfe\xff\x00\xe0", b"\xfe\xff\xdd\xe0", b"\xfe\xff\x0d\xe0"
LONG_VRS = (b"OB", b"OW", b"OF", b"OD", b"OL", b"OV", b"SQ", b"UC", b"UN", b"UR", b"UT", b"SV", b"UV")
SHORT_VRS = (b"AE", b"AS", b"AT", b"CS", b"DA", b"DS", b"DT", b"FL", b"FD", b"IS", b"LO", b"LT", b"PN",
             b"SH", b"SL", b"SS", b"ST", b"TM", b"UI", b"UL", b"US")
PHI_WORDS = ("Patient John Smith born 03/14/1961 MRN 4455667 SSN 123-45-6789 lives at 12 Elm Street, "
             "Springfield; phone 555-0142; Dr. Jane Roe, St. Mary Hospital. ")


@dataclass(frozen=True)
class Seed:
    """One real file to mutate: its name, bytes, and where its parts lie (best effort)."""
    name: str
    data: bytes

    @functools.cached_property
    def has_meta(self) -> bool:
        return self.data[128:132] == b"DICM"

    @functools.cached_property
    def meta_end(self) -> int:
        """Offset just past the file meta group (from its group length), or 132."""
        if self.has_meta and self.data[132:138] == b"\x02\x00\x00\x00UL":
            return min(len(self.data), 144 + struct.unpack("<I", self.data[140:144])[0])
        return 132 if self.has_meta else 0

    @functools.cached_property
    def pixel_offset(self) -> int | None:
        """Offset of the last (7FE0,0010) tag, or None."""
        at = self.data.rfind(PIXEL_DATA_TAG)
        return at if at >= 0 else None

    @functools.cached_property
    def element_heads(self) -> list[int]:
        """Offsets that look like explicit-VR element headers (tag, then two VR letters)."""
        data, heads = self.data, []
        known = set(LONG_VRS + SHORT_VRS)
        for at in range(max(self.meta_end - 200, 132 if self.has_meta else 0), len(data) - 12, 2):
            if data[at + 4:at + 6] in known:
                heads.append(at)
        return heads


def _read(folder: Path, names: tuple[str, ...]) -> list[Seed]:
    return [Seed(name, (folder / name).read_bytes()) for name in names if (folder / name).is_file()]


def _header_only(path: Path) -> Seed:
    """A header-sized copy of a large PHI sample: pixels dropped, everything else kept."""
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=False)
    return Seed("hdr_" + path.name, out.getvalue())


@functools.cache
def seeds(kind: str) -> tuple[Seed, ...]:
    """The seed files of one kind: header, encapsulated, native, deflated, phi."""
    if kind == "header":
        charset = tuple(sorted(p.name for p in CHARSET_FILES.glob("chr*.dcm")))
        return tuple(_read(PYDICOM_FILES, HEADER_NAMES) + _read(CHARSET_FILES, charset)) + seeds("phi")
    if kind == "phi":
        return tuple(_header_only(p) for p in sorted(PSEUDO_PHI.glob("*.dcm")))
    if kind == "encapsulated":
        return tuple(_read(PYDICOM_FILES, ENCAPSULATED_NAMES))
    if kind == "native":
        return tuple(_read(PYDICOM_FILES, NATIVE_NAMES))
    if kind == "deflated":
        return tuple(_read(PYDICOM_FILES, DEFLATED_NAMES)) + (_deflated_phi(),)
    raise KeyError(kind)


def _new_dataset(transfer_syntax: str = ExplicitVRLittleEndian) -> FileDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.1"
    meta.TransferSyntaxUID = transfer_syntax
    ds = FileDataset("", Dataset(), file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID, ds.SOPInstanceUID = SecondaryCaptureImageStorage, meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.PatientName, ds.PatientID = "OT", "Fuzzington^Harriet", "FZ-778899"
    return ds


def _save(ds: Dataset) -> bytes:
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=False)
    return out.getvalue()


@functools.cache
def _deflated_phi() -> Seed:
    """A deflated file with PHI in it (image_dfl.dcm has none)."""
    ds = _new_dataset(DeflatedExplicitVRLittleEndian)
    ds.StudyDescription, ds.ReferringPhysicianName = "CT chest for Harriet Fuzzington", "Roe^Jane"
    return Seed("deflated_phi", _save(ds))


def _patch(data: bytes, at: int, new: bytes) -> bytes:
    return data[:at] + new + data[at + len(new):]


def _some_length(rng: random.Random, old: int, size: int) -> int:
    top = (1 << (8 * size)) - 1
    return min(top, rng.choice([0, 1, old + 1, max(old - 1, 0), old * 2 + 3, top, top - 1, rng.randrange(top + 1)]))


# ---- families: (rng) -> bytes ------------------------------------------------------------

def truncate_random(rng: random.Random) -> tuple[str, bytes]:
    seed = rng.choice(seeds("header") + seeds("encapsulated"))
    return seed.name, seed.data[:rng.randrange(1, len(seed.data))]


def truncate_meta(rng: random.Random) -> tuple[str, bytes]:
    seed = rng.choice([s for s in seeds("header") if s.has_meta])
    return seed.name, seed.data[:rng.randrange(128, max(seed.meta_end, 133))]


def truncate_pixels(rng: random.Random) -> tuple[str, bytes]:
    seed = rng.choice([s for s in seeds("native") + seeds("encapsulated") if s.pixel_offset])
    return seed.name, seed.data[:rng.randrange(seed.pixel_offset, len(seed.data))]


def flip_bytes(rng: random.Random) -> tuple[str, bytes]:
    seed = rng.choice(seeds("header"))
    data = bytearray(seed.data)
    for _ in range(rng.randint(1, 24)):
        data[rng.randrange(min(128, len(data) - 1), len(data))] ^= rng.randrange(1, 256)
    return seed.name, bytes(data)


def wrong_length(rng: random.Random) -> tuple[str, bytes]:
    seed = rng.choice([s for s in seeds("header") if s.element_heads])
    data = seed.data
    for _ in range(rng.randint(1, 3)):
        at = rng.choice(seed.element_heads)
        if data[at + 4:at + 6] in LONG_VRS:
            old = struct.unpack("<I", data[at + 8:at + 12])[0]
            data = _patch(data, at + 8, struct.pack("<I", _some_length(rng, old, 4)))
        else:
            old = struct.unpack("<H", data[at + 6:at + 8])[0]
            data = _patch(data, at + 6, struct.pack("<H", _some_length(rng, old, 2)))
    return seed.name, data


def wrong_vr(rng: random.Random) -> tuple[str, bytes]:
    seed = rng.choice([s for s in seeds("header") if s.element_heads])
    heads = seed.element_heads
    at = rng.choice([h for h in heads if h < seed.meta_end] or heads) if rng.random() < 0.3 else rng.choice(heads)
    vr = rng.choice([b"\x55\x00", b"XX", b"\x00\x00", b"\xff\xfe", b"SQ", b"UN", b"OB", b"PN", b"US", b"ox"])
    return seed.name, _patch(seed.data, at + 4, vr)


def broken_meta(rng: random.Random) -> tuple[str, bytes]:
    """Group length or transfer syntax UID garbage."""
    seed = rng.choice([s for s in seeds("header") + seeds("encapsulated") if s.meta_end > 132])
    data = seed.data
    if rng.random() < 0.5 and data[132:138] == b"\x02\x00\x00\x00UL":
        old = struct.unpack("<I", data[140:144])[0]
        new = rng.choice([_some_length(rng, old, 4), old ^ (1 << rng.randrange(32))])
        return seed.name, _patch(data, 140, struct.pack("<I", new))
    at = data.find(b"\x02\x00\x10\x00UI", 132, seed.meta_end)
    if at < 0:
        return seed.name, _patch(data, rng.randrange(132, seed.meta_end), rng.randbytes(4))
    size = struct.unpack("<H", data[at + 6:at + 8])[0]
    garbage = rng.choice([
        rng.randbytes(size), b"9" * size, (b"1.2.840.10008.1.2.4.999" + b"\0" * size)[:size],
        (b"1.2.840.10008.1.2.1.99\0" + b"\0" * size)[:size], b"\0" * size, b"\\" * size])
    return seed.name, _patch(data, at + 8, garbage)


def deflate_corrupt(rng: random.Random) -> tuple[str, bytes]:
    seed = rng.choice(seeds("deflated"))
    data, start = bytearray(seed.data), seed.meta_end
    how = rng.randrange(4)
    if how == 0:  # bytes overwritten in the stream
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(start, len(data))] ^= rng.randrange(1, 256)
    elif how == 1:  # the stream cut short
        del data[rng.randrange(start + 1, len(data)):]
    elif how == 2:  # a run of random bytes
        at = rng.randrange(start, len(data))
        data[at:at + 16] = rng.randbytes(16)
    else:  # a valid stream that inflates to junk
        data[start:] = zlib.compress(rng.randbytes(rng.randint(8, 4000)))[2:-4]
    return seed.name, bytes(data)


def encapsulated_corrupt(rng: random.Random) -> tuple[str, bytes]:
    """Items, offset tables and fragments of JPEG/RLE/J2K pixel data spoiled."""
    seed = rng.choice(seeds("encapsulated"))
    data, start = seed.data, seed.pixel_offset or seed.meta_end
    items = [at for at in range(start, len(data) - 8) if data[at:at + 4] == ITEM]
    if not items:
        return seed.name, data
    at = rng.choice(items)
    how = rng.randrange(6)
    if how == 0:  # item length wrong
        old = struct.unpack("<I", data[at + 4:at + 8])[0]
        return seed.name, _patch(data, at + 4, struct.pack("<I", _some_length(rng, old, 4)))
    if how == 1:  # basic offset table full of garbage offsets
        return seed.name, _patch(data, items[0] + 4, struct.pack("<I", 16) + rng.randbytes(16))
    if how == 2:  # an item tag replaced (the Acuson case: a delimiter where an item belongs)
        return seed.name, _patch(data, at, rng.choice([SEQ_END, ITEM_END, b"\x00\x00\x00\x00", rng.randbytes(4)]))
    if how == 3:  # no sequence delimiter
        end = data.rfind(SEQ_END)
        return seed.name, data[:end] if end > at else data[:-8]
    if how == 4:  # fragment bytes spoiled (RLE header offsets, JPEG markers)
        body = bytearray(data)
        for _ in range(rng.randint(1, 16)):
            body[rng.randrange(at + 8, min(len(body), at + 8 + 128))] ^= rng.randrange(1, 256)
        return seed.name, bytes(body)
    return seed.name, data[:rng.randrange(at, len(data))]


ABSURD = {
    "NumberOfFrames": ("0", "65535", "2147483647", "-1", "abc", "1e9"),
    "Rows": (0, 1, 65535), "Columns": (0, 1, 65535),
    "BitsAllocated": (0, 1, 3, 12, 24, 64, 255, 65535), "BitsStored": (0, 17, 64, 65535),
    "HighBit": (0, 63, 65535), "SamplesPerPixel": (0, 2, 4, 255), "PixelRepresentation": (2, 65535),
    "PlanarConfiguration": (2, 255),
}


def absurd_pixels(rng: random.Random) -> tuple[str, bytes]:
    """Frame counts, bit depths, rows/columns and samples rewritten with pydicom."""
    seed = rng.choice(seeds("native") + seeds("encapsulated"))
    ds = pydicom.dcmread(io.BytesIO(seed.data), force=True)
    garbage = b""
    for keyword in rng.sample(sorted(ABSURD), rng.randint(1, 3)):
        value = rng.choice(ABSURD[keyword])
        if keyword == "NumberOfFrames" and not value.isdigit():  # pydicom refuses to hold it: patched below
            value, garbage = "7777", value.ljust(4).encode()
        setattr(ds, keyword, value)
    ds.PatientName = ds.get("PatientName") or "Fuzzington^Harriet"
    try:
        data = _save(ds)
    except Exception:  # noqa: BLE001 - pydicom refused the value: keep a cruder byte patch
        return seed.name, _patch(seed.data, seed.meta_end, b"\x28\x00\x10\x00US\x02\x00\xff\xff")
    if garbage:
        for head in (b"\x28\x00\x08\x00IS\x04\x00", b"\x28\x00\x08\x00\x04\x00\x00\x00", b"\x00\x28\x00\x08IS\x00\x04"):
            data = data.replace(head + b"7777", head + garbage)
    return seed.name, data


def _element(tag: tuple[int, int], vr: bytes, value: bytes) -> bytes:
    return struct.pack("<HH", *tag) + vr + struct.pack("<H", len(value)) + value


def _meta_bytes(transfer_syntax: str = ExplicitVRLittleEndian) -> bytes:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.2"
    meta.TransferSyntaxUID = transfer_syntax
    return _save(FileDataset("", Dataset(), file_meta=meta, preamble=b"\0" * 128))


def deep_nesting(rng: random.Random) -> tuple[str, bytes]:
    """Sequences nested 40 to 3000 deep (undefined lengths), a name at the bottom; written by
    hand because pydicom's own writer recurses too."""
    depth = rng.choice([40, 64, 100, 250, 500, 1000, 3000])
    tag = rng.choice([(0x0008, 0x1115), (0x0040, 0xA730), (0x0009, 0x1010)])
    head = struct.pack("<HH", *tag) + b"SQ\0\0\xff\xff\xff\xff" + ITEM + b"\xff\xff\xff\xff"
    tail = ITEM_END + b"\0\0\0\0" + SEQ_END + b"\0\0\0\0"
    leaf = _element((0x0010, 0x0010), b"PN", b"Nested^Deeply ") + _element((0x0010, 0x0020), b"LO", b"DEEP-0042 ")
    body = _element((0x0010, 0x0010), b"PN", b"Fuzzington^Harriet") + head * depth + leaf + tail * depth
    return f"depth{depth}", _meta_bytes() + body


def huge_text(rng: random.Random, size: int = 1_500_000) -> tuple[str, bytes]:
    """One text element of about ``size`` bytes: a repeated name, PHI words, or dots."""
    kind = rng.choice(["name", "words", "dots", "digits"])
    unit = {"name": "Smith^John\\", "words": PHI_WORDS, "dots": ".", "digits": "1234567890 "}[kind]
    text = (unit * (size // len(unit) + 1))[:size]
    explicit = rng.random() < 0.5  # explicit VR: only UT holds over 64 KB; implicit keeps PN and LT
    ds = _new_dataset(ExplicitVRLittleEndian if explicit else ImplicitVRLittleEndian)
    if kind == "name" and not explicit:
        ds.add_new((0x0010, 0x1001), "PN", text)  # OtherPatientNames, multi-valued
    else:
        ds.add_new(rng.choice([(0x0020, 0x4000), (0x0010, 0x4000), (0x0018, 0x9074)]) if not explicit
                   else (0x0040, 0xA160), "UT" if explicit else "LT", text)  # A160: TextValue, UT
    return f"{kind}{size}{'e' if explicit else 'i'}", _save(ds)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def non_dicom(rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(["random", "empty", "text", "png", "jpeg", "zip", "dicm_garbage", "zeros"])
    body = {
        "random": lambda: rng.randbytes(rng.randint(1, 5000)),
        "empty": lambda: b"",
        "text": lambda: (PHI_WORDS * rng.randint(1, 30)).encode(),
        "png": lambda: PNG + rng.randbytes(rng.randint(0, 2000)),
        "jpeg": lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rng.randbytes(rng.randint(0, 2000)),
        "zip": lambda: b"PK\x03\x04" + rng.randbytes(rng.randint(0, 2000)),
        "dicm_garbage": lambda: b"\0" * 128 + b"DICM" + rng.randbytes(rng.randint(0, 2000)),
        "zeros": lambda: b"\0" * rng.randint(1, 5000),
    }[kind]()
    return kind, body


def zeroed_magic(rng: random.Random) -> tuple[str, bytes]:
    """'DICM' zeroed in a file whose PatientName and PatientID stay intact."""
    seed = rng.choice(seeds("phi") + tuple(s for s in seeds("header") if s.has_meta))
    return seed.name, _patch(seed.data, 128, rng.choice([b"\0\0\0\0", b"DICX", b"dicm"]))


FAMILIES: dict[str, Callable[[random.Random], tuple[str, bytes]]] = {
    "truncate_random": truncate_random, "truncate_meta": truncate_meta, "truncate_pixels": truncate_pixels,
    "flip_bytes": flip_bytes, "wrong_length": wrong_length, "wrong_vr": wrong_vr, "broken_meta": broken_meta,
    "deflate_corrupt": deflate_corrupt, "encapsulated_corrupt": encapsulated_corrupt,
    "absurd_pixels": absurd_pixels, "deep_nesting": deep_nesting, "huge_text": huge_text,
    "non_dicom": non_dicom, "zeroed_magic": zeroed_magic,
}
# Families every file of which must be an error row (nothing in them is a readable data set).
MUST_ERROR = ("non_dicom",)
# Families whose files carry PHI in a readable header and must never pass as clean.
NEVER_CLEAN = ("zeroed_magic", "deep_nesting", "huge_text")
# Relative weights in a run: huge values are big, so fewer of them.
WEIGHTS = {"huge_text": 0.1, "deep_nesting": 0.5}
# Families whose files keep pixel data (for redact and OCR runs).
PIXEL_FAMILIES = ("truncate_pixels", "encapsulated_corrupt", "absurd_pixels", "flip_bytes", "wrong_length")


def family_of(name: str) -> str:
    """The family a generated file's name says."""
    return name.split("__", 1)[0]


def mutate(family: str, seed: int, huge_size: int = 1_500_000) -> tuple[str, bytes]:
    """(source name, bytes) of one mutated file: the same for the same family and seed."""
    rng = random.Random(f"{family}:{seed}")
    if family == "huge_text":
        return huge_text(rng, huge_size)
    return FAMILIES[family](rng)


def plan(n: int, families: tuple[str, ...] | None = None, weights: dict[str, float] | None = None) -> list[str]:
    """``n`` family names, each family's share set by its weight (at least one file each)."""
    families = families or tuple(FAMILIES)
    weights = {**WEIGHTS, **(weights or {})}
    total = sum(weights.get(f, 1.0) for f in families)
    counts = {f: max(1, round(n * weights.get(f, 1.0) / total)) for f in families}
    names = [f for f in families for _ in range(counts[f])]
    return names[:n] if len(names) >= n else names + [families[i % len(families)] for i in range(n - len(names))]


def generate(folder: Path, n: int, seed: int = 13, *, families: tuple[str, ...] | None = None,
             weights: dict[str, float] | None = None, huge_size: int = 1_500_000) -> list[Path]:
    """Write ``n`` mutated files into ``folder`` (made if missing); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, family in enumerate(plan(n, families, weights)):
        file_seed = seed * 1_000_000 + index
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            source, data = mutate(family, file_seed, huge_size)
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(source).stem)
        path = folder / f"{family}__{stem}__{file_seed}.dcm"
        path.write_bytes(data)
        paths.append(path)
    return paths

