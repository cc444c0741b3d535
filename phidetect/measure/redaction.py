"""What redaction achieves on synthetic data with a known truth: the README's figures.

    >>> from phidetect.measure import measure_redaction
    >>> measure_redaction(n=100, seed=0).table()      # CLI: phidetect measure-redaction

Generates ``n`` synthetic files (phidetect.datasets.synthetic), redacts them with a fixed
secret, and measures, per run:

- **truth boxes**: the truth's pixel boxes given as ``boxes=`` and OCR off, an upper bound
  for pixel blanking that does not depend on OCR;
- **ocr** (``ocr=True``): redaction as a user runs it, burned-in text found by OCR (PHI
  words, the rest of their lines, text read too unsurely to judge);
- ``phi_words_only``: the same, blanking only the words the rules name as PHI;
- ``blank_text_regions``: the same, also blanking every classical text region.

What is measured, and how:

(a) **Residual header PHI** (phidetect.measure.header_residue): a required tag truth row
    whose text (for a name, one of its parts as a word) is still in the copy's element;
    an absent or empty element counts as removed. Rows in attributes a policy option keeps
    on purpose (``K`` by Retain Device Identity under ``research``: station name, serial
    number) are counted apart. The copies are also rescanned (``phidetect.redact.verify``,
    tags only): residual findings at >= 0.5.
(b) **Truth boxes blanked** (phidetect.measure.pixel_residue): at least 95 % of the box's
    pixels display at or below grey 16 of 255 (every channel), or its values spread over
    at most 8 grey levels (1st to 99th percentile). Per box and frame, and per distinct box
    (blanked in every frame it is in). Also the share of pixels *outside* the truth boxes
    (grown by the redaction margin, every frame) whose stored values are unchanged.
(c) **Untouched non-PHI elements unchanged** (phidetect.measure.elements_kept): byte for
    byte, top-level, non-private, without truth row or finding, and not an element the
    profile must change.
(d) **Valid outputs**: every copy opens with ``pydicom.dcmread`` without ``force`` and its
    ``pixel_array`` decodes with the input's shape.
(e) **Inputs unchanged**: SHA-256 of every input file before and after.
(f) **Time**: seconds of the redaction call (and files per second).
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from phidetect.datasets.synthetic import generate
from phidetect.measure.box_misses import with_miss_reasons
from phidetect.measure.copies import measured_inputs, output_paths, tree_hashes, validity
from phidetect.measure.elements_kept import untouched_elements
from phidetect.measure.header_residue import FAIL_ON, residual_spans
from phidetect.measure.pixel_residue import boxes_blanked, distinct_blanked, pixels_outside_unchanged
from phidetect.redact import DEFAULT_MARGIN, Policy, redact, verify
from phidetect.scan import scan

SECRET = b"measure-redaction-fixed-secret"
OCR_ENGINES = ("easyocr", "tesseract")
TRUTH_BOXES = "truth boxes"


def _share(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else float("nan")


@dataclass(frozen=True)
class RunMetrics:
    """One run's numbers, rounded as the table prints them (percentages 0..100)."""

    files_written: int
    files: int
    header_spans: int
    residual_spans: int           # (a) required spans still in a copy, policy-kept ones excluded
    kept_by_policy: int           # (a) still there because a policy option keeps them on purpose
    rescan_residual: int          # (a) rescan findings at >= FAIL_ON
    boxes: int                    # required truth boxes, box x frame
    boxes_blanked: float          # (b) % of box x frame
    boxes_blanked_all_frames: float  # (b) % of distinct boxes blanked in every frame they are in
    pixels_outside_unchanged: float  # (b) % of pixels outside the truth boxes
    elements_compared: int
    elements_unchanged: float     # (c) %
    outputs_valid: int            # (d) read without force, same pixel shape
    outputs_checked: int
    inputs_unchanged: bool        # (e)
    seconds: float                # (f)

    def row(self) -> dict[str, object]:
        """The table's rows for this run, labelled as the table prints them."""
        return {
            "files redacted (written / inputs)": f"{self.files_written} / {self.files}",
            "required header truth spans": self.header_spans,
            "(a) residual required spans": self.residual_spans,
            "(a) kept on purpose by the policy": self.kept_by_policy,
            f"(a) rescan residual findings >= {FAIL_ON}": self.rescan_residual,
            "required truth boxes (box x frame)": self.boxes,
            "(b) boxes blanked % (box x frame)": self.boxes_blanked,
            "(b) boxes blanked in all their frames %": self.boxes_blanked_all_frames,
            "(b) pixels outside truth boxes unchanged %": self.pixels_outside_unchanged,
            "non-PHI elements compared": self.elements_compared,
            "(c) non-PHI elements unchanged %": self.elements_unchanged,
            "(d) outputs valid (read, same shape)": f"{self.outputs_valid} / {self.outputs_checked}",
            "(e) inputs unchanged": self.inputs_unchanged,
            "(f) seconds": round(self.seconds, 1),
            "(f) files per second": round(self.files / self.seconds, 2) if self.seconds else float("nan"),
        }


@dataclass
class RunResult:
    """One measured run: its numbers and the tables behind them (what was missed, and why)."""

    name: str
    seconds: float
    files: int                    # inputs redaction was asked to write
    metrics: RunMetrics
    spans: pd.DataFrame           # (a) one row per required tag truth row
    residual: pd.DataFrame        # (a) rescan findings at >= FAIL_ON
    boxes: pd.DataFrame           # (b) one row per required pixel truth row
    elements: pd.DataFrame        # (c) one row per top-level non-private input element
    validity: pd.DataFrame        # (d) one row per input
    copies: pd.DataFrame = field(default_factory=pd.DataFrame)  # redaction's files table
    filled: pd.DataFrame = field(default_factory=pd.DataFrame)  # redaction's boxes table (what it filled, why)

    @property
    def numbers(self) -> dict[str, object]:
        """The table's column for this run."""
        return self.metrics.row()

    def leaks(self) -> pd.DataFrame:
        """(a) the residual required spans, policy-kept ones excluded."""
        return self.spans[self.spans["residual"] & ~self.spans["kept_by_policy"]]


def measure_copies(name: str, source: Path, out: Path, copies: pd.DataFrame, truth: pd.DataFrame,
                   input_findings: pd.DataFrame, policy: Policy, *, inputs_before: dict[str, str],
                   seconds: float = float("nan"), filled: pd.DataFrame | None = None,
                   workers: int | None = None, progress: bool = False) -> RunResult:
    """Measure (a) to (e) of copies already written into ``out``: ``copies`` is the
    redaction's files table (input, output, status), ``inputs_before`` the inputs'
    tree_hashes before it ran, ``input_findings`` a tags-only scan of the inputs.
    Separate from redacting so that a copy changed afterwards is measured as it is."""
    outputs = output_paths(copies)
    inputs = measured_inputs(copies)
    spans = residual_spans(truth, outputs, policy)
    residual = verify(out, ocr=False, workers=workers, progress=progress).at_least(FAIL_ON)
    filled = filled if filled is not None else pd.DataFrame(columns=["file", "frame", "x", "y", "width", "height"])
    boxes = with_miss_reasons(boxes_blanked(truth, outputs), filled, outputs, DEFAULT_MARGIN)
    elements = untouched_elements(source, outputs, truth, input_findings, policy)
    valid = validity(source, outputs, inputs)
    outside_total, outside_kept = pixels_outside_unchanged(source, outputs, truth, DEFAULT_MARGIN)
    compared = elements[elements["excluded"] == ""]
    leaks = spans[spans["residual"] & ~spans["kept_by_policy"]]
    blank = int(boxes["blanked"].sum())
    metrics = RunMetrics(
        files_written=int((copies["status"] == "written").sum()), files=len(inputs), header_spans=len(spans),
        residual_spans=len(leaks), kept_by_policy=int((spans["residual"] & spans["kept_by_policy"]).sum()),
        rescan_residual=len(residual), boxes=len(boxes),
        boxes_blanked=round(_share(blank, len(boxes)), 2),
        boxes_blanked_all_frames=round(100.0 * distinct_blanked(boxes), 2),
        pixels_outside_unchanged=round(_share(outside_kept, outside_total), 3),
        elements_compared=len(compared),
        elements_unchanged=round(_share(int(compared["unchanged"].astype(bool).sum()), len(compared)), 2),
        outputs_valid=int((valid["readable"] & valid["same_shape"]).sum()), outputs_checked=len(valid),
        inputs_unchanged=tree_hashes(source) == inputs_before, seconds=seconds)
    return RunResult(name, seconds, len(inputs), metrics, spans, residual, boxes, elements, valid,
                     copies=copies, filled=filled)


def measure_run(name: str, source: Path, out: Path, truth: pd.DataFrame, input_findings: pd.DataFrame, *,
                ocr: bool | str, boxes: pd.DataFrame | None, policy: Policy, secret: bytes = SECRET,
                findings: pd.DataFrame | None = None, workers: int | None = None, progress: bool = False,
                blank_text_regions: bool = False, blank_unsure_text: bool = True) -> RunResult:
    """Redact ``source`` into ``out`` once and measure (a) to (f) against ``truth``.
    ``findings``: handed to redact (tag spans and boxes it uses on top of its own scan)."""
    hashes = tree_hashes(source)
    started = time.perf_counter()
    result = redact(source, out, policy=policy, secret=secret, ocr=ocr, boxes=boxes, findings=findings,
                    workers=workers, progress=progress, blank_text_regions=blank_text_regions,
                    blank_unsure_text=blank_unsure_text)
    seconds = time.perf_counter() - started
    return measure_copies(name, source, out, result.files, truth, input_findings, policy, inputs_before=hashes,
                          seconds=seconds, filled=result.boxes, workers=workers, progress=progress)


@dataclass(frozen=True)
class RedactionMeasurement:
    """The runs of one measure_redaction call, on one synthetic set."""

    n: int
    seed: int
    policy: str
    runs: tuple[RunResult, ...]
    out: Path | None = None       # where the data, copies and CSVs were kept (None: deleted)

    def table(self) -> pd.DataFrame:
        """Metrics as rows, one column per run."""
        return pd.DataFrame({run.name: run.numbers for run in self.runs})

    def run(self, name: str) -> RunResult:
        """The run called ``name`` (``"truth boxes"``, ``"ocr (easyocr)"``, ...)."""
        for run in self.runs:
            if run.name == name:
                return run
        raise KeyError(f"no run {name!r}; runs: {[r.name for r in self.runs]}")

    @property
    def truth_boxes(self) -> RunResult:
        return self.run(TRUTH_BOXES)


def measure_redaction(n: int = 100, seed: int = 0, *, ocr: bool = True, ocr_engine: str = "easyocr",
                      policy: str = "research", blank_text_regions: bool = False, phi_words_only: bool = False,
                      workers: int | None = None, out: str | Path | None = None,
                      progress: bool = False) -> RedactionMeasurement:
    """Generate ``n`` synthetic files (``seed``) once, then measure the truth-box run and,
    with ``ocr``, the OCR run (plus ``phi_words_only`` and ``blank_text_regions`` runs).

    ``out``: a new or empty folder that keeps the inputs, the copies and, per run, CSVs of
    what was missed (save); None: a temporary folder, deleted before returning.
    ``progress``: progress bars for the OCR runs. ValueError for an unusable ``out``, an
    unknown engine or policy."""
    if ocr_engine not in OCR_ENGINES:
        raise ValueError(f"ocr_engine must be one of {OCR_ENGINES}, not {ocr_engine!r}")
    chosen = Policy.preset(policy)
    if out is None:
        with tempfile.TemporaryDirectory(prefix="measure-redaction-") as temp:
            runs = _runs(Path(temp), n, seed, chosen, ocr=ocr, ocr_engine=ocr_engine, workers=workers,
                         progress=progress, phi_words_only=phi_words_only, blank_text_regions=blank_text_regions)
        return RedactionMeasurement(n, seed, policy, runs)
    root = Path(out)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ValueError(f"{root}: not an empty folder; choose a new one")
    root.mkdir(parents=True, exist_ok=True)
    runs = _runs(root, n, seed, chosen, ocr=ocr, ocr_engine=ocr_engine, workers=workers, progress=progress,
                 phi_words_only=phi_words_only, blank_text_regions=blank_text_regions)
    measurement = RedactionMeasurement(n, seed, policy, runs, root)
    save(measurement, root)
    return measurement


def _runs(root: Path, n: int, seed: int, policy: Policy, *, ocr: bool, ocr_engine: str, workers: int | None,
          progress: bool, phi_words_only: bool, blank_text_regions: bool) -> tuple[RunResult, ...]:
    """Generate once under ``root/input``, then each run into its own folder."""
    source = root / "input"
    truth = generate(source, n, seed)
    findings = pd.DataFrame(scan(source, ocr=False, workers=workers, progress=False))
    common = {"policy": policy, "workers": workers}
    runs = [measure_run(TRUTH_BOXES, source, root / "truth-boxes", truth, findings, ocr=False, boxes=truth,
                        **common)]
    if ocr:
        engine = f"ocr ({ocr_engine})"
        common |= {"ocr": ocr_engine, "boxes": None, "progress": progress}
        runs.append(measure_run(engine, source, root / "ocr", truth, findings, **common))
        if phi_words_only:
            runs.append(measure_run(f"{engine} PHI words only", source, root / "ocr-words", truth, findings,
                                    blank_unsure_text=False, **common))
        if blank_text_regions:
            runs.append(measure_run(f"{engine} + text regions", source, root / "ocr-regions", truth, findings,
                                    blank_text_regions=True, **common))
    return tuple(runs)


def save(measurement: RedactionMeasurement, out: Path) -> None:
    """The summary and, per run, what was missed: for reading after the run."""
    measurement.table().to_csv(out / "summary.csv")
    for run in measurement.runs:
        stem = re.sub(r"\W+", "-", run.name).strip("-")
        run.spans[run.spans["residual"]].to_csv(out / f"{stem}.residual-spans.csv", index=False)
        run.boxes[~run.boxes["blanked"]].to_csv(out / f"{stem}.boxes-not-blanked.csv", index=False)
        changed = run.elements[(run.elements["excluded"] == "") & ~run.elements["unchanged"].astype(bool)]
        changed.to_csv(out / f"{stem}.changed-elements.csv", index=False)
        pd.DataFrame(run.residual).to_csv(out / f"{stem}.rescan-residual.csv", index=False)
        run.filled.to_csv(out / f"{stem}.boxes-filled.csv", index=False)
