"""The linkage map (``redact(map_out=...)``, ``--map-out``): one row per input, holding
the values the redaction itself wrote (read back from the copies here), the same under
the same secret, written atomically, never inside OUT unless asked. Real packaged files
first, then synthetic ones."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pandas as pd
import pydicom
import pytest
from conftest import fingerprint, write_dicom
from pydicom.data import get_testdata_file
from test_redact_cli import run as run_cli

from phidetect.copy_audit.pairing import read_uid_map
from phidetect.redact import redact
from phidetect.redact.dates import patient_key, shift_days, shift_value
from phidetect.redact.linkage import IDENTITY_KEYWORDS, LINK_COLUMNS, read_map

SECRET = "linkage secret"
PYDICOM_FILES = ("CT_small.dcm", "MR_small.dcm", "rtdose.dcm", "JPEG2000.dcm", "SC_rgb.dcm")


def _run(source: Path, out: Path, **options):
    options.setdefault("secret", SECRET)
    return redact(source, out, ocr=False, workers=1, progress=False, **options)


@pytest.fixture(scope="module")
def real_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("link") / "in"
    for index, name in enumerate(PYDICOM_FILES):
        path = get_testdata_file(name)
        assert path is not None, name
        (root / f"study{index % 2}").mkdir(parents=True, exist_ok=True)
        shutil.copy(path, root / f"study{index % 2}" / name)
    (root / "notes.txt").write_text("not DICOM")
    return root


@pytest.fixture(scope="module")
def mapped(real_tree, tmp_path_factory):
    before = fingerprint(real_tree)
    base = tmp_path_factory.mktemp("link-out")
    result = _run(real_tree, base / "out", map_out=base / "map.csv")
    return real_tree, base, result, before


def test_one_row_per_input_with_the_copies_actual_values(mapped):
    source, base, result, _ = mapped
    table = read_map(base / "map.csv")
    assert list(table.columns) == list(LINK_COLUMNS)
    assert sorted(table["original_path"]) == sorted(result.files["input"]) and len(table) == len(PYDICOM_FILES) + 1
    written = table[table["status"] == "written"]
    assert len(written) == len(PYDICOM_FILES)
    for row in written.itertuples():
        original = pydicom.dcmread(source / row.original_path, stop_before_pixels=True)
        copy = pydicom.dcmread(base / "out" / row.copy_path, stop_before_pixels=True)
        for name, keyword in IDENTITY_KEYWORDS.items():
            assert getattr(row, f"original_{name}") == str(original.get(keyword, "") or ""), (row.original_path, name)
            assert getattr(row, f"new_{name}") == str(copy.get(keyword, "") or ""), (row.original_path, name)
        assert row.new_sop_instance_uid != row.original_sop_instance_uid
        # the shift the copy's dates moved by: the one dates.py keys on the patient
        assert row.date_shift_days == shift_days(SECRET.encode(), patient_key(original))
        if original.get("StudyDate"):
            assert copy.StudyDate == shift_value("DA", original.StudyDate, int(row.date_shift_days))
    skipped = table.set_index("original_path").loc["notes.txt"]
    assert skipped["status"] == "skipped" and skipped["copy_path"] == "" and "not a DICOM" in skipped["error"]
    assert result.linkage.equals(table)


def test_inputs_never_modified(mapped):
    source, _, _, before = mapped
    assert fingerprint(source) == before


def test_same_secret_same_map(mapped, tmp_path):
    source, base, _, _ = mapped
    _run(source, tmp_path / "elsewhere", map_out=tmp_path / "map.csv")
    assert (tmp_path / "map.csv").read_bytes() == (base / "map.csv").read_bytes()
    _run(source, tmp_path / "other", secret="another secret", map_out=tmp_path / "other.csv")
    other = read_map(tmp_path / "other.csv")
    assert not other["new_sop_instance_uid"].equals(read_map(base / "map.csv")["new_sop_instance_uid"])


def test_map_readable_by_its_owner_only_and_by_audit(mapped):
    _, base, result, _ = mapped
    assert stat.S_IMODE(os.stat(base / "map.csv").st_mode) == 0o600
    pairs = read_uid_map(base / "map.csv")  # phidetect audit --map reads the first two columns
    written = result.linkage[result.linkage["status"] == "written"]
    assert pairs == dict(zip(written["original_sop_instance_uid"], written["new_sop_instance_uid"], strict=True))


def test_parquet_map_and_workers(real_tree, tmp_path):
    """Two worker processes: each row's values come back to the parent with its result."""
    result = redact(real_tree, tmp_path / "out", ocr=False, workers=2, progress=False, secret=SECRET,
                    map_out=tmp_path / "map.parquet")
    table = read_map(tmp_path / "map.parquet")
    assert table.equals(result.linkage)
    assert (table["status"] == "written").sum() == len(PYDICOM_FILES)
    assert table.loc[table["status"] == "written", "new_sop_instance_uid"].str.startswith("2.25.").all()


def test_map_refused_inside_output_unless_asked(real_tree, tmp_path):
    with pytest.raises(ValueError, match="must not lie inside the output folder"):
        _run(real_tree, tmp_path / "out", map_out=tmp_path / "out" / "map.csv")
    assert not (tmp_path / "out").exists()  # refused before anything was written
    _run(real_tree, tmp_path / "out", map_out=tmp_path / "out" / "map.csv", map_inside_output=True)
    assert (tmp_path / "out" / "map.csv").is_file()


def test_map_refused_inside_input_and_over_an_existing_map(real_tree, tmp_path):
    with pytest.raises(ValueError, match="inside the input"):
        _run(real_tree, tmp_path / "out", map_out=real_tree / "map.csv")
    (tmp_path / "map.csv").write_text("an earlier release's map")
    with pytest.raises(ValueError, match="exists"):
        _run(real_tree, tmp_path / "out", map_out=tmp_path / "map.csv")
    assert (tmp_path / "map.csv").read_text() == "an earlier release's map"
    with pytest.raises(ValueError, match=r"\.csv or \.parquet"):
        _run(real_tree, tmp_path / "out", map_out=tmp_path / "map.txt")


def test_atomic_write_leaves_no_partial_map(real_tree, tmp_path, monkeypatch):
    def fail_halfway(frame, path, **kwargs):
        Path(path).write_text("original_sop_instance_uid,new_sop")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail_halfway)
    with pytest.raises(OSError, match="cannot write the linkage map"):
        _run(real_tree, tmp_path / "out", map_out=tmp_path / "maps" / "map.csv")
    assert list((tmp_path / "maps").iterdir()) == []


def test_failed_files_listed_not_dropped(tmp_path):
    source = tmp_path / "in"
    write_dicom(source / "good.dcm", PatientName="Quimby^Ernestine", PatientID="QX778812", StudyDate="20190314")
    broken = write_dicom(source / "broken.dcm", PatientName="Hadley^Rosalind", PatientID="QX991203")
    broken.write_bytes(broken.read_bytes()[:300])
    os.mkfifo(source / "pipe")
    (tmp_path / "out").mkdir()
    write_dicom(tmp_path / "out" / "taken.dcm")  # an existing copy: not replaced
    write_dicom(source / "taken.dcm", PatientID="QX000001")
    result = _run(source, tmp_path / "out", map_out=tmp_path / "map.csv")
    table = read_map(tmp_path / "map.csv").set_index("original_path")
    assert set(table.index) == {"good.dcm", "broken.dcm", "pipe", "taken.dcm"}
    assert table.loc["good.dcm", "status"] == "written" and table.loc["good.dcm", "original_patient_id"] == "QX778812"
    assert table.loc["good.dcm", "new_patient_id"] == ""  # Patient ID is emptied (Z) by the profile
    assert table.loc["broken.dcm", "status"] == "error" and table.loc["broken.dcm", "error"]
    assert table.loc["pipe", "status"] == "error" and "not a regular file" in table.loc["pipe", "error"]
    assert table.loc["taken.dcm", "status"] == "exists"
    assert (table.loc[table["status"] != "written", "copy_path"] == "").all()
    assert pd.isna(table.loc["broken.dcm", "date_shift_days"])
    assert len(result.linkage) == 4


def test_dates_not_shifted_leave_the_shift_empty(tmp_path):
    write_dicom(tmp_path / "in" / "a.dcm", PatientID="QX778812", StudyDate="20190314")
    result = _run(tmp_path / "in", tmp_path / "out", policy="basic")
    assert pd.isna(result.linkage.loc[0, "date_shift_days"])


def test_cli_map_out(real_tree, tmp_path, capsys):
    code, out, err = run_cli(capsys, real_tree, tmp_path / "out", "--no-ocr", "--no-progress", "--workers", "1",
                             "--map-out", tmp_path / "map.csv")
    assert code == 0, out + err
    assert len(read_map(tmp_path / "map.csv")) == len(PYDICOM_FILES) + 1
    code, _, err = run_cli(capsys, real_tree, tmp_path / "out2", "--no-ocr", "--no-progress",
                           "--map-out", tmp_path / "out2" / "map.csv")
    assert code == 2 and "--map-inside-output" in err and not (tmp_path / "out2").exists()
    code, _, err = run_cli(capsys, real_tree, tmp_path / "out3", "--no-ocr", "--no-progress", "--workers", "1",
                           "--map-out", tmp_path / "out3" / "map.csv", "--map-inside-output")
    assert code == 0, err
    code, _, err = run_cli(capsys, real_tree, tmp_path / "out4", "--no-ocr", "--map-out", tmp_path / "map.txt")
    assert code == 2 and "--map-out" in err
