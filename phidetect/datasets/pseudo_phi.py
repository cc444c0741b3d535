"""TCIA "Pseudo-PHI-DICOM-Data" (Rutherford et al., Sci Data 8:183, 2021) as truth tables.

What TCIA distributes (verified from public copies, not from TCIA's page itself):

- two NBIA manifests, ``Pseudo-Phi-DICOM-Evaluation-dataset-April-7-2021.tcia`` (the
  evaluation data set: synthetic PHI planted in headers and pixels) and
  ``Pseudo-PHI-DICOM-De-id-Evaluation-dataset-April-7-2021.tcia`` (the same files after
  TCIA's curation). The NBIA Data Retriever writes each as ``manifest-<number>/`` holding
  ``metadata.csv`` (columns include ``Series UID`` and ``File Location``) and
  ``Pseudo-PHI-DICOM-Data/<PatientID>/<study>/<series>/1-01.dcm``;
- ``Pseudo-PHI-DICOM-Dataset-uid_crosswalk.csv`` and ``...-patid_crosswalk.csv`` with
  columns ``evaluation,de-identified``: every UID / Patient ID of the evaluation set and
  its curated replacement (seen in github.com/MIC-DKFZ/miccai2024_midi-b-submission,
  ``data/``; its ``utils/dataloaders.py`` pairs the two sets through them).

No per-tag answer key for this collection could be found in public copies (the NCI
validation script's config names one, ``midi_1_0_answer_data_1.db``, that is not known
to be distributed). So the truth here is *derived*: what TCIA's curation changed or
removed in each file is its PHI (:func:`diff_truth`). Where a key in MIDI-B's SQLite form
exists, read it with ``phidetect.datasets.midib`` instead.
"""

from __future__ import annotations

import difflib
import os
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
from pydicom.dataset import Dataset

from phidetect.datasets.midib.answer_key import load_mapping
from phidetect.datasets.midib.checks import STOPWORDS
from phidetect.datasets.midib.files import index_dicoms
from phidetect.datasets.midib.tags import phi_type_for
from phidetect.datasets.presidio import label_phi_type
from phidetect.dicom.elements import ElementText, iter_elements
from phidetect.dicom.profile import profile_entries
from phidetect.evaluate import truth_frame

#: Elements a curation rewrites for its own bookkeeping, not because they held PHI.
BOOKKEEPING = {
    0x00020000, 0x00020001, 0x00020010, 0x00020012, 0x00020013, 0x00020016, 0x00080005,
    0x00120062, 0x00120063, 0x00280303,
}
_FREE_TEXT_VRS = {"LO", "LT", "ST", "UT", "UC", "SH"}


def read_nbia_metadata(folder: str | os.PathLike) -> pd.DataFrame:
    """The ``metadata.csv`` the NBIA Data Retriever writes beside a download (searched in
    ``folder`` and below), with ``File Location`` made absolute in a ``folder`` column."""
    root = Path(folder)
    found = sorted(root.rglob("metadata.csv")) if root.is_dir() else []
    if not found:
        raise FileNotFoundError(f"{root}: no metadata.csv (the NBIA Data Retriever writes one per download)")
    table = pd.read_csv(found[0], dtype=str, keep_default_na=False)
    if "File Location" not in table.columns:
        raise ValueError(f"{found[0]}: no 'File Location' column; not an NBIA metadata.csv")
    table["folder"] = [str((found[0].parent / loc).resolve()) for loc in table["File Location"]]
    return table


def find_crosswalk(*folders: str | os.PathLike, kind: str = "uid") -> Path:
    """The ``*{kind}_crosswalk*.csv`` in the given folders or their parents."""
    seen: set[Path] = set()
    for folder in folders:
        for place in [Path(folder), *Path(folder).resolve().parents][:3]:
            if place in seen or not place.is_dir():
                continue
            seen.add(place)
            hits = sorted(place.glob(f"*{kind}_crosswalk*.csv"))
            if hits:
                return hits[0]
    raise FileNotFoundError(f"no *{kind}_crosswalk*.csv found near {', '.join(map(str, folders))}")


def _changed_spans(before: str, after: str) -> list[tuple[int, int]]:
    """Character ranges of ``before`` that ``after`` does not keep, merged across gaps of
    spaces and punctuation (so "for Douglas Davidson" is one span, not three), with stop
    words at their edges dropped. Empty when ``after`` keeps too little of ``before`` for
    spans to mean anything (a replaced ID): then the whole value is the truth."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    longest = max((block.size for block in matcher.get_matching_blocks()), default=0)
    if longest < max(4, 0.4 * len(before)):
        return []
    spans: list[list[int]] = []
    for op, i1, i2, _, _ in matcher.get_opcodes():
        if op in ("replace", "delete"):
            if spans and not before[spans[-1][1]:i1].strip(" ,.;:-_^/\\()"):
                spans[-1][1] = i2
            else:
                spans.append([i1, i2])
    return [span for span in (_trim(before, s, e) for s, e in spans) if span[1] > span[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the punctuation and stop words at its edges."""
    words = list(re.finditer(r"[^\W_]+(?:['.-][^\W_]+)*", text[start:end]))
    while words and words[0].group().lower() in STOPWORDS:
        words.pop(0)
    while words and words[-1].group().lower() in STOPWORDS:
        words.pop()
    return (start + words[0].start(), start + words[-1].end()) if words else (start, start)


def _row(file: str, e: ElementText, start: int, end: int, required: bool, phi_type: str | None = None) -> dict:
    if phi_type is None:
        phi_type = phi_type_for(e.keyword, e.vr)
        if phi_type == "OTHER" and end - start < len(e.text):
            phi_type = label_phi_type(e.text[start:end])[0]
    return {"file": file, "source": "tag", "tag_path": e.tag_path, "keyword": e.keyword,
            "phi_type": phi_type, "text": e.text[start:end],
            "start": start, "end": end, "required": required}


def diff_truth(original: Dataset, deidentified: Dataset, file: str, *, uids_required: bool = False) -> list[dict]:
    """Truth rows for ``original`` from what ``deidentified`` (its curated copy) changed.

    - changed value: PHI, required (UIDs: ``uids_required``). Free text that the curation
      kept in part gives the changed spans only; other values the whole value.
    - removed or emptied: required when the attribute is one of PS3.15 Table E.1-1's or a
      person's name; otherwise (private tags, which TCIA drops unless known safe) listed
      with ``required=False``: removal alone does not show the value was PHI.
    - bookkeeping (``BOOKKEEPING``, group lengths) is never truth."""
    after = {e.tag_path: e.text for e in iter_elements(deidentified)}
    listed = profile_entries()
    rows = []
    for e in iter_elements(original):
        element = e.tag & 0xFFFF
        if not e.text.strip() or e.tag in BOOKKEEPING or element == 0 or (e.tag >> 16) % 2 and element < 0x100:
            continue  # bookkeeping, group lengths, private creators
        kept = after.get(e.tag_path)
        if kept == e.text:
            continue
        if kept:
            required = uids_required if e.vr == "UI" else True
            spans = _changed_spans(e.text, kept) if e.vr in _FREE_TEXT_VRS else [(0, len(e.text))]
            rows += [_row(file, e, s, t, required) for s, t in (spans or [(0, len(e.text))])]
        else:
            required = (e.vr == "PN" or e.tag in listed) and not (e.vr == "UI" and not uids_required)
            rows.append(_row(file, e, 0, len(e.text), required))
    return rows


def pseudo_phi_truth(root: str | os.PathLike, deid_root: str | os.PathLike | None = None,
                     uid_crosswalk: str | os.PathLike | Mapping[str, str] | None = None, *,
                     uids_required: bool = False) -> pd.DataFrame:
    """Header truth for the evaluation set under ``root``, derived from its curated copy.

    ``deid_root``: the de-identified evaluation set (default: the sibling folder of ``root``
    whose name contains "de-id"/"deid"). ``uid_crosswalk``: the collection's
    ``...uid_crosswalk.csv`` (or a dict); default: found near the two folders. Files are
    paired by SOP Instance UID through the crosswalk; evaluation files without a curated
    copy are left out with a warning. Burned-in text is not covered: the collection ships
    no boxes for it (the Presidio samples' ``ground_truth.json`` covers four files)."""
    root = Path(root)
    deid = Path(deid_root) if deid_root is not None else _sibling_deid(root)
    crosswalk = uid_crosswalk if isinstance(uid_crosswalk, Mapping) else load_mapping(
        uid_crosswalk if uid_crosswalk is not None else find_crosswalk(root, deid))
    curated = {f.uid("SOPInstanceUID"): f for f in index_dicoms(deid)}
    rows, unpaired = [], []
    for f in index_dicoms(root):
        partner = curated.get(crosswalk.get(f.uid("SOPInstanceUID"), ""))
        if partner is None:
            unpaired.append(f.name)
            continue
        rows += diff_truth(f.ds, partner.ds, f.name, uids_required=uids_required)
    if unpaired:
        warnings.warn(f"{root}: {len(unpaired)} file(s) have no curated copy in {deid} (e.g. {unpaired[0]}); "
                      "they are not in the truth table", stacklevel=2)
    return truth_frame(rows)


def _sibling_deid(root: Path) -> Path:
    for parent in (root.parent, root.parent.parent):
        for candidate in sorted(parent.iterdir()) if parent.is_dir() else []:
            name = candidate.name.lower().replace("_", "-")
            if candidate.is_dir() and candidate != root and ("de-id" in name or "deid" in name):
                return candidate
    raise FileNotFoundError(f"{root}: give deid_root (no sibling folder named like 'de-id' or 'deid')")


def _variants(value: str) -> set[str]:
    """A value in the forms it is written in: a PN ``LAST^FIRST`` also as "First Last",
    "Last, First" and "LAST FIRST"; a DA ``YYYYMMDD`` also as MM/DD/YYYY, MM.DD.YYYY, YYYY-MM-DD."""
    value = value.strip()
    forms = {value}
    if "^" in value:
        parts = [p for p in value.split("^") if p]
        if len(parts) >= 2:
            last, first = parts[0], parts[1]
            forms |= {f"{first} {last}", f"{last}, {first}", f"{last} {first}", f"{last},{first}"}
    if re.fullmatch(r"\d{8}", value):
        y, m, d = value[:4], value[4:6], value[6:]
        forms |= {f"{m}/{d}/{y}", f"{m}.{d}.{y}", f"{y}-{m}-{d}", f"{d}.{m}.{y}"}
    return {f for f in forms if len(f) >= 2}


def identity_truth(ds: Dataset, identity: Mapping[str, Iterable[str]], file: str) -> pd.DataFrame:
    """Header truth of one data set from its known identity: every place where one of the
    ``identity`` values (phi_type -> values, e.g. ``{"NAME": ["DAVIDSON^DOUGLAS"], "ID":
    ["292821506"]}``) occurs, in its usual written forms, case-insensitively, as a span.

    For collections that publish who each file belongs to rather than a per-tag key; the
    result is a draft for a person to check: it finds values, not their meaning."""
    wanted = [(phi_type, form) for phi_type, values in identity.items() for v in values for form in _variants(str(v))]
    rows = []
    for e in iter_elements(ds):
        lowered = e.text.lower()
        for phi_type, form in wanted:
            for match in re.finditer(re.escape(form.lower()), lowered):
                rows.append(_row(file, e, match.start(), match.end(), True, phi_type))
    truth = truth_frame(rows)
    return truth.drop_duplicates(["tag_path", "start", "end"]).reset_index(drop=True)
