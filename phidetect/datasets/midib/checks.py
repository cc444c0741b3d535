"""One function per MIDI-B action: did a de-identified file do what the answer key asks?

The rules follow the NCI validation script (github.com/CBIIT/MIDI_validation_script,
``modules/curation_validator.py``, read at commit 2809e28), written anew here:

- ``tag_retained``: the element is present (any value).
- ``text_notnull``: present and not empty.
- ``text_retained``: present, not empty, and still holds the key's ``action_text``.
- ``text_removed``: absent, empty, or no longer holds ``action_text`` (fallback ``value``).
- ``date_shifted`` / ``uid_changed``: absent, or the original ``value`` is no longer in it
  (backslashes ignored). ``strict=True`` also asks for a valid DA/DT/TM or UID.
- ``uid_consistent`` / ``patid_consistent``: absent, or equal to what the mapping gives the
  original; without a mapping, one original must give one new value everywhere and two
  originals never the same one (:func:`consistency`).
- ``pixels_retained``: the MD5 of Pixel Data equals the key's ``action_text``.
- ``pixels_hidden``: see :func:`check_pixels_hidden` (the script OCRs the box with
  easyocr; here a blank box passes without OCR, and an OCR callable may be given).

"Holds the text" is the script's ``validate_text``: lower case, numbers compared as
numbers, then the whole text as a substring, else every word (English stop words and
punctuation left out) sought in the value; the score is the share of words kept (retain)
or gone (remove). The script tokenises with NLTK; a plain word pattern is used here.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset

from phidetect.datasets.midib.tags import Resolved, parse_tag_ds, resolve, value_text

#: Actions that ask for something to be kept: a missing file fails them, and passes the rest.
RETAINING = frozenset({"tag_retained", "text_notnull", "text_retained", "pixels_retained",
                       "uid_consistent", "patid_consistent"})
#: Default for pixels_hidden: a box whose display values spread over at most this many grey
#: levels (1st to 99th percentile, 0..255) is blank.
BLANK_SPREAD = 24.0

_STOPWORD_TEXT = """a about above after again against all am an and any are as at be because been
before being below between both but by can did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those through
to too under until up very was we were what when where which while who whom why will with you your
yours yourself yourselves"""
#: English stop words (NLTK's list, which the script uses, minus contractions).
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_TOKEN = re.compile(r"[^\W_]+(?:['.-][^\W_]+)*", re.UNICODE)
_UID = re.compile(r"(0|[1-9]\d*)(\.(0|[1-9]\d*))*")
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,6})?)?)?)?(?:[+-]\d{4})?")
_TIME = re.compile(r"(\d{2})(?:(\d{2})(?:(\d{2})(?:\.\d{1,6})?)?)?")


@dataclass
class CheckResult:
    """One check's outcome: ``passed`` None means "decided later" (consistency)."""

    passed: bool | None
    score: float
    reason: str
    found: str = ""
    tag_path: str = ""


def validate_text(file_value: str, answer_value: str, method: str) -> tuple[bool, float]:
    """(passed, score) of "the value still holds the answer text" (``method='retain'``) or
    "no longer holds it" (``'remove'``), by the validation script's rule."""
    retain = method == "retain"
    found = file_value.replace("<", "").replace(">", "").lower()
    answer = answer_value.replace("<", "").replace(">", "").lower()
    if found.replace(".", "", 1).isdigit() and answer.replace(".", "", 1).isdigit():
        same = float(found) == float(answer)
        return (same, float(same)) if retain else (not same, float(not same))
    if answer in found:
        return (True, 1.0) if retain else (False, 0.0)
    tokens = [t for t in _TOKEN.findall(answer) if t not in STOPWORDS]
    if not tokens:
        return (False, 0.0) if retain else (True, 1.0)
    kept = sum(token in found for token in tokens)
    if retain:
        return kept == len(tokens), kept / len(tokens)
    return kept == 0, (len(tokens) - kept) / len(tokens)


def element(ds: Dataset, check: Mapping) -> tuple[Resolved | None, str]:
    """The element a check names (by ``tag_ds``, else ``tag``) and "" or why it has none."""
    place = check.get("tag_ds") or check.get("tag") or ""
    steps = parse_tag_ds(place)
    if steps is None:
        return None, f"place {place!r} is not of the answer key's form"
    return resolve(ds, steps), ""


def _present(ds: Dataset, check: Mapping) -> tuple[Resolved | None, str, CheckResult | None]:
    resolved, problem = element(ds, check)
    if problem:
        return None, "", CheckResult(False, 0.0, problem)
    return resolved, value_text(resolved.element) if resolved else "", None


def check_tag_retained(ds: Dataset, check: Mapping) -> CheckResult:
    found, text, bad = _present(ds, check)
    if bad:
        return bad
    if found is None:
        return CheckResult(False, 0.0, "element removed; the key asks to keep it")
    return CheckResult(True, 1.0, "element kept", text, found.tag_path)


def check_text_notnull(ds: Dataset, check: Mapping) -> CheckResult:
    found, text, bad = _present(ds, check)
    if bad:
        return bad
    if found is None:
        return CheckResult(False, 0.0, "element removed; the key asks for a value")
    if not text:
        return CheckResult(False, 0.0, "element emptied; the key asks for a value", text, found.tag_path)
    return CheckResult(True, 1.0, "element has a value", text, found.tag_path)


def check_text_retained(ds: Dataset, check: Mapping) -> CheckResult:
    found, text, bad = _present(ds, check)
    if bad:
        return bad
    if found is None or not text:
        return CheckResult(False, 0.0, "text removed; the key asks to keep it", text,
                           found.tag_path if found else "")
    answer = check.get("action_text") or check.get("value") or ""
    passed, score = validate_text(text, answer, "retain")
    return CheckResult(passed, score, "text kept" if passed else "text changed; the key asks to keep it",
                       text, found.tag_path)


def check_text_removed(ds: Dataset, check: Mapping) -> CheckResult:
    found, text, bad = _present(ds, check)
    if bad:
        return bad
    if found is None:
        return CheckResult(True, 1.0, "element removed")
    if not text:
        return CheckResult(True, 1.0, "element emptied", text, found.tag_path)
    answer = check.get("action_text") or check.get("value") or ""
    passed, score = validate_text(text, answer, "remove")
    reason = "original text gone" if passed else "original text still present"
    return CheckResult(passed, score, reason, text, found.tag_path)


def _changed(ds: Dataset, check: Mapping, what: str, valid: Callable[[str], bool] | None) -> CheckResult:
    found, text, bad = _present(ds, check)
    if bad:
        return bad
    if found is None:
        return CheckResult(True, 1.0, "element removed")
    original = (check.get("value") or "").replace("\\", "")
    if original and original in text.replace("\\", ""):
        return CheckResult(False, 0.0, f"original {what} still present", text, found.tag_path)
    if valid is not None and text and not all(valid(v) for v in text.split("\\")):
        return CheckResult(False, 0.0, f"changed, but not a valid {what}", text, found.tag_path)
    return CheckResult(True, 1.0, f"{what} changed", text, found.tag_path)


def _valid_date(text: str) -> bool:
    """A DA (a real YYYYMMDD day), DT (a day, then a time and an offset) or TM value."""
    text = text.strip()
    day = _DATE.fullmatch(text)
    if day:
        try:
            datetime.date(int(day[1]), int(day[2]), int(day[3]))
        except ValueError:
            return False
        return True
    time = _TIME.fullmatch(text)
    return bool(time) and int(time[1]) < 24 and int(time[2] or 0) < 60 and int(time[3] or 0) < 61


def _valid_uid(text: str) -> bool:
    return len(text) <= 64 and bool(_UID.fullmatch(text.strip()))


def check_date_shifted(ds: Dataset, check: Mapping, *, strict: bool = False) -> CheckResult:
    return _changed(ds, check, "date", _valid_date if strict else None)


def check_uid_changed(ds: Dataset, check: Mapping, *, strict: bool = False) -> CheckResult:
    return _changed(ds, check, "UID", _valid_uid if strict else None)


def _consistent(ds: Dataset, check: Mapping, mapping: Mapping[str, str] | None, what: str) -> CheckResult:
    found, text, bad = _present(ds, check)
    if bad:
        return bad
    if found is None:
        return CheckResult(True, 1.0, "element removed")
    original = check.get("value") or ""
    if mapping is None:
        return CheckResult(None, 0.0, f"no {what} mapping: judged by consistency", text, found.tag_path)
    if original not in mapping:
        return CheckResult(False, 0.0, f"original {what} is not in the {what} mapping", text, found.tag_path)
    if text != mapping[original]:
        return CheckResult(False, 0.0, f"{what} differs from the mapping's new {what}", text, found.tag_path)
    return CheckResult(True, 1.0, f"{what} as in the mapping", text, found.tag_path)


def check_uid_consistent(ds: Dataset, check: Mapping, uid_map: Mapping[str, str] | None) -> CheckResult:
    return _consistent(ds, check, uid_map, "UID")


def check_patid_consistent(ds: Dataset, check: Mapping, patid_map: Mapping[str, str] | None) -> CheckResult:
    return _consistent(ds, check, patid_map, "Patient ID")


def check_pixels_retained(ds: Dataset, check: Mapping) -> CheckResult:
    """Pixel Data must be byte-identical: its MD5 equals the key's digest (``action_text``)."""
    pixels = ds.get("PixelData")
    if not pixels:
        return CheckResult(False, 0.0, "no Pixel Data; the key asks to keep it")
    digest = hashlib.md5(pixels).hexdigest()
    wanted = (check.get("action_text") or check.get("value") or "").strip().lower()
    if digest != wanted:
        return CheckResult(False, 0.0, "Pixel Data changed; the key asks to keep it", digest, "(7FE0,0010)")
    return CheckResult(True, 1.0, "Pixel Data unchanged", digest, "(7FE0,0010)")


def pixel_box(check: Mapping) -> tuple[str, int, int, int, int]:
    """(text, x, y, width, height) of a pixels_hidden check, from its ``action_text`` JSON
    (``text``, ``top_left``, ``bottom_right`` as [column, row]); ``value`` is tried when
    ``action_text`` holds none. ValueError when neither does."""
    for field in ("action_text", "value"):
        raw = check.get(field) or ""
        try:
            data = json.loads(raw)
        except (TypeError, ValueError):
            continue
        if isinstance(data, dict) and "top_left" in data and "bottom_right" in data:
            (x0, y0), (x1, y1) = data["top_left"][:2], data["bottom_right"][:2]
            x0, y0, x1, y1 = (int(round(float(v))) for v in (x0, y0, x1, y1))
            return str(data.get("text", "")), min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)
    raise ValueError("pixels_hidden check without a box (action_text JSON with top_left/bottom_right)")


def _answer_words(text: str) -> str:
    """The key's burned-in text as the script compares it: labels and sex markers dropped."""
    return re.sub(r"\[[A-Za-z]\]", "", text.replace("\n", " ").replace("DOB:", ""))


def check_pixels_hidden(image: np.ndarray | None, check: Mapping, *, blank_spread: float = BLANK_SPREAD,
                        ocr: Callable[[np.ndarray], str] | None = None) -> CheckResult:
    """Is the burned-in text of the key's box gone from the redacted frame 0 (``image``: the
    display image, uint8)? The original file is not needed.

    Rule: the box is *blank* when its values spread over at most ``blank_spread`` grey
    levels (1st to 99th percentile, each channel): a filled rectangle, a black box, a
    smooth inpaint. A box that is not blank passes only when ``ocr`` (crop -> text) is
    given and reads none of the key's words in it (the script's own test, with easyocr);
    without ``ocr`` it fails, since text may remain."""
    try:
        text, x, y, w, h = pixel_box(check)
    except ValueError as exc:
        return CheckResult(False, 0.0, str(exc))
    if image is None:
        return CheckResult(False, 0.0, "no pixel data to check")
    crop = image[max(y, 0):max(y + h, 0), max(x, 0):max(x + w, 0)]
    if crop.size == 0:
        return CheckResult(False, 0.0, "box lies outside the image")
    values = crop.reshape(crop.shape[0] * crop.shape[1], -1).astype(float)
    spread = float(np.max(np.percentile(values, 99, axis=0) - np.percentile(values, 1, axis=0)))
    if spread <= blank_spread:
        return CheckResult(True, 1.0, f"box blank (values spread {spread:.0f} grey levels)", "", "")
    if ocr is not None:
        read = ocr(crop).strip()
        if not read:
            return CheckResult(True, 1.0, "OCR reads no text in the box", read)
        passed, score = validate_text(read, _answer_words(text), "remove")
        return CheckResult(passed, score, "OCR reads none of the text" if passed
                           else "OCR still reads the text", read)
    return CheckResult(False, 0.0, f"box not blank (values spread {spread:.0f} > {blank_spread:.0f} "
                       "grey levels): text may remain", "")


def consistency(rows: list[dict]) -> None:
    """Decide the consistency checks left open (no mapping given), in place: a check passes
    when its original value got one new value in every file, a different one, and no other
    original got the same new value. ``rows`` are detail rows with ``action``, ``expected``
    (the original), ``found`` and ``passed``."""
    open_rows = [r for r in rows if r["passed"] is None]
    for action in {r["action"] for r in open_rows}:
        mine = [r for r in rows if r["action"] == action and r["found"] != "" and r["reason"] != "element removed"]
        new_for: dict[str, set[str]] = {}
        old_for: dict[str, set[str]] = {}
        for r in mine:
            new_for.setdefault(r["expected"], set()).add(r["found"])
            old_for.setdefault(r["found"], set()).add(r["expected"])
        for r in open_rows:
            if r["action"] != action:
                continue
            news = new_for.get(r["expected"], set())
            if r["found"] == r["expected"]:
                r.update(passed=False, score=0.0, reason="value unchanged")
            elif len(news) != 1:
                r.update(passed=False, score=0.0, reason=f"original replaced by {len(news)} different values")
            elif len(old_for.get(r["found"], set())) != 1:
                r.update(passed=False, score=0.0, reason="two originals got the same new value")
            else:
                r.update(passed=True, score=1.0, reason="replaced consistently (no mapping given)")


def read_frame0(path: Path) -> np.ndarray | None:
    """The display image of frame 0 of a file, or None without decodable pixels."""
    from phidetect.dicom.pixels import PixelDecodeError, display_image, frame_count
    from phidetect.dicom.reader import DicomReadError, read_dicom

    try:
        ds = read_dicom(path, headers_only=False)
        return display_image(ds, 0) if frame_count(ds) else None
    except (DicomReadError, PixelDecodeError, IndexError, ValueError):
        return None
