"""phidetect.redact scored the way MIDI-B scores a de-identified set: the fixture's
originals (tests/data/fixtures/midib, see build_fixtures.py) are redacted, the UID and
Patient ID mappings are written as CSV from the redaction, and score_midib checks the
copies against the fixture's answer key.

Without OCR one check fails under ``research``, and it should: file A's burned-in "text"
is a pattern of strokes no OCR reads, so nothing blanks its box (pixels_hidden); under
``basic`` the Series Description the key asks to keep is removed too (descriptors are X
there). Given the key's box, every ``research`` check passes. Dates pass under ``research`` because they are shifted, and under
``basic`` because they are emptied; the Patient ID is emptied (PS3.15: Z), so the patient
mapping maps the original to an empty ID and patid_consistent passes on that.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pydicom
import pytest
from conftest import fingerprint

from phidetect.datasets.midib import midib_truth, score_midib
from phidetect.datasets.midib.score import failed_checks
from phidetect.redact import UidMapper, redact

FIXTURE = Path(__file__).parent / "data" / "fixtures" / "midib"
KEY = FIXTURE / "MIDI-B-Answer-Key-Fixture.db"
SECRET = b"midib-fixture-secret"
UID_KEYWORDS = ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID")


def _mappings(source: Path, files: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """(UID map, Patient ID map), old -> new, by pairing each input with its copy: what a
    de-identifier hands the MIDI-B organisers beside the copies."""
    uids: dict[str, str] = {}
    patients: dict[str, str] = {}
    for row in files[files["status"] == "written"].itertuples():
        before = pydicom.dcmread(source / str(row.input), stop_before_pixels=True)
        after = pydicom.dcmread(str(row.output), stop_before_pixels=True)
        for keyword in UID_KEYWORDS:
            uids[str(before.get(keyword))] = str(after.get(keyword))
        patients[str(before.get("PatientID", ""))] = str(after.get("PatientID", ""))
    return uids, patients


def _write_csv(path: Path, mapping: dict[str, str]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("id_old", "id_new"))
        writer.writerows(sorted(mapping.items()))
    return path


def _redact_and_score(tmp_path: Path, **options) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    source = tmp_path / "original"
    shutil.copytree(FIXTURE / "original", source)
    before = fingerprint(source)
    out = tmp_path / "redacted"
    result = redact(source, out, secret=SECRET, ocr=False, workers=1, progress=False, **options)
    assert result.counts()["written"] == 3, result.files
    assert fingerprint(source) == before
    uids, patients = _mappings(source, result.files)
    summary, details = score_midib(KEY, out, _write_csv(tmp_path / "uid-map.csv", uids),
                                   _write_csv(tmp_path / "patient-map.csv", patients))
    return summary, details, uids


def _percent(summary: pd.DataFrame, action: str = "ALL") -> float:
    return float(summary.set_index("action").loc[action, "percent"])


def test_the_mapping_is_the_keyed_uid_mapping(tmp_path):
    """redact does not return its UID mapping; it is UidMapper(secret), which the pairs confirm."""
    _, _, uids = _redact_and_score(tmp_path)
    mapper = UidMapper(SECRET)
    assert len(uids) == 6 and all(mapper.map(old) == new for old, new in uids.items())


#: Checks that fail without OCR, by policy: the box of strokes no OCR reads, and (basic:
#: descriptors removed) the Series Description the key asks to keep.
EXPECTED_FAILURES = {"research": ["pixels_hidden"], "basic": ["text_retained", "pixels_hidden"]}


@pytest.mark.parametrize("policy", sorted(EXPECTED_FAILURES))
def test_only_the_expected_checks_fail_without_ocr(tmp_path, policy):
    summary, details, _ = _redact_and_score(tmp_path, policy=policy)
    failed = failed_checks(details)
    assert list(failed["action"]) == EXPECTED_FAILURES[policy], failed.to_string()
    assert _percent(summary) >= 89.0, summary.to_string()
    assert _percent(summary, "text_removed") == 100.0
    assert _percent(summary, "date_shifted") == 100.0  # shifted (research) or emptied (basic)
    assert _percent(summary, "pixels_retained") == 100.0  # B had no box: its pixels are byte-identical


def test_every_check_passes_with_the_keys_box(tmp_path):
    """The key's box given as ``boxes=`` (as a known layout would be): everything passes."""
    boxes = midib_truth(KEY, FIXTURE / "original")
    boxes = boxes[boxes["source"] == "pixel"]
    assert len(boxes) == 1
    summary, details, _ = _redact_and_score(tmp_path, boxes=boxes)
    assert _percent(summary) == 100.0, failed_checks(details).to_string()
