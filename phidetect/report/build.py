"""A findings table or a sweep folder -> one self-contained HTML report a reviewer opens
before a release.

The summary answers "may this folder leave?" (the verdict at ``fail_on``, counts by
phi_type, source and rule); the riskiest files get sections with every finding and
pictures of the images and their boxes, so burned-in text is judged by eye; the next ones
a line each in a table the page searches; the errors table lists files nobody checked.
Its size is bounded whatever the sweep's: the rest stays in the findings table or sweep
folder the report names. One file, no network: it is mailed, attached to a ticket, opened
from file://.
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
from phidetect.report.overview import GROUPS, Overview, of_folder, of_table
from phidetect.report.template import esc
from phidetect.report.thumbnails import Thumbnail, file_thumbnails

DEFAULT_MAX_THUMBNAILS = 200  # files with pictures; each is a few tens of KB of base64
#: Files that get a section of their own (every finding), riskiest first.
DEFAULT_DETAIL_FILES = 500
#: Files after those that get one line in the table of files; the rest are counted.
DEFAULT_TABLE_FILES = 20000
#: Error rows shown; the rest are counted.
MAX_ERROR_ROWS = 5000
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


def _count_table(overview: Overview, column: str) -> str:
    counts = overview.by.get(column)
    if counts is None or counts.empty:
        return '<p class="note">no findings</p>'
    rows = [(key, int(r.findings), int(r.files), int(r.failing)) for key, r in counts.iterrows()]
    headers = [column, "findings", "files", f"≥ {overview.fail_on:g}"]
    if "examined" in counts.columns:  # by modality: how many of its files were examined at all
        rows = [(*row, int(counts.loc[row[0], "examined"])) for row in rows]
        headers.append("files examined")
    rows.sort(key=lambda r: (-r[3], -r[1], r[0]))
    return template.table(headers, rows, numeric=tuple(range(1, len(headers))))


def _summary(overview: Overview, errors: pd.DataFrame, files_scanned: int | None, error_files: int) -> str:
    fail_on = overview.fail_on
    failed = overview.failing > 0
    verdict = (f"FAIL: PHI found at or above {fail_on:g}" if failed
               else f"PASS: no finding reaches {fail_on:g}")
    scanned = "not recorded" if files_scanned is None else str(files_scanned)
    cards = [
        (scanned, "files scanned"),
        (overview.files_with_findings, "files with findings"),
        (overview.files_failing, f"files with PHI ≥ {fail_on:g}"),
        (overview.findings, "findings"),
        (overview.failing, f"findings ≥ {fail_on:g}"),
        (error_files, "files with errors"),
    ]
    card_html = "".join(f'<div class="card"><b>{esc(v)}</b><span>{esc(k)}</span></div>' for v, k in cards)
    tables = "".join(f"<div><h3>By {column.replace('_', ' ')}</h3>{_count_table(overview, column)}</div>"
                     for column in GROUPS if column != "modality" or column in overview.by)
    return (f'<section id="summary"><h2>Summary</h2>'
            f'<div class="verdict {"fail" if failed else "pass"}" id="verdict">{esc(verdict)}</div>'
            f'<div class="cards">{card_html}</div><div class="tables">{tables}</div></section>')


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


def _files(detail: pd.DataFrame, overview: Overview, root: str | os.PathLike | None, mask: bool,
           limits: tuple[int, int, int, int, int], source: str) -> str:
    """Sections for the riskiest files (``detail`` holds their rows), a line each for the next
    ones, a count of the rest. ``limits``: detail files, table files, thumbnails, frames, size."""
    detail_files, table_files, max_thumbnails, max_frames, thumb_size = limits
    fail_on = overview.fail_on
    if not overview.files_with_findings:
        return '<section id="files"><h2>Files</h2><p class="note">no findings</p></section>'
    ranked = overview.ranked()
    order = ranked[:detail_files]
    lines = overview.files.set_index("file")
    pictured = sorted(order, key=lambda f: not lines.at[f, "pixel"])[:max_thumbnails]  # pixel findings first
    by_file = dict(tuple(_ordered(detail).groupby("file", sort=False)))  # one pass, not a filter per file
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
        mark = ' class="phi-mark"' if lines.at[file, "failing"] else ""
        toc.append(f'<li><a href="#file-{index}"{mark}>{esc(file)}</a> ({len(rows)})</li>')
    toolbar = ('<p class="toolbar"><button type="button" onclick="phidetectToggle(true)">expand all</button>'
               '<button type="button" onclick="phidetectToggle(false)">collapse all</button></p>')
    return (f'<section id="files"><h2>Files with findings</h2><ul class="toc">{"".join(toc)}</ul>{toolbar}'
            f'{"".join(sections)}{_more_files(lines, ranked, detail_files, table_files, fail_on, source)}</section>')


def _more_files(lines: pd.DataFrame, ranked: list[str], detail_files: int, table_files: int, fail_on: float,
                source: str) -> str:
    """The files after the detailed ones: a line each (searchable), then how many are left."""
    rest = ranked[detail_files:detail_files + table_files]
    if not rest:
        return ""
    rows = [(f, int(lines.at[f, "findings"]), int(lines.at[f, "failing"]), f"{lines.at[f, 'max_confidence']:.2f}",
             lines.at[f, "phi_types"]) for f in rest]
    table = template.table(["file", "findings", f"≥ {fail_on:g}", "max confidence", "phi_types"], rows,
                           numeric=(1, 2, 3), css_class="more-files")
    left = len(ranked) - detail_files - len(rest)
    note = (f'<p class="note">{left} more files with findings are not listed; every finding is in {esc(source)}</p>'
            if left > 0 else "")
    search = ('<p class="toolbar"><input type="search" placeholder="filter files" '
              'oninput="phidetectFilter(this.value)"></p>')
    return (f'<h3 id="more-files">{len(rest)} more files with findings, riskiest first</h3>{search}'
            f'<div class="scroll">{table}</div>{note}')


def _errors(errors: pd.DataFrame, error_files: int, source: str) -> str:
    shown = errors.head(MAX_ERROR_ROWS)
    body = (template.table(["file", "error"], shown.itertuples(index=False, name=None), css_class="errors")
            if len(shown) else '<p class="note">none: every file was read</p>')
    if len(errors) > len(shown):
        body += f'<p class="note">{len(errors) - len(shown)} more error rows in {esc(source)}</p>'
    return (f'<section id="errors"><h2>Files that could not be scanned ({error_files})</h2>{body}</section>')


def render_report(findings: pd.DataFrame, *, root: str | os.PathLike | None = None, fail_on: float = 0.5,
                  title: str | None = None, errors: pd.DataFrame | None = None, files_scanned: int | None = None,
                  max_thumbnails: int = DEFAULT_MAX_THUMBNAILS, max_frames: int = 4, thumb_size: int = 320,
                  mask: bool = False, detail_files: int = DEFAULT_DETAIL_FILES,
                  table_files: int = DEFAULT_TABLE_FILES, overview: Overview | None = None,
                  source: str = "the findings table") -> str:
    """The report as one HTML string.

    ``findings``: a scan result (``phidetect.Findings``: its ``.errors`` and ``.files_scanned``
    are used) or any findings table, e.g. read back from CSV, with ``errors`` and
    ``files_scanned`` passed when known; with ``overview`` (a sweep folder's, see
    :func:`render_sweep_report`) only the detailed files' rows. ``root``: the folder the
    ``file`` column is relative to (the folder that was scanned; default the current one),
    for the pictures. ``detail_files``: files that get a section, riskiest first;
    ``table_files``: the next ones, a line each. ``max_thumbnails``: files that get pictures
    (those with pixel findings first), at most ``max_frames`` frames each, ``thumb_size``
    pixels a side. ``mask``: show only the first letter of each word of the PHI text, and
    fill the boxes in the pictures. ``source``: where every finding is, named under the
    lists."""
    import phidetect
    from phidetect.result import Findings

    table = _findings_table(findings)
    error_table = _errors_table(findings, errors)
    if files_scanned is None and isinstance(findings, Findings) and findings.files_scanned:
        files_scanned = int(findings.files_scanned)
    overview = overview if overview is not None else of_table(table, fail_on)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meta = f"generated {now} by phidetect {phidetect.__version__} · fail-on {fail_on:g}"
    if root is not None:
        meta += f" · files under {root}"
    if mask:
        meta += " · PHI text masked"
    error_files = int(error_table["file"].nunique())
    limits = (max(0, detail_files), max(0, table_files), max_thumbnails, max_frames, thumb_size)
    body = (_summary(overview, error_table, files_scanned, error_files)
            + _files(table, overview, root, mask, limits, source)
            + _errors(error_table, error_files, source))
    return template.page(title or "phidetect report", meta, body, phidetect.__version__)


def render_sweep_report(folder: str | os.PathLike, *, fail_on: float = 0.5,
                        detail_files: int = DEFAULT_DETAIL_FILES, **options) -> str:
    """The report of a sweep folder (phidetect.sweep): counted part by part, the full rows read
    only for the ``detail_files`` riskiest files, so its cost and size do not grow with the
    sweep's findings."""
    from phidetect.sweep import read_sweep

    overview = of_folder(folder, fail_on)
    top = overview.ranked()[:max(0, detail_files)]
    detail = read_sweep(folder, files=top)
    return render_report(detail, fail_on=fail_on, detail_files=detail_files, overview=overview,
                         source=f"the sweep folder {folder} (phidetect.read_sweep)", **options)


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
                 max_frames: int = 4, thumb_size: int = 320, mask: bool = False,
                 detail_files: int = DEFAULT_DETAIL_FILES, table_files: int = DEFAULT_TABLE_FILES) -> Path:
    """Render the report (see :func:`render_report`) and write it atomically to ``out_path``."""
    html_text = render_report(findings, root=root, fail_on=fail_on, title=title, errors=errors,
                              files_scanned=files_scanned, max_thumbnails=max_thumbnails,
                              max_frames=max_frames, thumb_size=thumb_size, mask=mask,
                              detail_files=detail_files, table_files=table_files)
    return write_text_atomic(html_text, out_path)


def write_sweep_report(folder: str | os.PathLike, out_path: str | os.PathLike, **options) -> Path:
    """Render a sweep folder's report (see :func:`render_sweep_report`) and write it atomically."""
    return write_text_atomic(render_sweep_report(folder, **options), out_path)
