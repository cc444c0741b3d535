"""TCIA Pseudo-PHI-DICOM-Data: NBIA layout + crosswalks -> truth derived from the curated copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pydicom
import pytest

from phidetect.datasets.midib import load_mapping
from phidetect.datasets.pseudo_phi import (
    diff_truth,
    find_crosswalk,
    identity_truth,
    pseudo_phi_truth,
    read_nbia_metadata,
)
from phidetect.evaluate import TRUTH_COLUMNS

FIXTURE = Path(__file__).parent / "data" / "fixtures" / "pseudo_phi"
SAMPLES = Path(__file__).parent / "data" / "pseudo-phi-samples"


def _by_keyword(truth):
    return {k: g for k, g in truth.groupby("keyword")}


def test_truth_from_the_curated_copy():
    truth = pseudo_phi_truth(FIXTURE / "evaluation")  # finds "de-identified" beside it and the crosswalk above
    assert list(truth.columns) == list(TRUTH_COLUMNS)
    assert truth["file"].str.endswith(("1-01.dcm", "1-02.dcm")).all() and truth["file"].nunique() == 2
    one = truth[truth["file"].str.endswith("1-01.dcm")]
    rows = {r.keyword: r for r in one.itertuples()}
    assert rows["PatientName"].phi_type == "NAME" and rows["PatientName"].required
    assert (rows["PatientID"].text, rows["PatientID"].start, rows["PatientID"].end) == ("292821506", 0, 9)
    description = rows["StudyDescription"]
    assert (description.text, description.start, description.end, description.phi_type) == (
        "Douglas Davidson", 25, 41, "NAME")
    assert rows["StudyDate"].phi_type == "DATE" and rows["PatientBirthDate"].required  # emptied
    for keyword in ("InstitutionAddress", "ReferringPhysicianName", "AccessionNumber"):  # removed, PS3.15-listed
        assert rows[keyword].required
    assert rows["SOPInstanceUID"].phi_type == "UID" and not rows["SOPInstanceUID"].required
    # bookkeeping, unchanged values and private creators are not truth; a removed private value is optional
    assert not {"PatientIdentityRemoved", "InstitutionName", "Manufacturer", "TransferSyntaxUID"} & set(rows)
    private = one[one["tag_path"].str.startswith("(0019,")]
    assert private["tag_path"].tolist() == ["(0019,1010)"] and not private["required"].any()


def test_uids_required_and_explicit_arguments():
    crosswalk = load_mapping(FIXTURE / "Pseudo-PHI-DICOM-Dataset-uid_crosswalk.csv")
    assert crosswalk["2.25.500.1"] == "1.3.6.1.4.1.14519.5.2.1.8700.9668.1"
    truth = pseudo_phi_truth(FIXTURE / "evaluation", FIXTURE / "de-identified", crosswalk, uids_required=True)
    assert truth[truth["phi_type"] == "UID"]["required"].all()
    patients = load_mapping(FIXTURE / "Pseudo-PHI-DICOM-Dataset-patid_crosswalk.csv")
    assert patients == {"292821506": "Pseudo-PHI-001"}


def test_nbia_metadata():
    table = read_nbia_metadata(FIXTURE / "evaluation")
    assert table.loc[0, "Series UID"] == "2.25.510"
    assert Path(table.loc[0, "folder"]).is_dir()
    with pytest.raises(FileNotFoundError, match="no metadata.csv"):
        read_nbia_metadata(FIXTURE / "evaluation" / "manifest-1617826555824" / "Pseudo-PHI-DICOM-Data")


def test_unpaired_files_and_missing_crosswalk(tmp_path):
    root = tmp_path / "set"
    shutil.copytree(FIXTURE / "evaluation", root / "evaluation")
    shutil.copytree(FIXTURE / "de-identified", root / "de-identified")
    with pytest.raises(FileNotFoundError, match="uid_crosswalk"):
        pseudo_phi_truth(root / "evaluation")
    lines = (FIXTURE / "Pseudo-PHI-DICOM-Dataset-uid_crosswalk.csv").read_text().splitlines()
    (root / "Pseudo-PHI-DICOM-Dataset-uid_crosswalk.csv").write_text(
        "\n".join(line for line in lines if not line.startswith("2.25.500.2")) + "\n")
    assert find_crosswalk(root / "evaluation").name == "Pseudo-PHI-DICOM-Dataset-uid_crosswalk.csv"
    with pytest.warns(UserWarning, match="1 file\\(s\\) have no curated copy"):
        truth = pseudo_phi_truth(root / "evaluation")
    assert truth["file"].nunique() == 1
    (root / "bad.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="bad.csv: expected columns"):
        pseudo_phi_truth(root / "evaluation", uid_crosswalk=root / "bad.csv")


def test_diff_truth_whole_value_when_little_is_kept():
    before = pydicom.dcmread(SAMPLES / "2_ORIGINAL.dcm", stop_before_pixels=True)
    after = pydicom.dcmread(SAMPLES / "2_ORIGINAL.dcm", stop_before_pixels=True)
    after.PatientID = "Pseudo-PHI-067"
    after.StudyDescription = "XR CHEST AP PORTABLE"
    del after.ReferringPhysicianTelephoneNumbers
    rows = {r["keyword"]: r for r in diff_truth(before, after, "2_ORIGINAL.dcm")}
    assert set(rows) == {"PatientID", "StudyDescription", "ReferringPhysicianTelephoneNumbers"}
    assert (rows["PatientID"]["start"], rows["PatientID"]["end"]) == (0, 10)
    assert rows["StudyDescription"]["text"] == "Scott Kaufman"
    assert rows["ReferringPhysicianTelephoneNumbers"]["phi_type"] == "PHONE"


def test_identity_truth_finds_the_name_in_free_text():
    ds = pydicom.dcmread(SAMPLES / "2_ORIGINAL.dcm", stop_before_pixels=True)
    truth = identity_truth(ds, {"NAME": ["KAUFMAN^SCOTT"], "DATE": ["19430722"]}, "2_ORIGINAL.dcm")
    found = {(r.tag_path, r.text) for r in truth.itertuples()}
    assert found == {("(0010,0010)", "KAUFMAN^SCOTT"), ("(0008,1030)", "Scott Kaufman"),
                     ("(0010,0030)", "19430722")}
