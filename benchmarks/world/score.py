"""The benchmark's numbers: findings matched to the planted truth and look-alikes.

A finding *matches* a truth row when it is on the same file and tag_path, overlaps the
row's span and has its phi_type; it *touches* a planted piece (truth or look-alike) when
it overlaps it, whatever its type. Only findings in the free-text elements the set writes
(``build.FREE_TEXT_PATHS``) are scored: the header elements (PatientName...) have no truth
rows here. "Context" counts leave out findings that only rules ``profile.*``/``crossref.*``
made (the file's own header names found again), to show what the text rules find alone.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from world.build import FREE_TEXT_PATHS, BuiltSet
from world.people import BY_CODE

SHARED_RULES = ("profile.", "crossref.")  # rules that read the header, not the text
LOOKALIKE_REGION = "LA"
TARGETS = {"name_recall": 0.95, "name_precision": 0.95, "region_name_recall": 0.85, "kind_recall": 0.95}


@dataclass
class Scored:
    """Truth, look-alike pieces and free-text findings, each with what matched what."""

    truth: pd.DataFrame  # + hit (same type), hit_context, hit_any (any type)
    lookalikes: pd.DataFrame  # planted look-alike pieces + touched
    findings: pd.DataFrame  # free-text findings + region, context, match, touch, on
    corpus: set[tuple[str, str]] = field(default_factory=set)  # (file, tag_path) of PHI-free values
    values: dict[tuple[str, str], str] = field(default_factory=dict)


def relative_files(findings: pd.DataFrame, folder: Path) -> pd.Series:
    """The findings' ``file`` column relative to ``folder`` (as the truth writes it)."""
    root = Path(os.path.realpath(folder))

    def one(name: str) -> str:
        path = Path(name)
        if path.is_absolute():
            path = Path(os.path.realpath(path))
            return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        prefix = folder.as_posix().rstrip("/") + "/"
        return name[len(prefix):] if name.startswith(prefix) else path.as_posix()

    return findings["file"].astype(str).map(one)


def is_context(rule: str) -> bool:
    """True when some rule of a (``+``-joined) rule value reads the text, not the header."""
    return any(not part.startswith(SHARED_RULES) for part in str(rule).split("+") if part)


def _region(file: str) -> str:
    return file.split("/", 1)[0]


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score(built: BuiltSet, findings: pd.DataFrame, folder: Path, min_confidence: float = 0.5) -> Scored:
    """Match the scan's ``findings`` to ``built``'s truth and look-alikes."""
    frame = pd.DataFrame(findings).copy()
    frame["file"] = relative_files(frame, folder) if len(frame) else pd.Series(dtype=str)
    keep = (frame["source"] == "tag") & frame["tag_path"].isin(FREE_TEXT_PATHS) \
        & (frame["confidence"] >= min_confidence)
    frame = frame[keep].reset_index(drop=True)
    for column in ("file", "tag_path", "phi_type", "text", "rule"):
        frame[column] = frame[column].astype(str)
    frame["start"] = frame["start"].astype(int)
    frame["end"] = frame["end"].astype(int)
    frame["region"] = frame["file"].map(_region)
    frame["context"] = frame["rule"].map(is_context)

    truth = pd.DataFrame(built.truth)
    lookalikes = pd.DataFrame(built.lookalikes)
    by_value: dict[tuple[str, str], list[tuple[str, int, pd.Series]]] = defaultdict(list)
    for table_name, table in (("truth", truth), ("lookalike", lookalikes)):
        for index, row in table.iterrows():
            by_value[(row["file"], row["tag_path"])].append((table_name, index, row))

    hit, hit_context, hit_any, touched = set(), set(), set(), set()
    match, touch, on = [], [], []
    for finding in frame.itertuples():
        matched, touching, where = False, False, ""
        for table_name, index, row in by_value.get((finding.file, finding.tag_path), []):
            if not _overlaps(finding.start, finding.end, row["start"], row["end"]):
                continue
            touching = True
            if table_name == "lookalike":
                touched.add(index)
                where = where or f"look-alike {row['detail']}"
                continue
            hit_any.add(index)
            if row["phi_type"] == finding.phi_type:
                matched = True
                hit.add(index)
                if finding.context:
                    hit_context.add(index)
            else:
                where = where or f"{row['phi_type']} ({row['kind']})"
        match.append(matched)
        touch.append(touching)
        on.append("" if matched else where)
    frame["match"], frame["touch"], frame["on"] = match, touch, on
    truth["hit"] = truth.index.isin(list(hit))
    truth["hit_context"] = truth.index.isin(list(hit_context))
    truth["hit_any"] = truth.index.isin(list(hit_any))
    lookalikes["touched"] = lookalikes.index.isin(list(touched)) if len(lookalikes) else []
    return Scored(truth, lookalikes, frame, set(built.lookalike_values), dict(built.values))


def _share(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def _name_numbers(truth: pd.DataFrame, findings: pd.DataFrame, hit: str) -> dict:
    """NAME recall (all / not in the header) and precision for one slice."""
    names = truth[truth["phi_type"] == "NAME"]
    outside = names[~names["in_header"].astype(bool)]
    flagged = findings[findings["phi_type"] == "NAME"]
    return {"names": len(names), "found": int(names[hit].sum()), "recall": _share(int(names[hit].sum()), len(names)),
            "not_in_header": len(outside), "recall_not_in_header": _share(int(outside[hit].sum()), len(outside)),
            "name_findings": len(flagged), "false_names": int((~flagged["match"]).sum()),
            "precision": _share(int(flagged["match"].sum()), len(flagged))}


def name_table(scored: Scored) -> pd.DataFrame:
    """Per region: NAME recall/precision with all findings and with context rules only."""
    rows = []
    regions = [code for code in dict.fromkeys(scored.truth["region"]) if code in BY_CODE]
    for code in regions:
        region = BY_CODE[code]
        truth = scored.truth[scored.truth["region"] == code]
        found = scored.findings[scored.findings["region"] == code]
        every = _name_numbers(truth, found, "hit")
        context = _name_numbers(truth, found[found["context"]], "hit_context")
        marks = ("" if region.latin else "non-Latin") + (" stand-in" if region.stand_in else "")
        rows.append({"region": code, "latin": region.latin, "stand_in": bool(region.stand_in),
                     "marks": marks.strip(), **every,
                     **{f"ctx_{key}": value for key, value in context.items() if key in
                        ("found", "recall", "recall_not_in_header", "name_findings", "false_names", "precision")}})
    return pd.DataFrame(rows)


def overall_names(scored: Scored) -> dict[str, dict]:
    """NAME numbers over the Latin-script regions and over all regions (region files only)."""
    region_files = scored.findings[scored.findings["region"] != LOOKALIKE_REGION]
    latin_codes = {code for code, region in BY_CODE.items() if region.latin}
    out = {}
    for label, codes in (("latin", latin_codes), ("all", set(BY_CODE))):
        truth = scored.truth[scored.truth["region"].isin(codes)]
        found = region_files[region_files["region"].isin(codes)]
        out[label] = _name_numbers(truth, found, "hit")
        out[f"{label}_context"] = _name_numbers(truth, found[found["context"]], "hit_context")
    return out


def identifier_table(scored: Scored) -> pd.DataFrame:
    """Recall per identifier kind and detail (same type, and touched by any finding)."""
    ids = scored.truth[scored.truth["kind"] != "name"]
    rows = []
    for (kind, detail), group in ids.groupby(["kind", "detail"], sort=True):
        rows.append({"kind": kind, "detail": detail, "n": len(group), "found": int(group["hit"].sum()),
                     "recall": _share(int(group["hit"].sum()), len(group)),
                     "recall_any_type": _share(int(group["hit_any"].sum()), len(group))})
    return pd.DataFrame(rows, columns=["kind", "detail", "n", "found", "recall", "recall_any_type"])


def kind_table(scored: Scored) -> pd.DataFrame:
    """Recall per identifier kind."""
    ids = scored.truth[scored.truth["kind"] != "name"]
    rows = [{"kind": kind, "phi_type": group["phi_type"].iloc[0], "n": len(group), "found": int(group["hit"].sum()),
             "recall": _share(int(group["hit"].sum()), len(group)),
             "recall_any_type": _share(int(group["hit_any"].sum()), len(group))}
            for kind, group in ids.groupby("kind", sort=True)]
    return pd.DataFrame(rows, columns=["kind", "phi_type", "n", "found", "recall", "recall_any_type"])


def lookalike_numbers(scored: Scored) -> dict:
    """How many PHI-free corpus values and planted look-alike pieces any finding touches."""
    corpus_findings = scored.findings[[(f, t) in scored.corpus for f, t in
                                       zip(scored.findings["file"], scored.findings["tag_path"], strict=True)]]
    touched_values = set(zip(corpus_findings["file"], corpus_findings["tag_path"], strict=True))
    pieces = scored.lookalikes
    by_kind = pieces.groupby("detail")["touched"].agg(["size", "sum"]).rename(columns={"size": "n", "sum": "touched"}) \
        if len(pieces) else pd.DataFrame(columns=["n", "touched"])
    return {"corpus_values": len(scored.corpus), "corpus_values_touched": len(touched_values),
            "corpus_clean": _share(len(scored.corpus) - len(touched_values), len(scored.corpus)),
            "corpus_findings": len(corpus_findings),
            "corpus_findings_by_type": corpus_findings["phi_type"].value_counts().to_dict(),
            "pieces": len(pieces), "pieces_touched": int(pieces["touched"].sum()) if len(pieces) else 0,
            "pieces_clean": _share(len(pieces) - int(pieces["touched"].sum()), len(pieces)) if len(pieces) else
            float("nan"),
            "pieces_by_kind": {kind: {"n": int(r.n), "touched": int(r.touched)} for kind, r in by_kind.iterrows()}}


def lookalike_alarms(scored: Scored) -> pd.DataFrame:
    """Findings on PHI-free corpus values or on planted look-alikes, by text, rule and type."""
    findings = scored.findings
    in_corpus = pd.Series([(f, t) in scored.corpus for f, t in zip(findings["file"], findings["tag_path"], strict=True)],
                          index=findings.index, dtype=bool)
    on_piece = findings["on"].str.startswith("look-alike") & ~findings["match"]
    chosen = findings[in_corpus | on_piece]
    return _count(chosen, ["text", "rule", "phi_type"])


def _count(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    if not len(frame):
        return pd.DataFrame(columns=[*by, "count", "regions"])
    grouped = frame.groupby(by, sort=False)
    table = grouped.size().rename("count").reset_index()
    regions = grouped["region"].agg(lambda r: ",".join(sorted(set(r)))).reset_index(drop=True)
    table["regions"] = regions
    return table.sort_values(["count", *by], ascending=[False, *[True] * len(by)], kind="stable") \
        .reset_index(drop=True)


def false_alarms(scored: Scored) -> pd.DataFrame:
    """Findings that match no truth span of their type, counted by text, rule, type and what
    they sit on (a look-alike, PHI of another type, or plain text)."""
    wrong = scored.findings[~scored.findings["match"]].copy()
    wrong["on"] = wrong["on"].replace("", "plain text")
    return _count(wrong, ["text", "rule", "phi_type", "on"])


def context_of(values: dict[tuple[str, str], str], file: str, tag_path: str, start: int, end: int,
               width: int = 30) -> str:
    """The value around ``start:end`` (``width`` characters each side), the span in [brackets]."""
    value = values.get((file, tag_path), "")
    left = value[max(0, start - width):start]
    right = value[end:end + width]
    return f"{'…' if start > width else ''}{left}[{value[start:end]}]{right}{'…' if end + width < len(value) else ''}"


def misses(scored: Scored) -> pd.DataFrame:
    """Truth rows no finding of their type overlaps, most common (kind, detail) first."""
    missed = scored.truth[~scored.truth["hit"]].copy()
    if not len(missed):
        return pd.DataFrame(columns=["text", "kind", "detail", "region", "context", "hit_any"])
    missed["context"] = [context_of(scored.values, r.file, r.tag_path, r.start, r.end) for r in missed.itertuples()]
    sizes = missed.groupby(["kind", "detail"])["text"].transform("size")
    missed["group_size"] = sizes
    missed["rank"] = missed.groupby(["kind", "detail"]).cumcount()
    ordered = missed.sort_values(["rank", "group_size", "kind", "detail"], ascending=[True, False, True, True],
                                 kind="stable")
    return ordered[["text", "kind", "detail", "region", "context", "hit_any", "file", "tag_path"]] \
        .reset_index(drop=True)


def miss_groups(scored: Scored) -> pd.DataFrame:
    """Misses counted by kind and detail, with the regions they are in."""
    missed = scored.truth[~scored.truth["hit"]]
    return _count(missed, ["kind", "detail"])


def targets(names: pd.DataFrame, overall: dict[str, dict], kinds: pd.DataFrame) -> list[tuple[str, float, float, bool]]:
    """(what, value, target, met) for each target."""
    out = [("NAME recall, Latin-script regions", overall["latin"]["recall"], TARGETS["name_recall"]),
           ("NAME precision, Latin-script regions", overall["latin"]["precision"], TARGETS["name_precision"])]
    for row in names[names["latin"]].itertuples():
        out.append((f"NAME recall {row.region}", row.recall, TARGETS["region_name_recall"]))
    for row in kinds.itertuples():
        out.append((f"{row.kind} recall", row.recall, TARGETS["kind_recall"]))
    return [(what, value, target, bool(value >= target)) for what, value, target in out]
