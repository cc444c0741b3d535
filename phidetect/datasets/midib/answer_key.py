"""Reading a MIDI-B answer key (SQLite) and its UID / Patient ID mapping files (CSV).

What the files look like was learned from the NCI validation script that scores them,
github.com/CBIIT/MIDI_validation_script (``modules/validation_helper.py`` reads
``SELECT * FROM answer_data`` and the mappings with columns ``id_old, id_new``;
``modules/curation_validator.py`` expands ``AnswerData``), and from public notes of
people who opened the released keys (``MIDI-B-Answer-Key-Validation.db``: columns
``index, group, Modality, SOPClassUID, PatientID, StudyInstanceUID, SeriesInstanceUID,
SOPInstanceUID, Digest, AnswerData``; PatientID stored as INTEGER):

- ``AnswerData`` is a JSON object of checks keyed ``"0"``, ``"1"``, ... (a list is
  accepted too). Each check has ``action``, ``action_text``, ``value``, ``tag``,
  ``tag_ds``, ``tag_name`` and ``answer_category_v2`` (an object such as
  ``{"hipaa": {"z": ...}, "dicom": {...}, "tcia": {...}}``), sometimes ``scope``.
- Every text is wrapped in angle brackets: ``"<text_removed>"``, ``"<(0008,0050)>"``.
- A ``pixels_hidden`` check has no tag; its ``action_text`` is ``<{json}>`` with ``text``,
  ``top_left`` and ``bottom_right`` ([column, row] corners) and maybe ``font``.
- An optional row column ``scope`` (``<Instance>``, ``<Series>``, ``<Study>``,
  ``<Patient>``) says which files a row's checks apply to.
"""

from __future__ import annotations

import ast
import json
import os
import sqlite3
from pathlib import Path

import pandas as pd

TABLE = "answer_data"
ID_COLUMNS = ("Modality", "PatientID", "SOPClassUID", "StudyInstanceUID", "SeriesInstanceUID",
              "SOPInstanceUID")
#: One row per check; the identifiers are the answer key's (the original, synthetic-PHI files').
CHECK_COLUMNS = ["row", "check", *ID_COLUMNS, "scope", "action", "action_text", "value", "tag",
                 "tag_ds", "tag_name", "category"]
ACTIONS = ("tag_retained", "text_notnull", "text_retained", "text_removed", "date_shifted",
           "uid_changed", "pixels_hidden", "pixels_retained", "uid_consistent", "patid_consistent")


def unwrap(value: object) -> str:
    """A key text without its angle brackets; None becomes "". Python list reprs
    (``['A', 'B']``, how pydicom 2 prints a multi-valued element) become ``A\\B``."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value)
    if len(text) >= 2 and text[0] == "<" and text[-1] == ">":
        text = text[1:-1]
    if len(text) >= 2 and text[0] == "[" and text[-1] == "]":
        try:
            items = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text
        if isinstance(items, list) and all(isinstance(i, (str, int, float)) for i in items):
            return "\\".join(str(i) for i in items)
    return text


def _connect(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: answer key not found")
    with open(path, "rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise ValueError(f"{path}: not an SQLite database (a MIDI-B answer key is one)")
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _checks(raw: object, path: Path, row: int) -> list[tuple[str, dict]]:
    try:
        data = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
    except ValueError as exc:
        raise ValueError(f"{path}: row {row}: AnswerData is not JSON ({exc})") from exc
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list):
        items = [(str(i), c) for i, c in enumerate(data)]
    else:
        raise ValueError(f"{path}: row {row}: AnswerData is neither a JSON object nor a list of checks")
    for key, check in items:
        if not isinstance(check, dict) or "action" not in check:
            raise ValueError(f"{path}: row {row}: check {key} has no 'action'")
    return [(str(key), check) for key, check in items]


def load_answer_key(sqlite_path: str | os.PathLike) -> pd.DataFrame:
    """One row per check of a MIDI-B answer key (columns ``CHECK_COLUMNS``), texts unwrapped
    except ``tag_ds``, kept in the key's own form (``midib.tags.parse_tag_ds`` reads it).

    ``row`` is the key's row number (1-based), ``check`` the check's key inside AnswerData,
    ``scope`` the row's scope (``Instance`` when the key has none), ``category`` the
    ``answer_category_v2`` object as JSON text. Bad input raises FileNotFoundError or a
    ValueError that names the file and the problem."""
    path = Path(sqlite_path)
    connection = _connect(path)
    try:
        try:
            tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        except sqlite3.DatabaseError as exc:
            raise ValueError(f"{path}: not a readable SQLite database ({exc})") from exc
        if TABLE not in tables:
            raise ValueError(f"{path}: no table {TABLE!r} (tables: {', '.join(tables) or 'none'})")
        columns = [r[1] for r in connection.execute(f"PRAGMA table_info({TABLE})")]
        missing = [c for c in ("SOPInstanceUID", "AnswerData") if c not in columns]
        if missing:
            raise ValueError(f"{path}: table {TABLE!r} lacks column(s) {', '.join(missing)}")
        wanted = [c for c in (*ID_COLUMNS, "scope", "AnswerData") if c in columns]
        cursor = connection.execute(f"SELECT {', '.join(wanted)} FROM {TABLE} ORDER BY rowid")
        records = []
        for number, values in enumerate(cursor, start=1):
            row = dict(zip(wanted, values, strict=True))
            ids = {c: unwrap(row.get(c)) for c in ID_COLUMNS}
            for key, check in _checks(row["AnswerData"], path, number):
                scope = unwrap(row.get("scope")) or unwrap(check.get("scope")) or "Instance"
                category = check.get("answer_category_v2")
                records.append({
                    "row": number, "check": key, **ids, "scope": scope,
                    "action": unwrap(check.get("action")),
                    "action_text": unwrap(check.get("action_text")),
                    "value": unwrap(check.get("value")),
                    "tag": unwrap(check.get("tag")),
                    "tag_ds": str(check.get("tag_ds") or ""),
                    "tag_name": unwrap(check.get("tag_name")),
                    "category": category if isinstance(category, str) else json.dumps(category),
                })
    finally:
        connection.close()
    return pd.DataFrame(records, columns=CHECK_COLUMNS).astype({"row": "int64"})


def load_mapping(csv_path: str | os.PathLike) -> dict[str, str]:
    """An old -> new identifier mapping: MIDI-B's ``id_old, id_new`` files (UIDs or Patient
    IDs), or TCIA Pseudo-PHI crosswalks with ``evaluation, de-identified``. Values are read
    as text (Patient IDs keep leading zeros); the first row of a repeated old ID wins, as in
    the validation script."""
    path = Path(csv_path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: mapping file not found")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as exc:
        raise ValueError(f"{path}: not a readable CSV ({exc})") from exc
    for old, new in (("id_old", "id_new"), ("evaluation", "de-identified")):
        if old in table.columns and new in table.columns:
            pairs = table[[old, new]].apply(lambda s: s.str.strip()).drop_duplicates(old, keep="first")
            return dict(zip(pairs[old], pairs[new], strict=True))
    raise ValueError(f"{path}: expected columns 'id_old,id_new' (or 'evaluation,de-identified'), "
                     f"found {', '.join(map(str, table.columns)) or 'none'}")
