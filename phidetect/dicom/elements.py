"""Every element of a data set as text with its location.

Nested sequences at any depth, private elements (with their private creator), the
file meta group, multi-valued values (joined by a backslash, so offsets match the
element's value as a string), and UN/OB values that really hold text (private
elements of implicit-VR files arrive as UN bytes), decoded with the data set's
SpecificCharacterSet.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

from pydicom.charset import decode_bytes
from pydicom.datadict import dictionary_VR, keyword_for_tag
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.valuerep import PersonName

from phidetect.limits import DECODE, DEFAULT_LIMITS, TOO_DEEP, TRUNCATED, ResourceLimits, size_text

STRING_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}
BYTE_VRS = {"UN", "OB", "OW", "OB or OW", "US or OW", "US or SS or OW"}
#: Pixel and overlay data, waveforms and LUT data hold no header text (read by the OCR path).
_SKIP_TAGS = {0x7FE00010, 0x7FE00008, 0x7FE00009, 0x54000100, 0x54001010}
#: UN/OB values up to this long are tested for text (longer ones: their first part).
MAX_TEXT_BYTES = DEFAULT_LIMITS.max_text_bytes
#: pydicom's codec when a data set has no Specific Character Set (ISO 8859-1).
DEFAULT_ENCODINGS = ("iso8859",)

#: Which recognizers read a value, by VR (see text.recognizer.TEXT_KINDS).
KIND_BY_VR = {
    "PN": "name", "DA": "date", "DT": "date", "TM": "date", "AS": "age",
    "CS": "coded", "AE": "coded",
    "LO": "free", "LT": "free", "SH": "free", "ST": "free", "UT": "free", "UC": "free", "UR": "free",
}


class ElementProblem(NamedTuple):
    """An element that was not read whole: where it is, a message for a person, and the
    reason a caller maps to an error kind (phidetect.limits: ``decode``, ``truncated``,
    ``too deep``). A redacted copy removes the element: what was not read was not checked."""

    tag_path: str
    message: str
    reason: str = DECODE


class ElementText(NamedTuple):
    """One element's value as text, with where it stands."""

    tag_path: str
    tag: int
    keyword: str
    vr: str
    text: str
    kind: str | None  # None: no text recognizer reads it (UIDs, numbers)
    private_creator: str = ""
    depth: int = 0


@lru_cache(maxsize=16384)
def format_tag(tag: int) -> str:
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


def _private_creator(dataset: Dataset, tag: int) -> str:
    """The private creator reserving this element's block, read without converting it."""
    group, element = tag >> 16, tag & 0xFFFF
    if element < 0x1000:
        return ""
    creator_tag = (group << 16) | (element >> 8)
    if creator_tag not in dataset:
        return ""
    value = dataset.get_item(creator_tag).value
    if isinstance(value, bytes):
        return value.decode("latin-1").strip(" \x00")
    return str(value or "").strip()


#: Bytes of text: from 0x80 up are letters in UTF-8 and the ISO 8859 parts; controls below
#: 32 are not text, except tab, line breaks and ISO 2022's escape.
_TEXT_BYTES = bytes([9, 10, 13, 0x1B, *range(32, 127), *range(0x80, 0x100)])


def _looks_like_text(raw: bytes) -> bool:
    body = raw.rstrip(b"\x00 ")
    if len(body) < 2 or b"\x00" in body:
        return False
    return (len(body) - len(body.translate(None, _TEXT_BYTES))) / len(body) >= 0.95


def element_text(elem: DataElement, encodings: Sequence[str] | Dataset | None = None) -> str | None:
    """An element's value as the text a scan reads, or None when it holds no text.

    The one definition findings' offsets index: string VRs as pydicom converts them,
    multi-valued joined by a backslash (an empty value as ""), bytes decoded with
    ``encodings`` (pydicom's codec names, or the data set whose Specific Character Set
    gives them; ISO 8859 by default), padding stripped; UN/OB bytes only when they really
    hold text (private elements of implicit-VR files arrive as UN). Numbers, binary
    values, sequences and absent values hold no text: callers that show them some other
    way decide how."""
    value, vr = elem.value, elem.VR
    if value is None:
        return None
    if vr in STRING_VRS:
        if isinstance(value, (MultiValue, list, tuple)):
            return "\\".join("" if v is None else str(v) for v in value)
        if isinstance(value, PersonName):
            return str(value)
        if isinstance(value, bytes):
            return decode_bytes(value, _codecs(encodings), set()).rstrip("\x00 ")
        return str(value)
    if vr in BYTE_VRS and isinstance(value, bytes):
        return _bytes_text(value, _codecs(encodings))
    return None


def _bytes_text(value: bytes, encodings: list[str]) -> str | None:
    """UN/OB bytes as text when they hold text; of a value longer than MAX_TEXT_BYTES, its
    first part (the walk reports the element as truncated)."""
    part = value[:MAX_TEXT_BYTES]
    if not _looks_like_text(part):
        return None
    return decode_bytes(part.rstrip(b"\x00"), encodings, set()).rstrip(" ")


def _codecs(encodings: Sequence[str] | Dataset | None) -> list[str]:
    """element_text's ``encodings`` as a list of pydicom codec names."""
    if encodings is None:
        return list(DEFAULT_ENCODINGS)
    if isinstance(encodings, Dataset):
        return _encodings(encodings, list(DEFAULT_ENCODINGS))
    return encodings if isinstance(encodings, list) else list(encodings)


#: Text VRs whose non-ASCII bytes the fast path decodes itself (one character set only); not
#: PN, whose component groups pydicom trims ("Wang^XiaoDong=王^小東=" reads without the last "=").
_TEXT_VRS = {"LO", "LT", "SH", "ST", "UC", "UT"}
#: VRs whose values pydicom also strips of leading spaces.
_STRIP_BOTH = {"AE", "CS", "DS", "IS", "DA", "DT", "TM", "AS", "UI"}


@lru_cache(maxsize=8192)
def _public_keyword(tag: int) -> str:
    return keyword_for_tag(tag) or ""


@lru_cache(maxsize=8192)
def _public_vr(tag: int) -> str:
    try:
        return dictionary_VR(tag)
    except KeyError:
        return ""


#: VRs that never hold text: skipped without converting them.
NUMERIC_VRS = {"US", "SS", "UL", "SL", "FL", "FD", "AT", "OF", "OD", "OL", "OV", "SV", "UV",
               "US or SS", "xs", "US or SS or OW", "OW"}
#: _fast_text's answer for an element that holds no text at all.
NO_TEXT = ("", "")


def _fast_text(raw: RawDataElement, tag: int, private: bool,
               encodings: list[str]) -> tuple[str, str] | None:
    """(text, vr) straight from the raw bytes for the common cases: a string VR with a
    pure-ASCII value, a number (NO_TEXT), UN/OB bytes. None means: let pydicom convert it.

    Converting every element through pydicom costs about three bare reads; reading
    ASCII text from the bytes costs almost nothing and gives the same string (a test
    compares the two over every packaged file)."""
    vr = raw.VR or ("UN" if private else _public_vr(tag))
    if vr == "UN" and not private:  # explicit-VR files that wrote UN for a public tag
        vr = _public_vr(tag) or "UN"
    value = raw.value
    if vr in NUMERIC_VRS:
        return NO_TEXT
    if not isinstance(value, bytes):
        return None
    if vr in ("UN", "OB") and (private or raw.VR == "OB"):
        text = _bytes_text(value, encodings)
        return NO_TEXT if text is None else (text, vr)
    if vr not in STRING_VRS or b"\x1b" in value:
        return None  # ISO 2022 escape sequences are ASCII bytes but need the codec
    if value.isascii():
        text = value.decode("ascii")
    elif vr in _TEXT_VRS and len(encodings) == 1:
        try:  # one character set, no escapes: what pydicom's decode_bytes does, without the objects
            text = value.decode(encodings[0])
        except (UnicodeDecodeError, LookupError):
            return None  # pydicom replaces what does not decode, and says so
    else:
        return None
    text = text.strip(" \x00") if vr in _STRIP_BOTH else text.rstrip(" \x00")
    return text, vr


def _encodings(dataset: Dataset, inherited: list[str]) -> list[str]:
    if 0x00080005 in dataset:  # SpecificCharacterSet
        try:
            return list(dataset._character_set)  # pydicom's codecs for this item
        except (AttributeError, LookupError, ValueError):
            return inherited
    return inherited


def iter_elements(dataset: Dataset, *, include_file_meta: bool = True,
                  errors: list[ElementProblem] | None = None,
                  limits: ResourceLimits = DEFAULT_LIMITS) -> Iterator[ElementText]:
    """Every text-bearing element, depth first, in tag order. Elements whose value cannot
    be decoded are reported into ``errors`` (when given) and skipped, not fatal; a value
    longer than ``limits.max_scanned_chars`` comes as its first part and is reported; the
    items of a sequence nested deeper than ``limits.max_sequence_depth`` are not walked
    and the sequence is reported, so the walk's own recursion stays bounded."""
    walk = _Walk(errors, limits)
    file_meta = getattr(dataset, "file_meta", None)
    if include_file_meta and file_meta is not None:
        yield from walk.items(file_meta, "", list(DEFAULT_ENCODINGS), 0)
    yield from walk.items(dataset, "", _encodings(dataset, list(DEFAULT_ENCODINGS)), 0)


class SequenceMemo:
    """What the walk read from an encoded sequence, under its bytes (and how they are read):
    bounded by entries and by the bytes of the keys it keeps alive; full, it starts again."""

    MAX_ENTRIES = 4096
    MAX_TOTAL_BYTES = 16_000_000
    #: Longer sequences (per-frame groups of enhanced images) rarely repeat: walked each time.
    MAX_BYTES = 65_536

    def __init__(self) -> None:
        self._found: dict[tuple, tuple[ElementText, ...]] = {}
        self._bytes = 0

    def get(self, key: tuple) -> tuple[ElementText, ...] | None:
        return self._found.get(key)

    def keep(self, key: tuple, size: int, found: tuple[ElementText, ...]) -> None:
        if size > self.MAX_BYTES:
            return
        if len(self._found) >= self.MAX_ENTRIES or self._bytes + size > self.MAX_TOTAL_BYTES:
            self._found.clear()
            self._bytes = 0
        self._found[key] = found
        self._bytes += size


#: One per process: the answer depends only on the key's bytes, encodings and limits.
SEQUENCES = SequenceMemo()


class _Walk:
    """One data set's walk: where problems go, and the limits it keeps to."""

    def __init__(self, errors: list[ElementProblem] | None, limits: ResourceLimits) -> None:
        self.errors, self.limits = errors, limits

    def _problem(self, path: str, message: str, reason: str) -> None:
        if self.errors is not None:
            self.errors.append(ElementProblem(path, message, reason))

    def _sequence(self, items: Sequence[Dataset] | None, path: str, encodings: list[str],
                  depth: int) -> Iterator[ElementText]:
        if not items:
            return
        if depth >= self.limits.max_sequence_depth:
            self._problem(path, f"sequence {path} is nested {depth + 1} deep, beyond the limit of "
                          f"{self.limits.max_sequence_depth}: its items were not scanned", TOO_DEEP)
            return
        for index, item in enumerate(items):
            yield from self.items(item, f"{path}[{index}].", encodings, depth + 1)

    def _raw_sequence(self, dataset: Dataset, tag: int, raw: RawDataElement, prefix: str, path: str,
                      encodings: list[str], depth: int) -> Sequence[ElementText] | None:
        """A sequence still in its encoded bytes: walked once per distinct value (the slices
        of a series repeat their code and request sequences byte for byte), then replayed.
        None: pydicom could not read items there and kept the bytes (the caller reads them)."""
        key = (tag, raw.value, raw.is_implicit_VR, raw.is_little_endian, tuple(encodings), depth, self.limits)
        found = SEQUENCES.get(key)
        if found is None:
            elem = dataset[tag]
            if elem.VR != "SQ":
                return None
            walk = _Walk([], self.limits)
            elements = list(walk._sequence(elem.value, path, encodings, depth))
            if walk.errors:  # problems name their paths: not kept, so reported as they are
                if self.errors is not None:
                    self.errors.extend(walk.errors)
            else:
                SEQUENCES.keep(key, len(raw.value), tuple(
                    e._replace(tag_path=e.tag_path[len(prefix):]) if prefix else e for e in elements))
            return elements
        return found if not prefix else [e._replace(tag_path=prefix + e.tag_path) for e in found]

    def _text(self, path: str, text: str, raw_length: int, vr: str) -> str:
        """``text`` cut to what the rules read, reporting a value that was cut."""
        limit = self.limits.max_scanned_chars
        byte_cut = vr in BYTE_VRS and raw_length > MAX_TEXT_BYTES
        if len(text) <= limit and not byte_cut:
            return text
        total = size_text(raw_length) if byte_cut else f"{len(text):,} characters"
        text = text[:limit]
        self._problem(path, f"element {path} holds {total}: only its first {len(text):,} characters "
                      "were scanned for PHI", TRUNCATED)
        return text

    def items(self, dataset: Dataset, prefix: str, inherited: list[str], depth: int) -> Iterator[ElementText]:
        encodings = _encodings(dataset, inherited)
        # items() gives the elements as read (raw until converted), without get_item's per-call work
        for tag, raw in list(dataset.items()):
            tag_int = int(tag)
            if tag_int in _SKIP_TAGS or (tag_int >> 16) & 0xFF01 == 0x6000 and tag_int & 0xFFFF == 0x3000:
                continue
            private = bool(tag_int & 0x10000)  # odd group
            kind_of_raw = type(raw)
            if kind_of_raw is RawDataElement and raw.value is not None:
                fast = _fast_text(raw, tag_int, private, encodings)
                if fast is NO_TEXT:
                    continue
            else:
                fast = None
            path = prefix + format_tag(tag_int)
            if kind_of_raw is RawDataElement and raw.value is None:  # a deferred read: pydicom reads it now
                try:
                    raw = dataset.get_item(tag)
                except Exception as exc:  # pydicom converts some raw elements here (an unknown VR raises)
                    self._problem(path, f"element {path} could not be decoded: {exc}", DECODE)
                    continue
            if fast is None and kind_of_raw is RawDataElement and isinstance(raw.value, bytes) \
                    and (raw.VR or _public_vr(tag_int)) == "SQ":
                try:
                    replayed = self._raw_sequence(dataset, tag_int, raw, prefix, path, encodings, depth)
                except Exception as exc:  # pydicom could not parse the items
                    self._problem(path, f"element {path} could not be decoded: {exc}", DECODE)
                    continue
                if replayed is not None:
                    yield from replayed
                    continue
            if type(raw) is DataElement and raw.VR == "SQ":
                # pydicom parsed the items while reading; Dataset.__getitem__ would re-parent every item
                yield from self._sequence(raw.value, path, encodings, depth)
                continue
            raw_value = raw.value
            raw_length = len(raw_value) if isinstance(raw_value, (bytes, str)) else 0
            if fast is not None:
                text, vr = fast
                keyword = "" if private else _public_keyword(tag_int)
                creator = _private_creator(dataset, tag_int) if private else ""
                kind = "free" if vr in BYTE_VRS else KIND_BY_VR.get(vr)
                yield ElementText(path, tag_int, keyword, vr, self._text(path, text, raw_length, vr),
                                  kind, creator, depth)
                continue
            try:
                elem = dataset[tag]
                if elem.VR == "SQ":
                    yield from self._sequence(elem.value, path, encodings, depth)
                    continue
                text = element_text(elem, encodings)
            except Exception as exc:  # one bad element must not cost the rest of the file
                self._problem(path, f"element {path} could not be decoded: {exc}", DECODE)
                continue
            if text is None:
                continue
            vr = elem.VR
            creator = _private_creator(dataset, tag_int) if private else ""
            kind = "free" if vr in BYTE_VRS else KIND_BY_VR.get(vr)
            keyword = "" if private else (elem.keyword or "")
            yield ElementText(path, tag_int, keyword, vr, self._text(path, text, raw_length, vr), kind, creator, depth)
