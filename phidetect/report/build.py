"""A findings table -> one self-contained HTML report a reviewer opens before a release.

The summary answers "may this folder leave?" (the verdict at ``fail_on``, counts by
phi_type and source); per-file sections show every finding, with pictures of the images
and their boxes so burned-in text is judged by eye; the errors table lists files nobody
checked. One file, no network: it is mailed, attached to a ticket, opened from file://.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from phidetect.findings import COLUMNS, ERROR_COLUMNS, typed_frame
from phidetect.report import template
from phidetect.report.template import esc
from phidetect.report.thumbnails import Thumbnail, file_thumbnails

DEFAULT_MAX_THUMBNAILS = 200  # files with pictures; each is a few tens of KB of base64
_DEFAULTS = {"string": "", "int64": -1, "float64": 0.0}
_WORD_TAIL = re.compile(r"(?<=\w)\w")


def _findings_table(findings: pd.DataFrame) -> pd.DataFrame:
    """Any findings table (a scan result, or one read back from CSV/Parquet) with the schema's
    columns and dtypes; columns a table lacks are filled blank."""
    frame = pd.DataFrame(findings).copy()
    for name, dtype in COLUMNS.items():
        if name not in frame.columns:
            frame[name] = pd.Series(_DEFAULTS[dtype], index=frame.index, dtype=dtype)
        elif dtype == "string":
            frame[name] = frame[name].fillna("").astype(str)
        else:
            frame[name] = pd.to_numeric(frame[name], errors="coerce").fillna(_DEFAULTS[dtype])
    return typed_frame(frame, COLUMNS).reset_index(drop=True)


def _errors_table(findings: pd.DataFrame, errors: pd.DataFrame | None) -> pd.DataFrame:
    """``errors`` when given, else a scan result's ``.errors``, else none."""
    if errors is None:
        from phidetect.result import Findings

        errors = findings.errors if isinstance(findings, Findings) else None
    frame = pd.DataFrame(errors if errors is not None else {c: [] for c in ERROR_COLUMNS}).copy()
    for name in ERROR_COLUMNS:
        frame[name] = frame[name].fillna("").astype(str) if name in frame.columns else ""
    return typed_frame(frame, ERROR_COLUMNS).reset_index(drop=True)


def mask_text(text: str) -> str:
    """Keep the first character of each word: "Douglas Davidson" -> "D•••••• D•••••••"; enough
    to tell a name from a date without spreading the PHI further."""
    return _WORD_TAIL.sub("•", text)


def _resolve(file: str, root: str | os.PathLike | None) -> Path:
    path = Path(file)
    return path if path.is_absolute() else Path(root or ".") / path


def _count_table(findings: pd.DataFrame, column: str, fail_on: float) -> str:
    if findings.empty:
        return '<p class="note">no findings</p>'
    grouped = findings.groupby(column)
    strong = findings[findings["confidence"] >= fail_on].groupby(column).size()
    rows = [(key, len(group), group["file"].nunique(), int(strong.get(key, 0))) for key, group in grouped]
    rows.sort(key=lambda r: (-r[3], -r[1], r[0]))
    return template.table([column, "findings", "files", f"≥ {fail_on:g}"], rows, numeric=(1, 2, 3))


def _summary(findings: pd.DataFrame, errors: pd.DataFrame, files_scanned: int | None, fail_on: float) -> str:
    strong = findings[findings["confidence"] >= fail_on]
    failed = len(strong) > 0
    verdict = (f"FAIL: PHI found at or above {fail_on:g}" if failed
               else f"PASS: no finding reaches {fail_on:g}")
    scanned = "not recorded" if files_scanned is None else str(files_scanned)
    cards = [
        (scanned, "files scanned"),
        (findings["file"].nunique(), "files with findings"),
        (strong["file"].nunique(), f"files with PHI ≥ {fail_on:g}"),
        (len(findings), "findings"),
        (len(strong), f"findings ≥ {fail_on:g}"),
        (errors["file"].nunique(), "files with errors"),
    ]
    card_html = "".join(f'<div class="card"><b>{esc(v)}</b><span>{esc(k)}</span></div>' for v, k in cards)
    return (f'<section id="summary"><h2>Summary</h2>'
            f'<div class="verdict {"fail" if failed else "pass"}" id="verdict">{esc(verdict)}</div>'
            f'<div class="cards">{card_html}</div>'
            f'<div class="tables"><div><h3>By phi_type</h3>{_count_table(findings, "phi_type", fail_on)}</div>'
            f'<div><h3>By source</h3>{_count_table(findings, "source", fail_on)}</div></div></section>')


def _location(row) -> tuple[str, str, str]:
    """(where, keyword, box) of one finding, as the table shows them."""
    if row.source == "pixel":
        box = f"{row.x},{row.y} {row.width}×{row.height}" if row.width >= 0 else ""
        return f"{row.plane or 'image'}, frame {row.frame}", "", box
    keyword = row.keyword or (f"private: {row.private_creator}" if row.private_creator else "")
    return row.tag_path, keyword, ""


def _ordered(findings: pd.DataFrame) -> pd.DataFrame:
    """Sorted once for every file's table: pixel rows first (they belong with the pictures
    above them), then tags by element and position."""
    source_order = findings["source"].map({"pixel": 0, "tag": 1}).fillna(2)
    return (findings.assign(source_order=source_order)
            .sort_values(["file", "source_order", "tag_path", "start", "frame", "y", "x"], kind="stable"))


def _findings_rows(rows: pd.DataFrame, fail_on: float, mask: bool) -> str:
    """The file's findings table, in the order of ``rows`` (see :func:`_ordered`)."""
    cells, classes = [], []
    for row in rows.itertuples(index=False):
        where, keyword, box = _location(row)
        text = mask_text(row.text) if mask else row.text
        cells.append((row.source, where, keyword, row.phi_type, text, f"{row.confidence:.2f}", row.rule, box))
        classes.append("" if row.confidence >= fail_on else "weak")
    table = template.table(["source", "tag_path / plane", "keyword", "phi_type", "text", "confidence", "rule",
                            "box"], cells, numeric=(5,), row_classes=classes,
                           cell_classes={1: "where", 2: "kw", 4: "text", 6: "rule", 7: "box"}, css_class="findings")
    return f'<div class="scroll">{table}</div>'


def _figure(thumb: Thumbnail, file: str) -> str:
    where = ("icon" if thumb.plane == "icon" else f"frame {thumb.frame}") + (" (detail)" if thumb.detail else "")
    caption = f"{where}: {thumb.boxes} box(es)" if thumb.boxes else f"{where}: no pixel findings"
    if thumb.error:
        return f'<figure class="thumb-error"><figcaption>{esc(where)}: {esc(thumb.error)}</figcaption></figure>'
    return (f'<figure><img src="{esc(thumb.data_uri)}" width="{thumb.width}" height="{thumb.height}" '
            f'alt="{esc(file)} {esc(where)}"><figcaption>{esc(caption)}</figcaption></figure>')


def _file_section(index: int, file: str, rows: pd.DataFrame, thumbs: list[Thumbnail] | None, fail_on: float,
                  mask: bool) -> str:
    strong = int((rows["confidence"] >= fail_on).sum())
    badge = (f'<span class="badge{" phi" if strong else ""}">{len(rows)} finding(s), {strong} ≥ {fail_on:g}, '
             f'max {rows["confidence"].max():.2f}</span>')
    if thumbs is None:
        pictures = '<p class="note">no picture: the report\'s thumbnail limit was reached</p>'
    elif thumbs:
        pictures = '<div class="thumbs">' + "".join(_figure(t, file) for t in thumbs) + "</div>"
    else:
        pictures = '<p class="note">no pixel data</p>'
    state = " fail" if strong else ""
    return (f'<details class="file{state}" id="file-{index}" data-file="{esc(file)}"{" open" if strong else ""}>'
            f"<summary>{esc(file)}{badge}</summary>{pictures}{_findings_rows(rows, fail_on, mask)}</details>")


def _files(findings: pd.DataFrame, root: str | os.PathLike | None, fail_on: float, mask: bool,
           max_thumbnails: int, max_frames: int, thumb_size: int) -> str:
    if findings.empty:
        return '<section id="files"><h2>Files</h2><p class="note">no findings</p></section>'
    best = findings.groupby("file")["confidence"].max()
    order = sorted(best.index, key=lambda f: (best[f] < fail_on, f))  # files that fail first
    pixel_files = set(findings.loc[findings["source"] == "pixel", "file"])
    pictured = sorted(order, key=lambda f: f not in pixel_files)[:max_thumbnails]  # pixel findings first
    by_file = dict(tuple(_ordered(findings).groupby("file", sort=False)))  # one pass, not a filter per file
    toc, sections = [], []
    for index, file in enumerate(order):
        rows = by_file[file]
        thumbs = None
        if file in pictured:
            path = _resolve(file, root)
            pixel_rows = rows[rows["source"] == "pixel"]
            thumbs = (file_thumbnails(path, pixel_rows, size=thumb_size, max_frames=max_frames, mask=mask)
                      if path.is_file() else [Thumbnail(0, "image", 0, error=f"file not found: {path}")])
        sections.append(_file_section(index, file, rows, thumbs, fail_on, mask))
        mark = ' class="phi-mark"' if best[file] >= fail_on else ""
        toc.append(f'<li><a href="#file-{index}"{mark}>{esc(file)}</a> ({len(rows)})</li>')
    toolbar = ('<p class="toolbar"><button type="button" onclick="phidetectToggle(true)">expand all</button>'
               '<button type="button" onclick="phidetectToggle(false)">collapse all</button></p>')
    return (f'<section id="files"><h2>Files with findings</h2><ul class="toc">{"".join(toc)}</ul>{toolbar}'
            f'{"".join(sections)}</section>')


def _errors(errors: pd.DataFrame) -> str:
    body = (template.table(["file", "error"], errors.itertuples(index=False, name=None), css_class="errors")
            if len(errors) else '<p class="note">none: every file was read</p>')
    return f'<section id="errors"><h2>Files that could not be scanned</h2>{body}</section>'


def render_report(findings: pd.DataFrame, *, root: str | os.PathLike | None = None, fail_on: float = 0.5,
                  title: str | None = None, errors: pd.DataFrame | None = None, files_scanned: int | None = None,
                  max_thumbnails: int = DEFAULT_MAX_THUMBNAILS, max_frames: int = 4, thumb_size: int = 320,
                  mask: bool = False) -> str:
    """The report as one HTML string.

    ``findings``: a scan result (``phidetect.Findings``: its ``.errors`` and ``.files_scanned``
    are used) or any findings table, e.g. read back from CSV, with ``errors`` and
    ``files_scanned`` passed when known. ``root``: the folder the ``file`` column is relative
    to (the folder that was scanned; default the current one), for the pictures.
    ``max_thumbnails``: files that get pictures (those with pixel findings first), at most
    ``max_frames`` frames each, ``thumb_size`` pixels a side. ``mask``: show only the first
    letter of each word of the PHI text, and fill the boxes in the pictures."""
    import phidetect
    from phidetect.result import Findings

    table = _findings_table(findings)
    error_table = _errors_table(findings, errors)
    if files_scanned is None and isinstance(findings, Findings) and findings.files_scanned:
        files_scanned = int(findings.files_scanned)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meta = f"generated {now} by phidetect {phidetect.__version__} · fail-on {fail_on:g}"
    if root is not None:
        meta += f" · files under {root}"
    if mask:
        meta += " · PHI text masked"
    body = (_summary(table, error_table, files_scanned, fail_on)
            + _files(table, root, fail_on, mask, max_thumbnails, max_frames, thumb_size)
            + _errors(error_table))
    return template.page(title or "phidetect report", meta, body, phidetect.__version__)


def write_text_atomic(text: str, out: str | os.PathLike) -> Path:
    """Write ``text`` (UTF-8) to a temporary file beside ``out``, then rename it over ``out``:
    a crash never leaves half a report that looks whole."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temp, 0o644)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return out


def write_report(findings: pd.DataFrame, out_path: str | os.PathLike, *, root: str | os.PathLike | None = None,
                 fail_on: float = 0.5, title: str | None = None, errors: pd.DataFrame | None = None,
                 files_scanned: int | None = None, max_thumbnails: int = DEFAULT_MAX_THUMBNAILS,
                 max_frames: int = 4, thumb_size: int = 320, mask: bool = False) -> Path:
    """Render the report (see :func:`render_report`) and write it atomically to ``out_path``."""
    html_text = render_report(findings, root=root, fail_on=fail_on, title=title, errors=errors,
                              files_scanned=files_scanned, max_thumbnails=max_thumbnails,
                              max_frames=max_frames, thumb_size=thumb_size, mask=mask)
    return write_text_atomic(html_text, out_path)
