"""The report's page: CSS, a little JS and small HTML builders, all inline.

The report must open from file:// on a machine without network (a hospital's release
workstation), so nothing is fetched: no CDN, no fonts, no frameworks. Every value that
comes from a DICOM file or a table passes through :func:`esc` — header text is written
by whoever filled the header, and a ``<script>`` in a StudyDescription must stay text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from string import Template

CSS = """
:root { --fail: #c0152f; --pass: #1f7a3a; --muted: #6b7280; --line: #d9dde3; --box: #e8112d; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       margin: 0 auto; padding: 1.5rem 2rem 3rem; max-width: 1280px; color: #111827; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.verdict { display: inline-block; font-weight: 700; font-size: 1.1rem; padding: .35rem .8rem;
           border-radius: 4px; color: #fff; }
.verdict.fail { background: var(--fail); } .verdict.pass { background: var(--pass); }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem; min-width: 9rem; }
.card b { display: block; font-size: 1.4rem; }
.card span { color: var(--muted); font-size: .85rem; }
.tables { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.text { font-family: ui-monospace, "DejaVu Sans Mono", monospace; min-width: 9rem; }
table.findings { width: 100%; } td.text, td.rule { overflow-wrap: anywhere; } td.rule { min-width: 11rem; } td.where { overflow-wrap: anywhere; min-width: 7rem; }
.scroll { overflow-x: auto; }
td.kw, td.box { white-space: nowrap; }
tr.weak td { color: var(--muted); }
details.file { border: 1px solid var(--line); border-radius: 6px; margin: .6rem 0; padding: .2rem .8rem; }
details.file > summary { cursor: pointer; padding: .35rem 0; font-weight: 600; }
details.file > summary .badge { font-weight: 400; margin-left: .6rem; color: var(--muted); }
details.file.fail > summary .badge.phi { color: var(--fail); font-weight: 700; }
.thumbs { display: flex; flex-wrap: wrap; gap: .8rem; margin: .4rem 0 .8rem; }
figure { margin: 0; } figure img { display: block; border: 1px solid var(--line); background: #000; }
figcaption { color: var(--muted); font-size: .8rem; }
.note { color: var(--muted); font-style: italic; }
.toolbar button { font: inherit; margin-right: .4rem; padding: .15rem .6rem; cursor: pointer; }
ul.toc { columns: 2; padding-left: 1.2rem; } ul.toc a { color: inherit; }
.phi-mark { color: var(--fail); font-weight: 700; }
@media print { details.file { break-inside: avoid; } .toolbar { display: none; } }
"""

# Expand or collapse every file section, filter the table of more files; the page works
# without it (<details> is native, the table is plain).
SCRIPT = """
function phidetectToggle(open) {
  document.querySelectorAll('details.file').forEach(function (d) { d.open = open; });
}
function phidetectFilter(text) {
  var needle = text.toLowerCase();
  document.querySelectorAll('table.more-files tbody tr').forEach(function (row) {
    row.style.display = row.textContent.toLowerCase().indexOf(needle) >= 0 ? '' : 'none';
  });
}
"""

PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="phidetect $version">
<title>$title</title>
<style>$css</style>
</head>
<body>
<h1>$title</h1>
<p class="meta">$meta</p>
$body
<script>$script</script>
</body>
</html>
""")


def esc(value: object) -> str:
    """Any value as HTML text, quotes included (safe in attributes too)."""
    return html.escape("" if value is None else str(value), quote=True)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], *, numeric: Sequence[int] = (),
          row_classes: Iterable[str] | None = None, cell_classes: dict[int, str] | None = None,
          css_class: str = "") -> str:
    """An HTML table; every cell escaped. ``numeric``: column indexes aligned right."""
    numeric_set = set(numeric)
    classes = dict(cell_classes or {})
    for i in numeric_set:
        classes[i] = (classes.get(i, "") + " num").strip()

    def cls(i: int) -> str:
        return f' class="{classes[i]}"' if i in classes else ""

    head = "".join(f"<th{cls(i)}>{esc(h)}</th>" for i, h in enumerate(headers))
    body = []
    row_class_iter = iter(row_classes) if row_classes is not None else None
    for row in rows:
        row_class = next(row_class_iter, "") if row_class_iter is not None else ""
        attr = f' class="{esc(row_class)}"' if row_class else ""
        body.append(f"<tr{attr}>" + "".join(f"<td{cls(i)}>{esc(v)}</td>" for i, v in enumerate(row)) + "</tr>")
    table_class = f' class="{esc(css_class)}"' if css_class else ""
    return f"<table{table_class}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def page(title: str, meta: str, body: str, version: str) -> str:
    """The whole document; ``title`` and ``meta`` are escaped here, ``body`` is HTML already."""
    return PAGE.substitute(title=esc(title), meta=esc(meta), body=body, css=CSS, script=SCRIPT,
                           version=esc(version))
