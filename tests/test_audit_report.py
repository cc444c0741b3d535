"""The audit page: verdict, leaks first with the original's and the copy's crop of every
leaked box, utility lost; written by ``phidetect report AUDIT`` and shown by a browser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from audit_copies import make_copies, original_items

import phidetect
from phidetect.cli import main
from phidetect.datasets.synthetic import generate
from phidetect.report.audit_page import render_audit_report


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    root = tmp_path_factory.mktemp("audit-report")
    originals, copies = root / "originals", root / "copies"
    generate(str(originals), 4, 52)
    items = original_items(originals)
    with_boxes = sorted(set(items.loc[items["source"] == "pixel", "file"]))
    make_copies(originals, copies, items, keep_boxes_of={with_boxes[0]})
    return originals, copies, items, phidetect.audit(originals, copies, findings=items), with_boxes[0]


def test_the_page_leads_with_the_verdict_and_shows_each_leaked_box_twice(audited) -> None:
    originals, copies, _, result, leaky = audited
    page = render_audit_report(result, originals=originals, copies=copies, utility=result.utility)
    leaked = result.leaked()
    assert len(leaked) and 'id="verdict">FAIL' in page
    assert page.index('id="leaks"') < page.index('id="utility"')
    boxes = leaked[leaked["source"] == "pixel"]
    assert set(boxes["file"]) == {leaky}
    assert page.count("<figure>") == 2 * len(boxes)
    assert "data:image/png;base64," in page and 'src="http' not in page  # nothing fetched


def test_a_clean_audit_passes_and_masking_hides_the_text(audited, tmp_path) -> None:
    originals, _, items, _, _ = audited
    make_copies(originals, tmp_path, items)
    clean = phidetect.audit(originals, tmp_path, findings=items)
    assert 'id="verdict">PASS' in render_audit_report(clean, originals=originals, copies=tmp_path)
    _, copies, _, result, _ = audited
    text = str(result.leaked().iloc[0]["text"])
    masked = render_audit_report(result, originals=originals, copies=copies, mask=True)
    assert len(text) > 3 and f"<td>{text}</td>" not in masked


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (apt-get install chromium)")
def test_the_command_writes_an_audit_page_a_browser_shows(audited, tmp_path: Path) -> None:
    originals, copies, items, _, _ = audited
    table = tmp_path / "audit.csv"
    items.to_parquet(tmp_path / "findings.parquet", index=False)
    assert main(["audit", str(originals), str(copies), "--out", str(table), "--findings",
                 str(tmp_path / "findings.parquet"), "--no-progress"]) == 1
    out = tmp_path / "audit.html"
    assert main(["report", str(table), "--out", str(out), "--originals", str(originals),
                 "--copies", str(copies)]) == 0
    browser = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
               f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(browser + ["--dump-dom", out.as_uri()], capture_output=True, text=True,
                         timeout=180, check=True).stdout
    assert "FAIL:" in dom and "What the copies destroyed that held no PHI" in dom and "pixels unchanged" in dom
