"""Scoring a findings table against a hand-made truth table.

A detector is only as trustworthy as its measured recall: a missed name is a leak.
``evaluate`` matches findings to truth rows (character spans for tags, boxes for
pixels), then reports counts, precision/recall/F1, the misses and false alarms to
look at, a confidence sweep to choose ``--fail-on``, and a calibration table to see
whether a confidence of 0.8 really means "right 8 times in 10". Rules are in
``docs/truth-schema.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from phidetect.findings import COLUMNS, typed_frame
from phidetect.geometry import covered_share

#: Column name -> pandas dtype of the truth table, in order (meanings as in the findings schema).
TRUTH_COLUMNS: dict[str, str] = {
    "file": "string",
    "source": "string",
    "tag_path": "string",
    "keyword": "string",
    "phi_type": "string",
    "text": "string",
    "start": "int64",
    "end": "int64",
    "frame": "int64",
    "x": "int64",
    "y": "int64",
    "width": "int64",
    "height": "int64",
    "required": "bool",
}

METRIC_COLUMNS = ["source", "phi_type", "tp", "fp", "fn", "precision", "recall", "f1"]
ALL = "ALL"
BoxRule = Literal["coverage", "presidio"]

_DEFAULTS = {"start": -1, "end": -1, "frame": -1, "x": -1, "y": -1, "width": -1, "height": -1,
             "required": True}


def _as_bool(value: object) -> bool:
    """CSV round trips give "True"/"false"/"1"/""; an empty cell means required (the default)."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("", "true", "1", "yes", "y", "t"):
            return True
        if text in ("false", "0", "no", "n", "f"):
            return False
        raise ValueError(f"required: {value!r} is not a boolean")
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return True
    return bool(value)


def truth_frame(rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """Rows (dicts, or a table read from CSV/Parquet) -> a DataFrame with exactly the truth
    columns and dtypes; missing numbers default to -1, a missing ``required`` to True."""
    frame = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    for name, dtype in TRUTH_COLUMNS.items():
        if name not in frame.columns:
            frame[name] = _DEFAULTS.get(name, "") if len(frame) else pd.Series(dtype=dtype)
    frame["required"] = [_as_bool(v) for v in frame["required"]]
    for name, dtype in TRUTH_COLUMNS.items():
        if dtype == "string":
            frame[name] = frame[name].fillna("").astype(str)
        elif dtype == "int64":
            frame[name] = pd.to_numeric(frame[name]).fillna(_DEFAULTS[name])
    return typed_frame(frame, TRUTH_COLUMNS).reset_index(drop=True)


def _findings(findings: pd.DataFrame) -> pd.DataFrame:
    """Any findings table (a scan result, or one read back from CSV) with the schema dtypes."""
    frame = pd.DataFrame(findings).copy()
    for name, dtype in COLUMNS.items():
        if name in frame.columns and dtype == "string":
            frame[name] = frame[name].fillna("").astype(str)
        elif name in frame.columns and dtype == "int64":
            frame[name] = pd.to_numeric(frame[name]).fillna(-1)
    return typed_frame(frame, COLUMNS).reset_index(drop=True)


@dataclass
class EvaluationResult:
    """The evaluation tables: ``metrics`` to report, ``misses`` and ``false_alarms`` to read,
    ``per_file`` to see which files leak, ``sweep`` to choose a threshold, ``calibration`` to
    check the confidences."""

    metrics: pd.DataFrame
    misses: pd.DataFrame
    false_alarms: pd.DataFrame
    sweep: pd.DataFrame
    calibration: pd.DataFrame
    per_file: pd.DataFrame


def _tag_pairs(findings: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """(fid, tid) pairs of tag findings and tag truth rows on the same element whose spans overlap."""
    f = findings[findings["source"] == "tag"][["file", "tag_path", "start", "end"]].rename_axis("fid")
    t = truth[truth["source"] == "tag"][["file", "tag_path", "start", "end"]].rename_axis("tid")
    pairs = f.reset_index().merge(t.reset_index(), on=["file", "tag_path"], suffixes=("_f", "_t"))
    overlap = (pairs["start_f"] < pairs["end_t"]) & (pairs["start_t"] < pairs["end_f"])
    return pairs.loc[overlap, ["fid", "tid"]]


def _box_pairs(findings: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """(fid, tid) pairs of pixel findings and pixel truth boxes on the same file and frame."""
    cols = ["file", "frame", "x", "y", "width", "height"]
    f = findings[findings["source"] == "pixel"][cols].rename_axis("fid").reset_index()
    t = truth[truth["source"] == "pixel"][cols].rename_axis("tid").reset_index()
    return f.merge(t, on=["file", "frame"], suffixes=("_f", "_t"))


def _intersects(pairs: pd.DataFrame) -> pd.Series:
    w = (np.minimum(pairs["x_f"] + pairs["width_f"], pairs["x_t"] + pairs["width_t"])
         - np.maximum(pairs["x_f"], pairs["x_t"]))
    h = (np.minimum(pairs["y_f"] + pairs["height_f"], pairs["y_t"] + pairs["height_t"])
         - np.maximum(pairs["y_f"], pairs["y_t"]))
    return (w > 0) & (h > 0)


def _coverage(group: pd.DataFrame) -> float:
    """Share of one truth box's area covered by the union of the finding boxes over it."""
    row = group.iloc[0]
    truth = (row["x_t"], row["y_t"], row["width_t"], row["height_t"])
    return covered_share(truth, group[["x_f", "y_f", "width_f", "height_f"]].itertuples(index=False))


def _match(findings: pd.DataFrame, truth: pd.DataFrame, box_rule: BoxRule, box_coverage: float,
           tolerance: int) -> tuple[np.ndarray, np.ndarray]:
    """Which truth rows were found, and each finding's status: "tp", "ignored" (touches only
    non-required truth, or a truth box it covers too little of) or "fp"."""
    required = truth["required"].to_numpy(dtype=bool)
    tags = _tag_pairs(findings, truth)
    found = np.zeros(len(truth), dtype=bool)
    found[tags["tid"].to_numpy(dtype=int)] = True
    good = [tags]  # pairs that make the finding count as matched
    touching = [tags]  # pairs that keep the finding from being a false alarm if truth is non-required
    boxes = _box_pairs(findings, truth)
    if len(boxes):
        if box_rule == "presidio":
            # Presidio's BboxProcessor.match_with_source: left, top, width and height each
            # within the tolerance (not the right and bottom edges)
            near = ((boxes["x_f"] - boxes["x_t"]).abs() <= tolerance) \
                & ((boxes["y_f"] - boxes["y_t"]).abs() <= tolerance) \
                & ((boxes["width_f"] - boxes["width_t"]).abs() <= tolerance) \
                & ((boxes["height_f"] - boxes["height_t"]).abs() <= tolerance)
            hit = boxes[near]
            found[hit["tid"].to_numpy(dtype=int)] = True
            good.append(hit[["fid", "tid"]])
            touching.append(hit[["fid", "tid"]])
        elif box_rule == "coverage":
            over = boxes[_intersects(boxes)]
            if len(over):
                cover = over.groupby("tid")[list(over.columns)].apply(_coverage)
                covered = cover.index[cover.to_numpy() >= box_coverage].to_numpy(dtype=int)
                found[covered] = True
                good.append(over.loc[over["tid"].isin(covered), ["fid", "tid"]])
                touching.append(over[["fid", "tid"]])
        else:
            raise ValueError(f"box_rule must be 'coverage' or 'presidio', not {box_rule!r}")
    good_pairs = pd.concat(good)
    touch_pairs = pd.concat(touching)
    status = np.full(len(findings), "fp", dtype=object)
    # touching non-required truth, or a required box not covered enough (it found part of
    # the PHI: the truth row is the miss, the finding is no false alarm)
    status[touch_pairs["fid"].to_numpy(dtype=int)] = "ignored"
    matched = good_pairs[required[good_pairs["tid"].to_numpy(dtype=int)]]["fid"].to_numpy(dtype=int)
    status[matched] = "tp"
    return found, status


def _scores(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1; NaN where undefined (nothing predicted, nothing to find)."""
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    if np.isnan(precision) or np.isnan(recall):
        f1 = float("nan")
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _metrics(findings: pd.DataFrame, truth: pd.DataFrame, found: np.ndarray,
             status: np.ndarray) -> pd.DataFrame:
    """tp/fn per truth (source, phi_type); fp per finding (source, phi_type); then per source
    and overall rows labelled ``ALL``."""
    req = truth[truth["required"].to_numpy(dtype=bool)]
    req_found = found[truth["required"].to_numpy(dtype=bool)]
    counts: dict[tuple[str, str], list[int]] = {}
    for (source, phi_type), hit in zip(zip(req["source"], req["phi_type"], strict=True), req_found,
                                       strict=True):
        counts.setdefault((source, phi_type), [0, 0, 0])[0 if hit else 2] += 1
    fps = findings[status == "fp"]
    for source, phi_type in zip(fps["source"], fps["phi_type"], strict=True):
        counts.setdefault((source, phi_type), [0, 0, 0])[1] += 1
    rows = []
    for source, phi_type in sorted(counts):
        rows.append((source, phi_type, *counts[(source, phi_type)]))
    for source in sorted({s for s, _ in counts}):
        totals = np.sum([c for (s, _), c in counts.items() if s == source], axis=0)
        rows.append((source, ALL, *map(int, totals)))
    totals = np.sum(list(counts.values()), axis=0) if counts else [0, 0, 0]
    rows.append((ALL, ALL, *map(int, totals)))
    table = pd.DataFrame(rows, columns=METRIC_COLUMNS[:5])
    scored = [_scores(r.tp, r.fp, r.fn) for r in table.itertuples()]
    table[["precision", "recall", "f1"]] = pd.DataFrame(scored, index=table.index, dtype="float64")
    return table.astype({"tp": "int64", "fp": "int64", "fn": "int64"})


def evaluate(findings: pd.DataFrame, truth: pd.DataFrame, *, min_confidence: float = 0.0,
             box_coverage: float = 0.5, box_rule: BoxRule = "coverage",
             tolerance: int = 50) -> EvaluationResult:
    """Score ``findings`` (the findings schema) against ``truth`` (``TRUTH_COLUMNS``).

    Findings under ``min_confidence`` are dropped first. ``box_rule="coverage"`` finds a truth
    box when the finding boxes together cover ``box_coverage`` of its area; ``"presidio"``
    when one finding box's left, top, width and height are each within ``tolerance`` pixels
    of the truth box's (Presidio's rule).
    """
    all_findings = _findings(findings)
    truth = truth_frame(truth)

    def run(threshold: float) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
        kept = all_findings[all_findings["confidence"] >= threshold].reset_index(drop=True)
        found, status = _match(kept, truth, box_rule, box_coverage, tolerance)
        return kept, found, status

    kept, found, status = run(min_confidence)
    metrics = _metrics(kept, truth, found, status)
    misses = truth[truth["required"].to_numpy(dtype=bool) & ~found]
    misses = misses.sort_values(["file", "source", "tag_path", "start", "frame", "y", "x"],
                                kind="stable").reset_index(drop=True)
    false_alarms = kept[status == "fp"].reset_index(drop=True)

    sweep_rows = []
    for threshold in np.round(np.arange(0.0, 1.0 + 1e-9, 0.05), 2):
        s_kept, s_found, s_status = run(max(float(threshold), min_confidence))
        overall = _metrics(s_kept, truth, s_found, s_status).iloc[-1]
        sweep_rows.append((float(threshold), int(overall["tp"]), int(overall["fp"]), int(overall["fn"]),
                           overall["precision"], overall["recall"], overall["f1"]))
    sweep = pd.DataFrame(sweep_rows, columns=["threshold", "tp", "fp", "fn", "precision", "recall", "f1"])

    return EvaluationResult(metrics, misses, false_alarms, sweep, _calibration(kept, status),
                            _per_file(kept, truth, found, status))


PER_FILE_COLUMNS = ["file", "tp", "fp", "fn", "tag_fn", "pixel_fn", "recall", "precision"]


def _per_file(findings: pd.DataFrame, truth: pd.DataFrame, found: np.ndarray,
              status: np.ndarray) -> pd.DataFrame:
    """One row per file that has required truth or findings: its hits, false alarms and misses
    (split by source), leakiest files first, so a reviewer opens the worst file first."""
    required = truth["required"].to_numpy(dtype=bool)
    req = truth.loc[required, ["file", "source"]].assign(hit=found[required])
    files = sorted(set(req["file"]) | set(findings["file"]))
    table = pd.DataFrame({"file": pd.Series(files, dtype="string")})
    grouped = req.groupby("file")
    table["tp"] = table["file"].map(grouped["hit"].sum()).fillna(0)
    table["fn"] = table["file"].map(grouped["hit"].apply(lambda h: int((~h).sum()))).fillna(0)
    missed = req[~req["hit"]]
    for source in ("tag", "pixel"):
        counts = missed[missed["source"] == source].groupby("file").size()
        table[f"{source}_fn"] = table["file"].map(counts).fillna(0)
    fp_counts = findings[status == "fp"].groupby("file").size()
    table["fp"] = table["file"].map(fp_counts).fillna(0)
    table = table.astype({c: "int64" for c in ("tp", "fp", "fn", "tag_fn", "pixel_fn")})
    scored = [_scores(r.tp, r.fp, r.fn) for r in table.itertuples()]
    table["recall"] = pd.Series([r for _, r, _ in scored], index=table.index, dtype="float64")
    table["precision"] = pd.Series([p for p, _, _ in scored], index=table.index, dtype="float64")
    table = table.sort_values(["fn", "fp", "file"], ascending=[False, False, True], kind="stable")
    return table[PER_FILE_COLUMNS].reset_index(drop=True)


def _calibration(findings: pd.DataFrame, status: np.ndarray) -> pd.DataFrame:
    """Per confidence bin [0.0, 0.1), ..., [0.9, 1.0]: findings scored (ignored ones left out),
    how many matched truth, and that share (observed precision)."""
    scored = findings[status != "ignored"]
    hits = status[status != "ignored"] == "tp"
    bins = np.clip(np.floor(scored["confidence"].to_numpy(dtype=float) * 10 + 1e-9), 0, 9).astype(int)
    rows = []
    for b in range(10):
        in_bin = bins == b
        count, matched = int(in_bin.sum()), int(hits[in_bin].sum())
        rows.append((round(b / 10, 1), round((b + 1) / 10, 1), count, matched,
                     matched / count if count else float("nan")))
    return pd.DataFrame(rows, columns=["bin_low", "bin_high", "count", "matched", "precision"])
