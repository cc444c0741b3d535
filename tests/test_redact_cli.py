"""``phidetect redact``: options to a policy, outputs, log, exit codes (the subcommand is
exercised through its own parser until phidetect.cli registers it)."""

from __future__ import annotations

import argparse
import importlib

import pydicom
import pytest
from conftest import SAMPLES, fingerprint, new_dataset, write_dicom

from phidetect.commands import redact_command
from phidetect.findings import Finding, findings_frame
from phidetect.output import read_table
from phidetect.result import Findings


def main(argv) -> int:
    parser = argparse.ArgumentParser(prog="phidetect")
    commands = parser.add_subparsers(dest="command", required=True)
    redact_command.add_parser(commands)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return args.run(args)


def run(capsys, *args):
    code = main(["redact", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_options_make_the_policy():
    parser = argparse.ArgumentParser()
    redact_command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["redact", "a", "b", "--policy", "basic", "--dates", "keep", "--private", "clean",
                              "--retain-device-identity", "--no-clean-descriptors"])
    policy = redact_command.policy_from(args)
    assert (policy.dates, policy.private, policy.retain_device_identity, policy.clean_descriptors) == \
        ("keep", "clean", True, False)
    assert policy.retain_patient_characteristics is False  # the preset's value


def test_samples_redacted_verified_and_logged(capsys, tmp_path):
    before = fingerprint(SAMPLES)
    secret = tmp_path / "secret.txt"
    secret.write_text("a long random secret\n")
    log, residual = tmp_path / "log.csv", tmp_path / "residual.csv"
    code, out, err = run(capsys, SAMPLES, tmp_path / "out", "--no-ocr", "--no-progress", "--verify",
                         "--secret-file", secret, "--log", log, "--residual", residual, "--workers", "1")
    assert code == 0, out + err
    assert "written 4" in out and "PASS" in out
    assert "README.md" in err  # skipped inputs are named
    table = read_table(log)
    assert set(table["status"]) == {"written", "skipped"}
    assert (tmp_path / "log.errors.csv").exists() and residual.exists()
    assert read_table(tmp_path / "log.boxes.csv").empty  # no OCR, no boxes given: nothing filled
    assert fingerprint(SAMPLES) == before
    again, _, _ = run(capsys, SAMPLES, tmp_path / "out2", "--no-ocr", "--no-progress", "--secret-file", secret)
    one = pydicom.dcmread(tmp_path / "out" / "2_ORIGINAL.dcm")
    two = pydicom.dcmread(tmp_path / "out2" / "2_ORIGINAL.dcm")
    assert one.SOPInstanceUID == two.SOPInstanceUID and one.StudyDate == two.StudyDate


def test_existing_outputs_exit_2(capsys, tmp_path):
    write_dicom(tmp_path / "in" / "a.dcm", new_dataset(PatientName="DOE^JOHN"))
    assert run(capsys, tmp_path / "in", tmp_path / "out", "--no-ocr", "--no-progress")[0] == 0
    code, _, err = run(capsys, tmp_path / "in", tmp_path / "out", "--no-ocr", "--no-progress")
    assert code == 2 and "exists" in err
    assert run(capsys, tmp_path / "in", tmp_path / "out", "--no-ocr", "--no-progress", "--overwrite")[0] == 0


def test_residual_phi_exits_1(capsys, tmp_path, monkeypatch):
    write_dicom(tmp_path / "in" / "a.dcm", new_dataset(PatientName="DOE^JOHN"))
    left = [Finding("a.dcm", "", "pixel", "NAME", "DOE", 0.8, "test", frame=0, x=1, y=2, width=3, height=4)]
    run_module = importlib.import_module("phidetect.redact.run")  # by module: phidetect.redact may be the function
    monkeypatch.setattr(run_module, "verify_copies",
                        lambda *a, **k: Findings.build(findings_frame(left), files_scanned=1))
    code, out, _ = run(capsys, tmp_path / "in", tmp_path / "out", "--no-ocr", "--no-progress", "--verify")
    assert code == 1 and "FAIL" in out and "a.dcm: frame 0 box 1,2,3x4 NAME" in out
    code, _, _ = run(capsys, tmp_path / "in", tmp_path / "out2", "--no-ocr", "--no-progress", "--verify",
                     "--fail-on", "0.9")
    assert code == 0


@pytest.mark.parametrize("args", [["--log", "x.txt"], ["--margin", "-1"], ["--fail-on", "2"]])
def test_usage_errors_exit_2(capsys, tmp_path, args):
    assert run(capsys, SAMPLES, tmp_path / "out", "--no-ocr", "--no-progress", *args)[0] == 2


def test_in_place_is_refused(capsys, tmp_path):
    write_dicom(tmp_path / "in" / "a.dcm", new_dataset())
    code, _, err = run(capsys, tmp_path / "in", tmp_path / "in", "--no-ocr", "--no-progress")
    assert code == 2 and "in place" in err
