"""The command line: exit codes, output files, summary, progress."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest
from conftest import SAMPLES, fingerprint, write_dicom

import phidetect
from phidetect.cli import main
from phidetect.output import read_table


def run(capsys, *args):
    code = main(["scan", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def clean_file(tmp_path):
    """A DICOM file with nothing identifying (its UIDs score under the default 0.5)."""
    return write_dicom(tmp_path / "clean" / "phantom.dcm", Modality="CT", StudyDescription="QA PHANTOM")


def test_clean_file_exits_0(capsys, clean_file):
    assert run(capsys, clean_file, "--no-progress")[0] == 0


def test_phi_exits_1_and_names_unreadable_files(capsys):
    code, _, err = run(capsys, SAMPLES, "--no-progress")
    assert code == 1
    assert "README.md" in err and "ground_truth.json" in err  # each unreadable file named on stderr


def test_summary_goes_to_the_current_stdout(capsys, clean_file):
    """The summary is printed to sys.stdout as it is at call time (redirects, capsys)."""
    _, out, _ = run(capsys, SAMPLES, "--no-progress")
    assert "files scanned: 6" in out and "FAIL" in out
    for phi_type in ("NAME", "DATE", "ID", "ADDRESS", "PHONE", "INSTITUTION"):
        assert phi_type in out
    assert "files with errors: 2" in out
    _, out, _ = run(capsys, clean_file, "--no-progress")
    assert "files scanned: 1" in out and "PASS" in out and "FAIL" not in out


def test_fail_on_threshold(capsys):
    """--fail-on 1.0: nothing is that sure, exit 0; --fail-on 0.3 still 1."""
    assert run(capsys, SAMPLES, "--no-progress", "--fail-on", "1.0")[0] == 0
    assert run(capsys, SAMPLES, "--no-progress", "--fail-on", "0.3")[0] == 1


@pytest.mark.parametrize("args", [
    ["--bogus"],
    ["--fail-on", "3"],
    ["--fail-on", "-0.1"],
    ["--min-confidence", "2"],
    ["--workers", "0"],
    ["--out", "findings.txt"],
    ["--resume"],
])
def test_usage_errors_exit_2(capsys, tmp_path, args):
    args = [str(tmp_path / a) if a.startswith("findings") else a for a in args]
    code, out, err = run(capsys, SAMPLES, "--no-progress", *args)
    assert code == 2 and err.strip()
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("argv", [[], ["scan"], ["frobnicate", "x"]])
def test_missing_command_or_path_exits_2(capsys, argv):
    assert main(argv) == 2
    assert capsys.readouterr().err.strip()


def test_unwritable_output_exits_2(capsys, tmp_path):
    """--out onto a folder, or below a regular file: exit 2 with a message, no traceback."""
    (tmp_path / "taken.csv").mkdir()
    (tmp_path / "plain").write_text("x")
    for out in (tmp_path / "taken.csv", tmp_path / "plain" / "f.parquet"):
        code, _, err = run(capsys, SAMPLES, "--no-progress", "--out", out)
        assert code == 2 and "cannot write" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain", "taken.csv"]
    assert list((tmp_path / "taken.csv").iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder_exits_2(capsys, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        assert run(capsys, SAMPLES, "--no-progress", "--out", locked / "f.csv")[0] == 2
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_out_writes_findings_and_errors(capsys, tmp_path, suffix):
    """--out FILE.parquet|csv: the findings table, and FILE.errors.csv beside it."""
    out = tmp_path / "res" / f"findings{suffix}"
    assert run(capsys, SAMPLES, "--no-progress", "--out", out)[0] == 1
    expected = phidetect.scan(SAMPLES, workers=1, progress=False)
    table = read_table(out)
    assert list(table.columns) == list(phidetect.COLUMNS)
    assert len(table) == len(expected)
    assert table.text.tolist() == expected.text.tolist()
    assert table.start.tolist() == expected.start.tolist()
    errors = pd.read_csv(tmp_path / "res" / "findings.errors.csv")
    assert list(errors.columns) == ["file", "kind", "error"]
    assert sorted(errors.file) == ["README.md", "ground_truth.json"]
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([out.name, "findings.errors.csv"])


def test_out_errors_file_written_when_no_errors(capsys, tmp_path, clean_file):
    out = tmp_path / "f.csv"
    assert run(capsys, clean_file, "--no-progress", "--out", out)[0] == 0
    assert list(pd.read_csv(tmp_path / "f.errors.csv").columns) == ["file", "kind", "error"]
    assert len(read_table(out)) == 2  # the two UIDs, under the threshold


def test_min_confidence_applies_to_output(capsys, tmp_path):
    out = tmp_path / "strong.parquet"
    run(capsys, SAMPLES, "--no-progress", "--min-confidence", "0.95", "--out", out)
    table = read_table(out)
    assert len(table) > 10 and (table.confidence >= 0.95).all()


def test_progress_bar_only_without_no_progress(capsys, clean_file):
    _, _, with_bar = run(capsys, clean_file)
    _, _, quiet = run(capsys, clean_file, "--no-progress")
    assert "phidetect scan" in with_bar
    assert quiet == ""


def test_cli_leaves_inputs_untouched(capsys, tmp_path):
    before = fingerprint(SAMPLES)
    run(capsys, SAMPLES, "--no-progress", "--out", tmp_path / "f.parquet", "--workers", "2")
    assert fingerprint(SAMPLES) == before


def test_installed_entry_point_in_a_subprocess(tmp_path):
    """`python -m phidetect` in a fresh process: exit 1, summary on stdout, files written;
    the installed `phidetect` script: exit 2 on a bad option."""
    before = fingerprint(SAMPLES)
    out = tmp_path / "f.csv"
    done = subprocess.run([sys.executable, "-m", "phidetect", "scan", str(SAMPLES), "--no-progress",
                           "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "files scanned: 6" in done.stdout and "FAIL" in done.stdout
    assert out.exists() and (tmp_path / "f.errors.csv").exists()
    assert fingerprint(SAMPLES) == before
    script = os.path.join(os.path.dirname(sys.executable), "phidetect")
    if os.path.exists(script):
        usage = subprocess.run([script, "scan", str(SAMPLES), "--fail-on", "3"], capture_output=True,
                               text=True, timeout=120)
        assert usage.returncode == 2 and "fail-on" in usage.stderr


def test_missing_path_is_a_usage_error(tmp_path, capsys) -> None:
    """A mistyped path must not let a sweep pass: exit 2, and the path is named."""
    from phidetect.cli import main

    missing = tmp_path / "no-such-folder"
    assert main(["scan", str(missing), "--no-progress"]) == 2
    assert "no-such-folder" in capsys.readouterr().err


@pytest.mark.ocr
@pytest.mark.parametrize("engine", ["easyocr", "tesseract"])
def test_ocr_sweep_finds_burned_in_phi(tmp_path, engine) -> None:
    """`phidetect scan --ocr` on a real ultrasound: pixel rows with boxes, exit 1."""
    import shutil

    import pandas as pd

    from phidetect.cli import main
    from phidetect.datasets.packaged import deid_ultrasounds

    if engine == "tesseract" and shutil.which("tesseract") is None:
        pytest.skip("Debian's tesseract-ocr is not installed")
    image = next(p for p in deid_ultrasounds() if p.name == "RGB_IMAGE.dcm")
    out = tmp_path / "found.csv"
    code = main(["scan", str(image), "--ocr", "--ocr-engine", engine, "--out", str(out), "--no-progress"])
    table = pd.read_csv(out, keep_default_na=False)
    pixel = table[table["source"] == "pixel"]
    assert code == 1
    assert (pixel["width"] > 0).all() and (pixel["frame"] == 0).all()
    assert pixel["rule"].str.endswith(f"ocr.{engine}").all()
    assert pixel["text"].str.contains("120907058").any()


def test_a_header_scan_does_not_load_other_commands_dask_or_ocr(tmp_path, clean_file) -> None:
    """Start-up is part of a sweep's cost: the scan command imports its own module only,
    neither redaction nor evaluation (the package's names load on first use), and neither
    Dask nor the OCR stack."""
    probe = ("import sys\nfrom phidetect.cli import main\n"
             f"code = main(['scan', {str(clean_file)!r}, '--workers', '1', '--no-progress', "
             f"'--out', {str(tmp_path / 'f.parquet')!r}])\n"
             "loaded = [m for m in ('phidetect.commands.redact_command', 'phidetect.commands.measure_command', "
             "'phidetect.datasets.midib', 'phidetect.redact', 'phidetect.evaluate', 'dask', 'torch', 'cv2') "
             "if m in sys.modules]\n"
             "print(code, loaded)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout + done.stderr


def test_help_lists_every_command(capsys) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("scan", "redact", "evaluate", "report", "synth", "measure-redaction"):
        assert command in out


def test_the_package_names_are_its_functions_even_after_their_modules_load() -> None:
    """phidetect.scan, .redact and .evaluate are functions and modules: importing the
    modules (as the scan itself does) must not put a module where the function was."""
    probe = ("import phidetect, phidetect.scan, phidetect.redact.run, phidetect.evaluate\n"
             "print(all(callable(f) and not isinstance(f, type(phidetect)) for f in "
             "(phidetect.scan, phidetect.redact, phidetect.evaluate)), phidetect.Policy.__name__)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert done.stdout.strip() == "True Policy", done.stdout + done.stderr
