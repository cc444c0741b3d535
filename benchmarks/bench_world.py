"""World benchmark: PHI in DICOM header free text, for patients and staff of 13 countries.

What it measures: how well ``phidetect.scan`` finds people's names and identifiers written
in the free-text header elements (AdditionalPatientHistory, StudyComments,
RequestedProcedureComments, ImageComments, PatientComments, StudyDescription and a private
"HOSPITAL NOTES" element) when the people are not American, and how often it flags medical
words that only look like names or identifiers. Per region (US as control, Nigeria, India,
Viet Nam, Indonesia, the Philippines, Turkey, Ireland, Kenya, South Africa, Pakistan,
Bangladesh, Nepal) it prints NAME recall (all planted names, and those not in the file's
own header) and NAME precision, with all rules and with the text ("context") rules alone,
leaving out ``profile.*`` and ``crossref.*``; then recall per identifier kind and shape
(record numbers, national IDs, phones, dates, addresses), the look-alike precision (PHI-free
values and planted look-alikes touched by any finding), the top misses and false alarms,
and the targets with PASS/BELOW. Nothing is asserted: the numbers are reported as they are.

Data sources: names from Faker's locales (en_NG, yo_NG, ig_NG, ha_NG, en_IN, vi_VN, id_ID,
tr_TR, en_IE, ga_IE, en_KE, zu_ZA, en_PK, bn_BD, ne_NP; es_ES/en_US stand in for the
Philippines) and mimesis for Turkish names when it is installed (optional); national IDs
made valid with python-stdnum (shape only where a country's ID has no public check);
phone numbers valid for ``phonenumbers``; addresses from Faker; the medical look-alikes and
sentence templates are the benchmark's own (``benchmarks/world``). The set is rebuilt from
``--seed`` each run, in a temporary folder unless ``--keep``.

    .venv/bin/python benchmarks/bench_world.py                          # 40 files per region
    .venv/bin/python benchmarks/bench_world.py --n 20 --workers 2 --json /tmp/world.json
    .venv/bin/python benchmarks/bench_world.py --regions US,NG,VN --n 5 --lookalikes 200 --show 30
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from world import score as sc  # noqa: E402
from world.build import build_set  # noqa: E402
from world.people import BY_CODE, REGIONS, MimesisPerson  # noqa: E402

import phidetect  # noqa: E402


def _pct(value: float) -> str:
    return "  n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:5.3f}"


def _print_names(names: pd.DataFrame, overall: dict[str, dict]) -> None:
    print("1. NAME per region (free-text elements; ctx = without profile.*/crossref.* findings)")
    print(f"{'region':<8}{'names':>6}{'recall':>8}{'!hdr n':>8}{'!hdr rec':>9}{'found':>7}{'false':>7}{'prec':>7}"
          f" |{'ctx rec':>8}{'ctx !hdr':>9}{'ctx fnd':>8}{'ctx fls':>8}{'ctx prec':>9}  marks")
    for r in names.itertuples():
        print(f"{r.region:<8}{r.names:>6}{_pct(r.recall):>8}{r.not_in_header:>8}{_pct(r.recall_not_in_header):>9}"
              f"{r.name_findings:>7}{r.false_names:>7}{_pct(r.precision):>7} |{_pct(r.ctx_recall):>8}"
              f"{_pct(r.ctx_recall_not_in_header):>9}{r.ctx_name_findings:>8}{r.ctx_false_names:>8}"
              f"{_pct(r.ctx_precision):>9}  {r.marks}")
    print("   marks: non-Latin = names not in Latin script; stand-in = names not the region's own (see people.py)")
    print("\n2. NAME overall (region files)")
    for label in ("latin", "all"):
        every, ctx = overall[label], overall[f"{label}_context"]
        what = "Latin-script regions" if label == "latin" else "all regions"
        print(f"   {what:<22} recall {_pct(every['recall'])} ({every['found']}/{every['names']}), not in header "
              f"{_pct(every['recall_not_in_header'])}, precision {_pct(every['precision'])} "
              f"({every['false_names']} false of {every['name_findings']}) | context only: recall "
              f"{_pct(ctx['recall'])}, not in header {_pct(ctx['recall_not_in_header'])}, precision "
              f"{_pct(ctx['precision'])}")


def _print_identifiers(kinds: pd.DataFrame, details: pd.DataFrame) -> None:
    print("\n3. Identifiers: recall per kind (same phi_type; 'any' = touched by a finding of any type)")
    for r in kinds.itertuples():
        print(f"   {r.kind:<12} {r.phi_type:<8} {r.found:>5}/{r.n:<5} recall {_pct(r.recall)}  any {_pct(r.recall_any_type)}")
    print("   per detail:")
    for r in details.itertuples():
        print(f"   {r.kind:<12} {r.detail:<30} {r.found:>4}/{r.n:<4} recall {_pct(r.recall)}  "
              f"any {_pct(r.recall_any_type)}")


def _print_lookalikes(numbers: dict, alarms: pd.DataFrame, show: int) -> None:
    print("\n4. Look-alike precision (PHI-free values; any finding of any type counts against)")
    print(f"   corpus values: {numbers['corpus_values']}, touched {numbers['corpus_values_touched']}, clean "
          f"{_pct(numbers['corpus_clean'])}; findings there {numbers['corpus_findings']} "
          f"{numbers['corpus_findings_by_type']}")
    print(f"   planted look-alikes in region files: {numbers['pieces']}, touched {numbers['pieces_touched']}, clean "
          f"{_pct(numbers['pieces_clean'])}")
    bad = {k: v for k, v in numbers["pieces_by_kind"].items() if v["touched"]}
    if bad:
        print("   touched by kind: " + ", ".join(f"{k} {v['touched']}/{v['n']}" for k, v in sorted(bad.items())))
    print(f"   top look-alike false alarms ({len(alarms)} distinct):")
    for r in alarms.head(show).itertuples():
        print(f"   {r.count:>4}  {r.text!r:<36} {r.phi_type:<12} {r.rule}  [{r.regions}]")


def _print_misses(groups: pd.DataFrame, missed: pd.DataFrame, alarms: pd.DataFrame, show: int) -> None:
    print("\n5. Misses by kind/detail")
    for r in groups.head(show).itertuples():
        print(f"   {r.count:>4}  {r.kind:<12} {r.detail:<30} [{r.regions}]")
    print(f"   top misses ({len(missed)}; 'any' = a finding of another type covers it):")
    for r in missed.head(show).itertuples():
        print(f"   {r.text!r:<32} {r.kind:<11} {r.detail:<22} {r.region:<3}{' any' if r.hit_any else '    '}  "
              f"{r.context!r}")
    print(f"   top false alarms ({int(alarms['count'].sum()) if len(alarms) else 0} findings, {len(alarms)} distinct):")
    for r in alarms.head(show).itertuples():
        print(f"   {r.count:>4}  {r.text!r:<34} {r.phi_type:<12} {r.rule:<44} on {r.on}  [{r.regions}]")


def _print_targets(results: list[tuple[str, float, float, bool]]) -> None:
    print("\n6. Targets")
    for what, value, target, met in results:
        print(f"   {'PASS ' if met else 'BELOW'}  {what:<40} {_pct(value)}  (target >= {target:.2f})")


def _plain(value: object) -> object:
    """``value`` with NaN as None (JSON has no NaN) and numpy numbers as Python ones."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    return None if isinstance(value, float) and math.isnan(value) else value


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def run(args: argparse.Namespace, folder: Path) -> dict:
    """Build the set in ``folder``, scan it, print the tables; returns every number."""
    regions = [BY_CODE[c.strip().upper()] for c in args.regions.split(",")] if args.regions else REGIONS
    started = time.perf_counter()
    built = build_set(folder, args.n, args.seed, lookalike_values=args.lookalikes, regions=regions)
    built_s = time.perf_counter() - started
    started = time.perf_counter()
    findings = phidetect.scan([folder], workers=args.workers, progress=False)
    scan_s = time.perf_counter() - started
    errors = getattr(findings, "errors", None)
    print(f"World benchmark: {len(regions)} regions x {args.n} files, {args.lookalikes} look-alike values, seed "
          f"{args.seed}; {built.files} files written in {built_s:.1f} s, scanned in {scan_s:.1f} s "
          f"({args.workers} workers), {len(findings)} findings, "
          f"{0 if errors is None else len(errors)} error rows; min confidence {args.min_confidence}")
    if errors is not None and len(errors):
        print("WARNING: files not scanned (their truth counts as missed): "
              + "; ".join(f"{r.file}: {r.kind}" for r in errors.head(5).itertuples()))
    print(f"truth: {len(built.truth)} PHI spans, {len(built.lookalikes)} planted look-alikes, "
          f"{len(built.lookalike_values)} PHI-free values; mimesis "
          f"{'used for TR' if MimesisPerson is not None else 'not installed (TR names from tr_TR only)'}\n")

    scored = sc.score(built, findings, folder, args.min_confidence)
    names, overall = sc.name_table(scored), sc.overall_names(scored)
    kinds, details = sc.kind_table(scored), sc.identifier_table(scored)
    la_numbers, la_alarms = sc.lookalike_numbers(scored), sc.lookalike_alarms(scored)
    groups, missed, alarms = sc.miss_groups(scored), sc.misses(scored), sc.false_alarms(scored)
    results = sc.targets(names, overall, kinds)
    _print_names(names, overall)
    _print_identifiers(kinds, details)
    _print_lookalikes(la_numbers, la_alarms, args.show)
    _print_misses(groups, missed, alarms, args.show)
    _print_targets(results)

    truth = phidetect.truth_frame([{k: row[k] for k in phidetect.TRUTH_COLUMNS if k in row}
                                            for row in built.truth])
    official = phidetect.evaluate(scored.findings[list(phidetect.COLUMNS)], truth, min_confidence=args.min_confidence)
    print("\nphidetect.evaluate on the same free-text findings (fp: a finding on no truth span of any type):")
    print(official.metrics.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return {"settings": {k: v for k, v in vars(args).items() if k != "json"}, "files": built.files,
            "build_s": built_s, "scan_s": scan_s, "findings": len(findings), "names": _records(names),
            "names_overall": overall, "identifier_kinds": _records(kinds), "identifier_details": _records(details),
            "lookalikes": la_numbers, "lookalike_false_alarms": _records(la_alarms),
            "miss_groups": _records(groups), "misses": _records(missed), "false_alarms": _records(alarms),
            "targets": [{"what": w, "value": v, "target": t, "met": m} for w, v, t, m in results],
            "evaluate_metrics": _records(official.metrics)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="files per region (default 40)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--lookalikes", type=int, default=2000, help="PHI-free look-alike values (default 2000)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--regions", default="", help="comma list of region codes (default: all 13)")
    parser.add_argument("--keep", type=Path, help="write the set here and keep it")
    parser.add_argument("--json", type=Path, help="write every number here")
    parser.add_argument("--min-confidence", type=float, default=0.5)
    parser.add_argument("--show", type=int, default=15, help="top misses / false alarms to print")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        numbers = run(args, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="phidetect_world_") as tmp:
            numbers = run(args, Path(tmp))
    if args.json:
        args.json.write_text(json.dumps(_plain(numbers), indent=1, ensure_ascii=False, default=str), encoding="utf-8")
        print(f"\nnumbers written to {args.json}")


if __name__ == "__main__":
    main()
