"""The HTML report: self-contained, complete, escaped, with pictures of the boxes; the CLI;
and once in a real headless browser when chromium is installed."""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLES

from phidetect.commands import report_command
from phidetect.datasets.packaged import package_folder
from phidetect.findings import findings_frame
from phidetect.output import errors_path, write_table
from phidetect.report import mask_text, render_report, write_report
from phidetect.report.thumbnails import BOX_COLOUR
from phidetect.result import Findings

Image = pytest.importorskip("PIL.Image")

CT = "2_ORIGINAL.dcm"
SCRIPT = '<script>alert("phi")</script> Douglas & co'


class Page(HTMLParser):
    """What a test needs from the report: tags, attributes, pictures per file, text per table."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.images: dict[str, list[str]] = {}
        self.files: list[str] = []
        self.cells: list[str] = []
        self._file: str | None = None
        self._in_cell = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "details" and "data-file" in attributes:
            self._file = attributes["data-file"]
            self.files.append(self._file)
        elif tag == "img":
            self.images.setdefault(self._file or "", []).append(attributes["src"])
        elif tag == "td":
            self._in_cell = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag == "details":
            self._file = None
        elif tag == "td":
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell:
            self.cells[-1] += data


def found(**extra) -> dict:
    blank = {"sop_instance_uid": "", "tag_path": "", "keyword": "", "vr": "", "private_creator": "",
             "plane": "", "start": -1, "end": -1, "frame": -1, "x": -1, "y": -1, "width": -1, "height": -1,
             "rule": "test"}
    return {**blank, **extra}


def truth_boxes() -> list[dict]:
    """The burned-in text of 2_ORIGINAL.dcm as pixel findings: the sample's ground-truth boxes,
    moved from its padded grid to the DICOM's (minus 25 pixels)."""
    labelled = json.loads((SAMPLES / "ground_truth.json").read_text())["sample_data/2_ORIGINAL.dcm"]
    return [found(file=CT, source="pixel", phi_type="OTHER", text=box["label"], confidence=0.9,
                  frame=0, x=box["left"] - 25, y=box["top"] - 25, width=box["width"], height=box["height"],
                  plane="image", rule="truth.boxes") for box in labelled]


@pytest.fixture(scope="module")
def report_findings(sample_result) -> Findings:
    """The sample folder's tag scan, the burned-in boxes of one file, and a planted script."""
    rows = pd.DataFrame(sample_result).to_dict("records") + truth_boxes() + [
        found(file=CT, source="tag", tag_path="(0008,1030)", keyword="StudyDescription", phi_type="NAME",
              text=SCRIPT, start=0, end=len(SCRIPT), confidence=0.8)]
    return Findings.build(findings_frame(rows), errors=sample_result.errors,
                          files_scanned=sample_result.files_scanned)


@pytest.fixture(scope="module")
def html(report_findings) -> str:
    return render_report(report_findings, root=SAMPLES, title="samples")


@pytest.fixture(scope="module")
def page(html) -> Page:
    return Page(html)


def decode(uri: str):
    assert uri.startswith("data:image/png;base64,")
    picture = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    picture.load()
    assert picture.format == "PNG"
    return picture.convert("RGB")


def box_pixels(picture) -> int:
    """Pixels of exactly the box colour."""
    pixels = np.asarray(picture).reshape(-1, 3)
    return int((pixels == np.array(BOX_COLOUR, dtype=np.uint8)).all(axis=1).sum())


def test_self_contained(html, page):
    assert not [t for t, _ in page.tags if t in ("link", "iframe", "object", "embed", "base")]
    for tag, attributes in page.tags:
        for name in ("src", "href", "action", "poster"):
            value = attributes.get(name)
            if value is not None:
                assert value.startswith(("data:", "#")), (tag, name, value[:40])
        if tag == "script":
            assert "src" not in attributes
    assert "url(" not in html and "@import" not in html


def test_every_file_and_error_present(report_findings, page, html):
    assert sorted(page.files) == sorted(report_findings["file"].unique())
    for file in report_findings.errors["file"]:
        assert file in page.cells
    assert '<section id="errors">' in html
    assert "ground_truth.json" in page.cells and "README.md" in page.cells


def test_summary(report_findings, html, page):
    assert "FAIL: PHI found at or above 0.5" in html
    assert f"<b>{report_findings.files_scanned}</b><span>files scanned</span>" in html
    assert "<title>samples</title>" in html
    for phi_type in report_findings["phi_type"].unique():
        assert phi_type in page.cells
    assert "pixel" in page.cells and "tag" in page.cells
    passing = render_report(report_findings, root=SAMPLES, fail_on=1.0, max_thumbnails=0)
    assert "PASS: no finding reaches 1" in passing


def test_values_escaped(html, page):
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&quot;phi&quot;)&lt;/script&gt; Douglas &amp; co" in html
    assert [t for t, _ in page.tags].count("script") == 1  # the page's own toggle
    assert SCRIPT in page.cells  # the parser reads the text back unchanged


def test_escaped_file_names_and_errors(tmp_path):
    evil = 'x"><img src=y onerror=alert(1)>.dcm'
    table = findings_frame([found(file=evil, source="tag", tag_path="(0010,0010)", phi_type="NAME",
                                  text="A", confidence=0.9, start=0, end=1)])
    errors = pd.DataFrame({"file": ["<b>bad</b>.dcm"], "error": ["<i>broken</i>"]})
    text = render_report(table, errors=errors, root=tmp_path)
    page = Page(text)
    assert page.files == [evil]
    assert "img" not in [t for t, _ in page.tags]  # the file is missing: no picture, and no planted tag
    assert "<b>bad</b>.dcm" in page.cells and "<i>broken</i>" in page.cells
    assert "<b>bad" not in text and "<i>broken" not in text


def test_thumbnails_are_pngs_with_boxes(page):
    pictures = {file: [decode(uri) for uri in uris] for file, uris in page.images.items()}
    assert set(pictures) == {CT, "0_ORIGINAL_compressed.dcm", "RGB_ORIGINAL.dcm"}  # no_pixels has none
    assert all(max(p.size) <= 320 for ps in pictures.values() for p in ps)
    whole, detail = pictures[CT]  # the frame, then a readable crop around its small boxes
    assert box_pixels(whole) > 100 and box_pixels(detail) > 100
    assert detail.size[0] > detail.size[1]  # one line of text: wide, not tall
    preview = pictures["0_ORIGINAL_compressed.dcm"]
    assert len(preview) == 1 and box_pixels(preview[0]) == 0  # no pixel findings: a plain preview


def test_mask_hides_text_and_fills_boxes(report_findings, page):
    masked_html = render_report(report_findings, root=SAMPLES, mask=True)
    masked = Page(masked_html)
    assert "DAVIDSON^DOUGLAS" not in masked_html and mask_text("DAVIDSON^DOUGLAS") in masked.cells
    assert mask_text("Douglas Davidson") == "D•••••• D•••••••"
    outlined = box_pixels(decode(page.images[CT][0]))
    filled = box_pixels(decode(masked.images[CT][0]))
    assert filled > 1.5 * outlined


def test_overlay_and_icon_boxes(tmp_path):
    folder = package_folder("data_store")
    path = folder / "MR-SIEMENS-DICOM-WithOverlays.dcm" if folder else None
    if path is None or not path.is_file():
        pytest.skip("pydicom-data is not installed")
    table = findings_frame([
        found(file=path.name, source="pixel", phi_type="NAME", text="o", confidence=0.9, frame=0,
              x=10, y=10, width=60, height=20, plane="overlay:6000"),
        found(file=path.name, source="pixel", phi_type="NAME", text="i", confidence=0.9, frame=0,
              x=2, y=2, width=20, height=8, plane="icon"),
    ])
    text = render_report(table, root=folder)
    pictures = [decode(uri) for uri in Page(text).images[path.name]]
    assert len(pictures) >= 2 and all(box_pixels(p) > 20 for p in pictures)
    assert "frame 0: 1 box(es)" in text and "icon: 1 box(es)" in text


def test_unreadable_and_missing_files_are_notes(tmp_path):
    (tmp_path / "notes.txt").write_text("not DICOM")
    table = findings_frame([
        found(file="notes.txt", source="pixel", phi_type="NAME", text="A", confidence=0.9, frame=0,
              x=0, y=0, width=5, height=5),
        found(file="gone.dcm", source="tag", tag_path="(0010,0010)", phi_type="NAME", text="B",
              confidence=0.9, start=0, end=1),
    ])
    text = render_report(table, root=tmp_path)
    assert "cannot read: not a DICOM file" in text
    assert "file not found" in text


def test_empty_findings_pass():
    text = render_report(findings_frame([]))
    assert "PASS: no finding reaches 0.5" in text and "no findings" in text


def test_write_is_atomic(report_findings, tmp_path, monkeypatch):
    out = tmp_path / "report.html"
    assert write_report(report_findings, out, root=SAMPLES, max_thumbnails=0) == out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert os.listdir(tmp_path) == ["report.html"]
    out.write_text("old report")

    def broken(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_report(report_findings, out, root=SAMPLES, max_thumbnails=0)
    assert out.read_text() == "old report"
    assert os.listdir(tmp_path) == ["report.html"]  # no temporary file left behind


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="phidetect")
    report_command.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)


def test_cli_reads_findings_and_errors_beside_them(report_findings, tmp_path, capsys):
    findings_csv = tmp_path / "findings.csv"
    write_table(report_findings, findings_csv)
    write_table(report_findings.errors, errors_path(findings_csv))
    out = tmp_path / "out" / "report.html"
    assert cli(["report", str(findings_csv), "--out", str(out), "--root", str(SAMPLES), "--title", "CLI <t>",
                "--files-scanned", "6"]) == 0
    assert "report written" in capsys.readouterr().out
    page = Page(out.read_text(encoding="utf-8"))
    assert sorted(page.files) == sorted(report_findings["file"].unique())
    assert "README.md" in page.cells
    assert "<title>CLI &lt;t&gt;</title>" in out.read_text(encoding="utf-8")
    assert page.images[CT]  # pictures from the CSV's boxes too


def test_cli_usage_errors(tmp_path, capsys):
    findings_csv = tmp_path / "findings.csv"
    write_table(findings_frame([]), findings_csv)
    assert cli(["report", str(findings_csv), "--out", str(tmp_path / "r.txt")]) == 2
    assert cli(["report", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "r.html")]) == 2
    assert cli(["report", str(findings_csv), "--out", str(tmp_path / "r.html"),
                "--errors", str(tmp_path / "nope.csv")]) == 2
    assert cli(["report", str(findings_csv), "--out", str(tmp_path / "r.html"),
                "--root", str(tmp_path / "nowhere")]) == 2
    assert "phidetect:" in capsys.readouterr().err
    assert cli(["report", str(findings_csv), "--out", str(tmp_path / "r.html")]) == 0


CHECK_IMAGES = """<script>
window.addEventListener('load', function () {
  var broken = Array.prototype.filter.call(document.images, function (i) { return !i.naturalWidth; });
  document.body.setAttribute('data-images', document.images.length + '/' + broken.length);
});
</script></body>"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (apt-get install chromium)")
def test_report_in_headless_chromium(report_findings, tmp_path):
    out = write_report(report_findings, tmp_path / "report.html", root=SAMPLES)
    probe = tmp_path / "probe.html"  # the report plus a script that counts pictures the browser could not show
    probe.write_text(out.read_text(encoding="utf-8").replace("</body>", CHECK_IMAGES), encoding="utf-8")
    browser = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
               f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(browser + ["--dump-dom", probe.as_uri()], capture_output=True, text=True,
                         timeout=180, check=True).stdout
    assert "Summary" in dom and "FAIL: PHI found at or above 0.5" in dom
    for file in report_findings["file"].unique():
        assert file in dom
    shown = sum(len(uris) for uris in Page(out.read_text(encoding="utf-8")).images.values())
    assert f'data-images="{shown}/0"' in dom
    shot = tmp_path / "shot.png"
    subprocess.run(browser + [f"--screenshot={shot}", "--window-size=1280,1600", out.as_uri()],
                   capture_output=True, timeout=180, check=True)
    with Image.open(shot) as picture:
        assert picture.size == (1280, 1600)
        colours = picture.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 100  # text, tables and pictures, not a blank page
