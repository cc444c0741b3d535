"""An audit (phidetect.audit) as one HTML page: the verdict, every leak first (burned-in
leaks with the original's and the copy's crop side by side), counts by type and status,
and what the copies destroyed that held no PHI. Self-contained like the scan report."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pydicom

from phidetect.report import template
from phidetect.report.build import mask_text, write_text_atomic
from phidetect.report.template import esc
from phidetect.report.thumbnails import boxed_thumbnail, png_data_uri

#: Leaked boxes shown with crops (the rest are in the leak table).
DEFAULT_CROPS = 60
#: Pixels shown around a box in its crop.
CROP_PAD = 12


def _crop(path: Path, frame: int, box: tuple[int, int, int, int]) -> str:
    """The box and its surroundings in ``path``'s displayed frame, as a PNG data URI ("" when
    the file cannot be read: the table row still says what leaked)."""
    from phidetect.dicom.pixels import display_image

    try:
        image = display_image(pydicom.dcmread(path), frame)
    except Exception:  # the report shows what it can; the audit already judged the box
        return ""
    x, y, w, h = box
    top, left = max(y - CROP_PAD, 0), max(x - CROP_PAD, 0)
    crop = np.ascontiguousarray(image[top:y + h + CROP_PAD, left:x + w + CROP_PAD])
    if crop.size == 0:
        return ""
    return png_data_uri(boxed_thumbnail(crop, [(x - left, y - top, w, h)], size=360, grow_to=360))


def _leak_rows(leaked: pd.DataFrame, mask: bool) -> list[tuple]:
    return [(r.file, r.copy, r.phi_type, r.tag_path if r.source == "tag" else f"frame {r.frame} box",
             mask_text(str(r.text)) if mask else r.text, f"{float(r.confidence):.2f}", r.evidence)
            for r in leaked.itertuples()]


def _crops(leaked: pd.DataFrame, originals: Path, copies: Path, limit: int) -> str:
    boxes = leaked[leaked["source"] != "tag"].head(limit)
    if boxes.empty:
        return ""
    figures = []
    for r in boxes.itertuples():
        box = (int(r.x), int(r.y), int(r.width), int(r.height))
        pair = [(_crop(originals / str(r.file), int(r.frame), box), f"original {r.file}"),
                (_crop(copies / str(r.copy), int(r.frame), box), f"copy {r.copy}: {r.evidence}")]
        figures.append("".join(
            f'<figure><img src="{uri}" alt="{esc(caption)}"><figcaption>{esc(caption)}</figcaption></figure>'
            if uri else f'<p class="note">{esc(caption)}: not readable</p>' for uri, caption in pair))
    return "<h3>Leaked burned-in boxes: original and copy</h3>" + "".join(
        f'<div class="thumbs">{f}</div>' for f in figures)


def render_audit_report(audit: pd.DataFrame, *, originals: str | os.PathLike = ".", copies: str | os.PathLike = ".",
                        utility: pd.DataFrame | None = None, fail_on: float = 0.5, title: str | None = None,
                        mask: bool = False, max_crops: int = DEFAULT_CROPS) -> str:
    """The audit page. ``audit``: phidetect.audit's table (or read back from its file);
    ``originals``/``copies``: the folders its ``file``/``copy`` columns are relative to, for the
    crops; ``utility``: the per-pair utility table (``result.utility``, or FILE.utility.csv)."""
    import phidetect

    leaked_all = audit[audit["status"] == "leaked"]
    leaked = leaked_all[leaked_all["confidence"] >= fail_on]
    failed = len(leaked) > 0
    verdict = (f"FAIL: {len(leaked)} PHI items of the originals left in the copies (≥ {fail_on:g})" if failed
               else f"PASS: no PHI item of the originals at or above {fail_on:g} left in the copies")
    counts = audit["status"].value_counts()
    cards = [(audit["file"].nunique(), "originals with PHI")] + [
        (int(counts.get(s, 0)), s) for s in ("leaked", "kept", "removed", "unchecked", "unpaired")]
    card_html = "".join(f'<div class="card"><b>{esc(v)}</b><span>{esc(k)}</span></div>' for v, k in cards)
    by_type = pd.crosstab(audit["phi_type"], audit["status"]) if len(audit) else pd.DataFrame()
    type_table = template.table(["phi_type", *by_type.columns],
                                [(k, *map(int, row)) for k, row in by_type.iterrows()],
                                numeric=tuple(range(1, len(by_type.columns) + 1))) if len(by_type) else ""
    body = (f'<section id="summary"><h2>Verdict</h2>'
            f'<div class="verdict {"fail" if failed else "pass"}" id="verdict">{esc(verdict)}</div>'
            f'<div class="cards">{card_html}</div><h3>By phi_type and status</h3>{type_table}</section>')
    headers = ["original", "copy", "phi_type", "where", "text", "confidence", "evidence"]
    body += '<section id="leaks"><h2>Leaks</h2>'
    body += (template.table(headers, _leak_rows(leaked, mask), css_class="findings") if failed
             else '<p class="note">none at or above the threshold</p>')
    body += _crops(leaked, Path(originals), Path(copies), max_crops) + "</section>"
    if utility is not None and len(utility):
        columns = [c for c in utility.columns if c != "copy"]
        body += ('<section id="utility"><h2>What the copies destroyed that held no PHI</h2>'
                 + template.table(columns, utility[columns].astype(str).itertuples(index=False), css_class="findings")
                 + "</section>")
    others = audit[audit["status"].isin(["kept", "unchecked", "unpaired"])]
    if len(others):
        body += ('<section id="other"><h2>Kept on purpose, unchecked and unpaired</h2>'
                 + template.table(["status", *headers], [(r.status, *row) for r, row in
                                                         zip(others.itertuples(), _leak_rows(others, mask),
                                                             strict=True)], css_class="findings")
                 + "</section>")
    meta = f"phidetect {phidetect.__version__} audit · originals {originals} · copies {copies} · fail-on {fail_on:g}"
    return template.page(title or "phidetect audit", meta, body, phidetect.__version__)


def write_audit_report(audit: pd.DataFrame, out_path: str | os.PathLike, **options) -> Path:
    """Render the audit page (see :func:`render_audit_report`) and write it atomically."""
    return write_text_atomic(render_audit_report(audit, **options), out_path)
