"""The report of a sweep folder: the same summary as the table's report, sections for the
riskiest files only, a line each for the next, a count of the rest; its size bounded
whatever the sweep's, and it opens in a browser whose filter box finds a file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import phidetect
from phidetect.report import render_report, render_sweep_report, write_sweep_report
from phidetect.sweep import scan_to_folder

SAMPLES = Path(__file__).parent / "data" / "pseudo-phi-samples"


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> tuple[Path, Path]:
    """(input folder, sweep folder): 60 copies of the samples' headers, in parts of 8 files."""
    root = tmp_path_factory.mktemp("report-sweep")
    samples = sorted(SAMPLES.glob("*.dcm"))
    work = root / "in"
    work.mkdir()
    for index in range(60):
        shutil.copyfile(samples[index % len(samples)], work / f"f{index:03d}.dcm")
    scan_to_folder([work], root / "sweep", part_files=8, workers=1, progress=False)
    return work, root / "sweep"


def _cards(html: str) -> list[str]:
    return re.findall(r'<div class="card"><b>([^<]*)</b><span>([^<]*)</span>', html)


def test_a_sweep_report_says_what_the_table_report_says(sweep) -> None:
    work, folder = sweep
    table = phidetect.scan(work, workers=1, progress=False)
    from_table = render_report(table, root=work, max_thumbnails=0)
    from_folder = render_sweep_report(folder, root=work, max_thumbnails=0)
    assert _cards(from_folder) == _cards(from_table)
    for heading in ("By phi type", "By source", "By rule"):
        assert heading in from_folder
    assert from_folder.count('<details class="file') == from_table.count('<details class="file') == 60


def test_only_the_riskiest_files_get_sections_and_the_rest_is_counted(sweep) -> None:
    work, folder = sweep
    html = render_sweep_report(folder, root=work, max_thumbnails=0, detail_files=5, table_files=20)
    assert html.count('<details class="file') == 5
    assert len(re.findall(r"<table class=\"more-files\"", html)) == 1
    assert "35 more files with findings are not listed" in html and str(folder) in html
    small = len(html.encode())
    large = len(render_sweep_report(folder, root=work, max_thumbnails=0, detail_files=60).encode())
    assert small < large / 3  # the page grows with what is shown, not with the sweep


def test_the_report_command_reads_a_sweep_folder(sweep, tmp_path: Path) -> None:
    work, folder = sweep
    out = tmp_path / "report.html"
    done = subprocess.run([sys.executable, "-m", "phidetect", "report", str(folder), "--out", str(out),
                           "--root", str(work), "--detail-files", "3", "--max-thumbnails", "1"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert "FAIL: PHI found" in html and html.count('<details class="file') == 3
    not_a_sweep = subprocess.run([sys.executable, "-m", "phidetect", "report", str(work), "--out", str(out)],
                                 capture_output=True, text=True, timeout=300)
    assert not_a_sweep.returncode == 2 and "not a phidetect sweep folder" in not_a_sweep.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (apt-get install chromium)")
def test_a_sweep_report_filters_its_files_in_a_browser(sweep, tmp_path: Path) -> None:
    work, folder = sweep
    out = write_sweep_report(folder, tmp_path / "report.html", root=work, max_thumbnails=0, detail_files=2)
    probe = tmp_path / "probe.html"  # filter for one file, then count the rows still shown
    probe.write_text(out.read_text(encoding="utf-8").replace("</body>", """<script>
phidetectFilter('f017');
var shown = Array.prototype.filter.call(document.querySelectorAll('table.more-files tbody tr'),
  function (r) { return r.style.display !== 'none'; }).length;
document.body.setAttribute('data-shown', String(shown));
</script></body>"""), encoding="utf-8")
    browser = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
               f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", probe.as_uri()]
    dom = subprocess.run(browser, capture_output=True, text=True, timeout=180, check=True).stdout
    assert 'data-shown="1"' in dom and "Summary" in dom


def test_a_sweep_report_counts_files_and_findings_by_modality(sweep) -> None:
    """The files table records each file's modality, so the sweep's report can say which
    modalities hold the PHI and how many files of each were examined."""
    from phidetect.report.overview import of_folder
    from phidetect.sweep import committed_files

    work, folder = sweep
    files = pd.concat(committed_files(folder, ("modality",)))
    assert len(files) == 60 and files["modality"].ne("").all()
    by_modality = of_folder(folder, 0.5).by["modality"]
    assert int(by_modality["examined"].sum()) == 60
    assert int(by_modality["findings"].sum()) == len(phidetect.read_sweep(folder))
    html = render_sweep_report(folder, root=work, max_thumbnails=0)
    assert "By modality" in html and "files examined" in html
