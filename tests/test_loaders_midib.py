"""MIDI-B: answer key and mappings, truth table, and the check-by-check scorer."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pydicom
import pytest

from phidetect.datasets.midib import (
    ACTIONS,
    checks,
    failed_checks,
    load_answer_key,
    load_mapping,
    midib_must_keep,
    midib_truth,
    score_midib,
    write_report,
)
from phidetect.datasets.midib.tags import parse_tag_ds
from phidetect.evaluate import TRUTH_COLUMNS, evaluate

FIXTURES = Path(__file__).parent / "data" / "fixtures"
MIDIB = FIXTURES / "midib"
KEY = MIDIB / "MIDI-B-Answer-Key-Fixture.db"
UIDS = MIDIB / "MIDI-B-UID-Mapping-Fixture.csv"
PATIDS = MIDIB / "MIDI-B-Patient-Mapping-Fixture.csv"


def _builder():
    spec = importlib.util.spec_from_file_location("build_fixtures", FIXTURES / "build_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_answer_key_one_row_per_check():
    key = load_answer_key(KEY)
    assert len(key) == 18 and set(key["action"]) == set(ACTIONS)
    assert key["PatientID"].eq("1234567").all()  # stored as INTEGER, read as text
    first = key.iloc[0]
    assert (first["action"], first["tag_ds"], first["value"], first["scope"]) == (
        "text_removed", "<(0010,0010)>", "DOE^JANE", "Instance")
    assert key[key["action"] == "text_removed"].iloc[1]["action_text"] == "Jane Doe"
    assert json.loads(first["category"])["hipaa"]["z"] == "HIPAA-A"
    assert key[key["tag_name"] == "Referring Physician's Name"]["scope"].tolist() == ["Series"]
    box = json.loads(key[key["action"] == "pixels_hidden"].iloc[0]["action_text"])
    assert box["top_left"] == [4, 4] and box["bottom_right"] == [40, 14]


def test_tag_ds_forms():
    assert parse_tag_ds("<(0008,103e)>")[0].element == 0x103E  # pydicom 2 wrote lower-case hex
    nested = parse_tag_ds("<(0040,0275)>[<0000>]<(0040,1001)>")
    assert [(s.group, s.element, s.item) for s in nested] == [(0x40, 0x275, 0), (0x40, 0x1001, None)]
    private = parse_tag_ds('<(0019,"SIEMENS CT VA0  COAD",92)>')[0]
    assert (private.creator, private.element) == ("SIEMENS CT VA0  COAD", 0x92)
    assert parse_tag_ds("(0010,0010)")[0].element == 0x10
    assert parse_tag_ds("PatientName") is None


def test_mappings():
    assert load_mapping(UIDS)["2.25.111"] == "2.25.911"
    assert load_mapping(PATIDS) == {"1234567": "MIDI_FIX_001"}


def test_perfect_redaction_scores_100_percent():
    summary, details = score_midib(KEY, MIDIB / "redacted_perfect", UIDS, PATIDS)
    assert summary.iloc[-1]["action"] == "ALL" and summary.iloc[-1]["checks"] == 19  # the series row covers A and C
    assert (summary["percent"] == 100.0).all(), failed_checks(details)
    assert set(summary["action"][:-1]) == set(ACTIONS)
    assert details["passed"].all() and (details["file"] != "").all()


def test_leaky_redaction_names_the_failing_checks(tmp_path):
    summary, details = score_midib(KEY, MIDIB / "redacted_leaky", UIDS, PATIDS)
    overall = summary.set_index("action")["percent"]
    assert overall["ALL"] < 100 and overall["tag_retained"] == 100
    failed = {(r.file.rsplit("/", 1)[-1], r.action, r.tag_ds) for r in failed_checks(details).itertuples()}
    assert failed == {
        ("1-A.dcm", "text_removed", "<(0010,0010)>"),
        ("1-A.dcm", "text_removed", "<(0008,1030)>"),
        ("1-A.dcm", "text_removed", '<(0019,"ACME PRIVATE",10)>'),  # found in another private block
        ("1-A.dcm", "date_shifted", "<(0008,0020)>"),
        ("1-A.dcm", "text_notnull", "<(0008,0070)>"),
        ("1-A.dcm", "pixels_hidden", ""),
        ("1-B.dcm", "pixels_retained", ""),
        ("1-C.dcm", "text_removed", "<(0008,0090)>"),  # the Series-scope row reaches file C
    }
    private = details[details["tag_ds"].str.contains("ACME")].iloc[0]
    assert private["tag_path"] == "(0019,1110)"
    assert "not blank" in details[details["action"] == "pixels_hidden"].iloc[0]["reason"]
    folder = write_report(summary, details, tmp_path / "report")
    assert pd.read_csv(folder / "summary.csv")["action"].iloc[-1] == "ALL"


def test_without_a_uid_mapping_renamed_files_are_missing():
    summary, details = score_midib(KEY, MIDIB / "redacted_perfect")
    assert (details["reason"] == "no de-identified file for this instance").all()
    kept = details["action"].isin(checks.RETAINING)
    assert not details[kept]["passed"].any() and details[~kept]["passed"].all()


def test_consistency_without_mapping():
    rows = [{"action": "uid_consistent", "expected": old, "found": new, "passed": None, "reason": "", "score": 0.0}
            for old, new in [("1.1", "9.1"), ("1.1", "9.1"), ("1.2", "9.2"), ("1.2", "9.3"), ("1.4", "1.4"),
                             ("1.5", "9.5"), ("1.6", "9.5")]]
    checks.consistency(rows)
    assert [r["passed"] for r in rows] == [True, True, False, False, False, False, False]
    assert rows[4]["reason"] == "value unchanged"


def test_strict_dates_and_uids():
    ds = pydicom.Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom warns about the invalid values this test needs
        ds.StudyDate, ds.StudyInstanceUID = "XXXXXXXX", "2.25.01"
    date = {"tag_ds": "<(0008,0020)>", "value": "20240131"}
    uid = {"tag_ds": "<(0020,000d)>", "value": "2.25.100"}
    assert checks.check_date_shifted(ds, date).passed
    assert not checks.check_date_shifted(ds, date, strict=True).passed
    assert not checks.check_uid_changed(ds, uid, strict=True).passed  # leading zero in a component
    ds.StudyDate, ds.StudyInstanceUID = "20240229", "2.25.7"
    assert checks.check_date_shifted(ds, date, strict=True).passed and checks.check_uid_changed(ds, uid, strict=True).passed


def test_pixels_hidden_rule_and_ocr():
    check = {"action_text": json.dumps({"text": "DOE JANE\nDOB: 01/31/2024 [F]", "top_left": [2, 2],
                                        "bottom_right": [12, 8]})}
    image = np.full((20, 20), 40, np.uint8)
    assert checks.check_pixels_hidden(image, check).passed
    image[3:7, 3:11:2] = 230
    assert not checks.check_pixels_hidden(image, check).passed
    assert checks.check_pixels_hidden(image, check, ocr=lambda crop: "").passed
    assert checks.check_pixels_hidden(image, check, ocr=lambda crop: "xx yy").passed
    assert not checks.check_pixels_hidden(image, check, ocr=lambda crop: "DOE JANE 01/31/2024").passed
    outside = {"action_text": json.dumps({"text": "X", "top_left": [50, 50], "bottom_right": [60, 60]})}
    assert checks.check_pixels_hidden(image, outside).reason == "box lies outside the image"


def test_validate_text_follows_the_script():
    assert checks.validate_text("12.0", "12", "retain") == (True, 1.0)
    assert checks.validate_text("CT CHEST", "CT CHEST for Jane Doe", "remove") == (False, 0.5)
    assert checks.validate_text("The patient's address is 1261 AR 72223",
                                "1261 Leawood Street, Little Rock AR 72223", "remove")[0] is False


def test_truth_table():
    truth = midib_truth(KEY, MIDIB / "original")
    assert list(truth.columns) == list(TRUTH_COLUMNS)
    rows = {(r.file.rsplit("/", 1)[-1], r.tag_path): r for r in truth.itertuples()}
    description = rows[("1-A.dcm", "(0008,1030)")]
    assert (description.text, description.start, description.end, description.phi_type) == ("Jane Doe", 13, 21, "NAME")
    assert rows[("1-A.dcm", "(0040,0275)[0].(0040,1001)")].text == "RP-JD-778"
    assert rows[("1-A.dcm", "(0019,1010)")].required
    assert rows[("1-C.dcm", "(0008,0090)")].phi_type == "NAME"  # the Series-scope row
    assert rows[("1-A.dcm", "(0010,0030)")].phi_type == "DATE"
    assert rows[("1-A.dcm", "(0010,0020)")].phi_type == "ID"
    assert not rows[("1-A.dcm", "(0020,000D)")].required and rows[("1-A.dcm", "(0020,000D)")].phi_type == "UID"
    pixel = truth[truth["source"] == "pixel"].iloc[0]
    assert (pixel.frame, pixel.x, pixel.y, pixel.width, pixel.height) == (0, 4, 4, 36, 10)
    assert ("1-A.dcm", "(0008,0060)") not in rows  # tag_retained: what must be kept is no truth
    assert midib_truth(KEY, MIDIB / "original", uids_required=True).query("phi_type == 'UID'")["required"].all()
    keep = midib_must_keep(KEY, MIDIB / "original")
    assert sorted(keep["action"]) == ["pixels_retained", "tag_retained", "text_notnull", "text_notnull",
                                      "text_retained"]


def test_truth_scores_perfect_findings_perfectly():
    truth = midib_truth(KEY, MIDIB / "original")
    findings = truth.drop(columns=["required"]).assign(sop_instance_uid="", vr="", confidence=1.0, rule="test")
    metrics = evaluate(findings, truth).metrics
    assert metrics.iloc[-1]["recall"] == 1.0 and metrics.iloc[-1]["fp"] == 0


def _copy_key(tmp_path: Path) -> Path:
    path = tmp_path / "key.db"
    shutil.copy(KEY, path)
    return path


def test_bad_answer_keys(tmp_path):
    with pytest.raises(FileNotFoundError, match="answer key not found"):
        load_answer_key(tmp_path / "nope.db")
    text = tmp_path / "key.txt"
    text.write_text("not a database")
    with pytest.raises(ValueError, match="key.txt: not an SQLite database"):
        load_answer_key(text)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE answers (a TEXT)").connection.commit()
    with pytest.raises(ValueError, match="other.db: no table 'answer_data' \\(tables: answers\\)"):
        load_answer_key(other)
    broken = _copy_key(tmp_path)
    with sqlite3.connect(broken) as db:
        db.execute("UPDATE answer_data SET AnswerData = '{oops' WHERE \"index\" = 1")
    with pytest.raises(ValueError, match="key.db: row 2: AnswerData is not JSON"):
        load_answer_key(broken)
    with sqlite3.connect(broken) as db:
        db.execute("UPDATE answer_data SET AnswerData = '{\"0\": {\"value\": \"x\"}}' WHERE \"index\" = 1")
    with pytest.raises(ValueError, match="row 2: check 0 has no 'action'"):
        load_answer_key(broken)
    (tmp_path / "map.csv").write_text("old,new\n1,2\n")
    with pytest.raises(ValueError, match="map.csv: expected columns 'id_old,id_new'"):
        load_mapping(tmp_path / "map.csv")
    with pytest.raises(FileNotFoundError, match="mapping file not found"):
        load_mapping(tmp_path / "none.csv")
    with pytest.raises(FileNotFoundError, match="folder not found"):
        score_midib(KEY, tmp_path / "no-such-folder")


def test_committed_fixtures_match_the_builder(tmp_path):
    _builder().build_all(tmp_path)
    pd.testing.assert_frame_equal(load_answer_key(tmp_path / "midib" / KEY.name), load_answer_key(KEY))
    for built in sorted((tmp_path / "midib").rglob("*")) + sorted((tmp_path / "pseudo_phi").rglob("*")):
        committed = FIXTURES / built.relative_to(tmp_path)
        if built.is_file() and built.suffix != ".db":
            assert committed.read_bytes() == built.read_bytes(), committed


def test_dict_mappings_and_a_licence_file(tmp_path):
    redacted = tmp_path / "redacted"
    shutil.copytree(MIDIB / "redacted_perfect", redacted)
    (redacted / "LICENSE").write_text("CC BY 4.0\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a licence beside the files is no DICOM and no warning
        summary, _ = score_midib(load_answer_key(KEY), redacted, load_mapping(UIDS), {"1234567": "MIDI_FIX_001"})
    assert summary.iloc[-1]["percent"] == 100.0
    (redacted / "notes.bin").write_bytes(b"\x00\x01junk")
    with pytest.warns(UserWarning, match="1 file\\(s\\) are not readable DICOM"):
        score_midib(KEY, redacted, UIDS, PATIDS)


def test_pixel_truth_on_every_frame():
    truth = midib_truth(KEY, MIDIB / "original", frames="all")
    assert (truth[truth["source"] == "pixel"]["frame"] == 0).all()  # single-frame file: one box
    with pytest.raises(ValueError, match="frames must be"):
        midib_truth(KEY, MIDIB / "original", frames="some")
