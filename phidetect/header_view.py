"""A file's header as a table with its PHI spans marked, for notebooks and reports.

A data steward checking a finding wants to see it in place: which element, what the rest
of the value says, and whether the span is the whole value or a name inside a description.
"""

from __future__ import annotations

import html
import os

import pandas as pd
from pydicom.dataset import Dataset

from phidetect.dicom.elements import iter_elements
from phidetect.dicom.reader import read_dicom

HEADER_COLUMNS = ["tag_path", "keyword", "vr", "value", "phi_types", "confidence", "spans"]


def _dataset(source: str | os.PathLike | Dataset) -> Dataset:
    return source if isinstance(source, Dataset) else read_dicom(source, headers_only=True)


def _tag_findings(findings: pd.DataFrame, file: str | None) -> pd.DataFrame:
    tags = findings[findings["source"] == "tag"]
    return tags[tags["file"] == file] if file is not None else tags


def header_table(source: str | os.PathLike | Dataset, findings: pd.DataFrame, *,
                 file: str | None = None, only_phi: bool = False) -> pd.DataFrame:
    """Every text-bearing element of ``source`` with the findings on it: ``phi_types``
    (comma-joined), the top ``confidence`` (0 when none) and ``spans`` (list of
    (start, end, phi_type, confidence)). ``file`` picks the findings rows of this file when
    the table holds several (default: all rows, for a one-file table)."""
    on_file = _tag_findings(findings, file)
    by_path = {path: group for path, group in on_file.groupby("tag_path")}
    rows = []
    for element in iter_elements(_dataset(source)):
        group = by_path.get(element.tag_path)
        spans = [] if group is None else sorted(
            (int(r.start), int(r.end), str(r.phi_type), float(r.confidence)) for r in group.itertuples())
        if only_phi and not spans:
            continue
        rows.append((element.tag_path, element.keyword, element.vr, element.text,
                     ", ".join(sorted({s[2] for s in spans})), max((s[3] for s in spans), default=0.0), spans))
    return pd.DataFrame(rows, columns=HEADER_COLUMNS)


def _marked(value: str, spans: list[tuple[int, int, str, float]]) -> str:
    """``value`` as HTML with each span (merged where they overlap) in a <mark>."""
    parts, cursor = [], 0
    for start, end, phi_type, confidence in spans:
        start, end = max(start, cursor), min(max(end, 0), len(value))
        if start < 0 or end <= start:
            continue
        parts.append(html.escape(value[cursor:start]))
        parts.append(f'<mark title="{html.escape(phi_type)} {confidence:.2f}">'
                     f"{html.escape(value[start:end])}</mark>")
        cursor = end
    parts.append(html.escape(value[cursor:]))
    return "".join(parts)


def highlight_header(source: str | os.PathLike | Dataset, findings: pd.DataFrame, *,
                     file: str | None = None, only_phi: bool = False) -> str:
    """The header as an HTML table with PHI spans highlighted (hover: type and confidence).
    In a notebook: ``IPython.display.HTML(highlight_header(path, result, file=...))``."""
    table = header_table(source, findings, file=file, only_phi=only_phi)
    rows = []
    for row in table.itertuples():
        style = ' style="background:#fff4f4"' if row.spans else ""
        rows.append(f"<tr{style}><td><code>{html.escape(row.tag_path)}</code></td>"
                    f"<td>{html.escape(row.keyword)}</td><td>{html.escape(row.vr)}</td>"
                    f"<td>{_marked(row.value, row.spans)}</td><td>{html.escape(row.phi_types)}</td></tr>")
    head = "<tr><th>tag</th><th>keyword</th><th>VR</th><th>value</th><th>PHI</th></tr>"
    return f'<table class="phidetect-header">{head}{"".join(rows)}</table>'
