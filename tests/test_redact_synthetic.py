"""Issue 5's acceptance numbers on synthetic data with a known truth, one file of every kind.

Redaction is given the truth's pixel boxes (``boxes=``) with OCR off: fast, deterministic,
and a test of redaction itself rather than of OCR. The measurements are the ones
``phidetect measure-redaction`` prints (phidetect.measure.redaction defines each criterion); an OCR run
at the end checks the realistic path against numbers measured with that script.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pydicom
import pytest
from conftest import fingerprint, write_dicom
from pydicom.uid import UID_dictionary

import phidetect
import phidetect.measure as measure
from phidetect.datasets.synthetic import generate
from phidetect.dicom.elements import iter_elements
from phidetect.redact import Policy, UidMapper, redact
from phidetect.redact.resolve import last_tag
from phidetect.redact.uids import names_a_kind

SEED, N = 11, 19  # 19 consecutive files hold every kind


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """(input folder, truth, tags-only findings of the inputs, input fingerprint)."""
    root = tmp_path_factory.mktemp("synth") / "in"
    truth = generate(root, N, SEED)
    findings = pd.DataFrame(phidetect.scan(root, workers=1, progress=False))
    return root, truth, findings, fingerprint(root)


def _run(synthetic, tmp_path_factory, name: str, policy: str, *, truth_spans: bool = False):
    """One measured run with the truth boxes; ``truth_spans``: the truth's tag rows are
    given as findings too (what redaction does when detection misses nothing)."""
    root, truth, findings, _ = synthetic
    out = tmp_path_factory.mktemp(name) / "out"
    extra = truth.assign(confidence=1.0, rule="truth") if truth_spans else None
    return measure.measure_run(name, root, out, truth, findings, ocr=False, boxes=truth, findings=extra,
                               policy=Policy.preset(policy), workers=1), out


@pytest.fixture(scope="module")
def research(synthetic, tmp_path_factory):
    return _run(synthetic, tmp_path_factory, "research", "research")


@pytest.fixture(scope="module")
def basic(synthetic, tmp_path_factory):
    return _run(synthetic, tmp_path_factory, "basic", "basic")


@pytest.fixture(scope="module")
def research_truth_spans(synthetic, tmp_path_factory):
    return _run(synthetic, tmp_path_factory, "spans", "research", truth_spans=True)


def _leaks(run) -> pd.DataFrame:
    spans = run.spans
    return spans[spans["residual"] & ~spans["kept_by_policy"]]


def test_every_kind_is_covered_and_written(synthetic, research):
    run, _ = research
    assert run.files == N
    assert run.validity["written"].all()


def test_no_required_header_phi_left_under_basic(basic):
    run, _ = basic
    assert len(run.spans) > 300
    assert _leaks(run).empty, _leaks(run).to_string()
    assert not run.spans["kept_by_policy"].any()  # basic keeps no device identity
    assert run.residual.empty, pd.DataFrame(run.residual).to_string()


def test_no_required_header_phi_left_when_every_span_is_known(research_truth_spans):
    """Redaction removes every span it is told about, at any depth, in every VR."""
    run, _ = research_truth_spans
    assert _leaks(run).empty, _leaks(run).to_string()


def test_research_leaks_only_what_detection_misses_in_free_text(research):
    """Under ``research`` descriptors are kept minus the spans detection finds: what it
    misses there stays (docs/redaction.md, Limitations). Whole-value identifiers never leak."""
    run, _ = research
    leaks = _leaks(run)
    policy = Policy.preset("research")
    actions = {policy.action_for(last_tag(p)) for p in leaks["tag_path"]}
    assert actions <= {"C"}, leaks.to_string()
    assert len(leaks) <= 0.01 * len(run.spans), leaks.to_string()
    kept = run.spans[run.spans["kept_by_policy"]]
    assert set(kept["keyword"]) <= {"StationName", "DeviceSerialNumber"}  # Retain Device Identity
    rescan = set(zip(run.residual["file"], run.residual["tag_path"], strict=True))
    assert rescan <= set(zip(leaks["file"], leaks["tag_path"], strict=True))  # the rescan flags only leaks


def test_every_truth_box_is_blanked_in_every_frame(research):
    run, _ = research
    assert len(run.boxes) >= 40 and run.boxes["frame"].max() >= 2
    assert run.boxes["blanked"].all(), run.boxes[~run.boxes["blanked"]].to_string()
    assert run.numbers["(b) pixels outside truth boxes unchanged %"] == 100.0


def test_untouched_non_phi_elements_stay_byte_for_byte(research, basic):
    for run, _ in (research, basic):
        compared = run.elements[run.elements["excluded"] == ""]
        assert len(compared) >= 200
        share = compared["unchanged"].astype(bool).mean()
        assert share >= 0.99, compared[~compared["unchanged"].astype(bool)].to_string()


def test_outputs_are_valid_with_the_input_shape(research):
    run, _ = research
    bad = run.validity[~(run.validity["readable"] & run.validity["same_shape"])]
    assert bad.empty, bad.to_string()


def test_inputs_are_unchanged(synthetic, research, basic):
    root, *_, before = synthetic
    assert research[0].numbers["(e) inputs unchanged"] and basic[0].numbers["(e) inputs unchanged"]
    assert fingerprint(root) == before


def _uids(path: Path) -> dict[str, str]:
    """Instance UIDs by tag_path (class and syntax UIDs name a kind of thing: kept)."""
    return {e.tag_path: e.text for e in iter_elements(pydicom.dcmread(path))
            if e.vr == "UI" and not names_a_kind(e.tag) and e.text not in UID_dictionary}


def test_uids_map_one_to_one_everywhere(synthetic, research):
    """Every instance UID at any depth (file meta, references in sequences) becomes the
    run's keyed UID: one original, one replacement, across all files."""
    root, *_ = synthetic
    run, out = research
    mapper, pairs = UidMapper(measure.SECRET), {}
    for file in run.validity["file"]:
        before, after = _uids(root / file), _uids(out / file)
        for path in before.keys() & after.keys():
            pairs.setdefault(before[path], set()).add(after[path])
    assert len(pairs) > 3 * N
    assert all(len(new) == 1 for new in pairs.values())
    new = [next(iter(v)) for v in pairs.values()]
    assert len(set(new)) == len(new)
    assert all(mapper.map(old) == next(iter(v)) for old, v in pairs.items())


def test_files_of_one_study_share_the_new_study_uid(synthetic, tmp_path):
    """Three files put into one study and one patient: one new Study UID, one date shift."""
    root, *_ = synthetic
    study = tmp_path / "study"
    study.mkdir()
    files = sorted(p for p in root.rglob("*.dcm") if "_rle" not in p.name)[:3]
    for index, path in enumerate(files):
        ds = pydicom.dcmread(path)
        ds.StudyInstanceUID, ds.PatientID, ds.StudyDate = "2.25.4242", "P-1", "20200101"
        ds.PatientName = "Roe^Richard"
        ds.save_as(study / f"{index}.dcm")
    result = redact(study, tmp_path / "out", secret=measure.SECRET, ocr=False, workers=1, progress=False)
    copies = [pydicom.dcmread(p) for p in result.files["output"]]
    assert {c.StudyInstanceUID for c in copies} == {UidMapper(measure.SECRET).map("2.25.4242")}
    assert len({c.StudyDate for c in copies}) == 1 and copies[0].StudyDate != "20200101"
    assert len({c.SOPInstanceUID for c in copies}) == 3


def test_values_without_phi_are_written_back_as_they_were(tmp_path):
    """Byte for byte means the raw bytes: a kept description of blanks stays blanks (pydicom
    would write a decoded "" back as nothing if redaction decoded it)."""
    write_dicom(tmp_path / "in" / "a.dcm", ImageComments="  ", StudyDescription="CT HEAD ", Manufacturer="  ")
    result = redact(tmp_path / "in", tmp_path / "out", secret="k", ocr=False, workers=1, progress=False)
    before = pydicom.dcmread(tmp_path / "in" / "a.dcm")
    after = pydicom.dcmread(result.files["output"].iloc[0])
    for keyword in ("ImageComments", "StudyDescription", "Manufacturer"):
        tag = pydicom.datadict.tag_for_keyword(keyword)
        assert after.get_item(tag).value == before.get_item(tag).value, keyword


#: Measured with phidetect measure-redaction (easyocr, seed 11, n 19: 97.4 % of box x frame
#: rows blanked, 94.06 % of pixels outside the truth boxes unchanged; with --phi-words-only
#: 66.2 % and 99.32 %); asserted with margin.
OCR_BOXES_BLANKED = 92.0
OCR_OUTSIDE_UNCHANGED = 90.0


@pytest.mark.ocr
@pytest.mark.slow
def test_ocr_redaction_blanks_most_truth_boxes(synthetic, tmp_path):
    """The realistic path: OCR finds the burned-in text; most truth boxes end up blank and
    little else is blacked out. Headers are as with truth boxes (OCR does not touch them)."""
    pytest.importorskip("easyocr")
    root, truth, findings, before = synthetic
    run = measure.measure_run("ocr", root, tmp_path / "out", truth, findings, ocr="easyocr", boxes=None,
                              policy=Policy.preset("research"), workers=1)
    numbers = run.numbers
    missed = run.boxes[~run.boxes["blanked"]]
    assert numbers["(b) boxes blanked % (box x frame)"] >= OCR_BOXES_BLANKED, missed.to_string()
    assert numbers["(b) pixels outside truth boxes unchanged %"] >= OCR_OUTSIDE_UNCHANGED
    assert (run.validity["readable"] & run.validity["same_shape"]).all()
    assert fingerprint(root) == before
    shutil.rmtree(tmp_path / "out")
