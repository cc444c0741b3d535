"""Burned-in text detection: the reading stage's OCR lines -> the same text rules as the
header -> pixel findings with a box around just the PHI words.

A region read once for a whole cine (its banner) is reported on every frame it is in,
since a redactor needs them all. What a redactor blanks beyond the PHI words is decided
in phidetect.redact.unsafe_text, from the same records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from phidetect.findings import Finding
from phidetect.geometry import padded
from phidetect.ocr_settings import ReadingParameters
from phidetect.pixel_reading.records import FrameRead, LineRef
from phidetect.text.crossref import Identity
from phidetect.text.recognizer import Registry
from phidetect.text.spans import Span, join_rules


def line_spans(line_text: str, registry: Registry, identity: Identity | None) -> list[Span]:
    """PHI spans in one OCR line: every registry rule that reads OCR text, on the text as
    read and on its OCR rewrites (phidetect.text.recognizer.Registry.analyze_ocr)."""
    return registry.analyze_ocr(line_text, identity)


def combined_confidence(rule_score: float, ocr_confidence: float) -> float:
    """The rule's score, lowered when OCR itself was unsure of the text (at most by 40 %)."""
    return round(rule_score * (0.6 + 0.4 * max(0.0, min(1.0, ocr_confidence))), 4)


@dataclass(frozen=True)
class FrameFindings:
    """The findings of one FrameRead, and which of its lines hold PHI (for a redactor)."""

    findings: tuple[Finding, ...]
    phi_lines: frozenset[LineRef]


def frame_findings(read: FrameRead, *, file: str, sop_instance_uid: str, engine_name: str, registry: Registry,
                   identity: Identity | None, parameters: ReadingParameters | None = None) -> FrameFindings:
    """A finding (source="pixel") for every PHI span read in the frame, its box padded by
    ``box_margin`` and its rule ids followed by those of the engine that read it (``ocr.easyocr``)."""
    margin = (parameters or ReadingParameters()).box_margin
    findings: list[Finding] = []
    phi_lines: set[LineRef] = set()
    for ref, line in read.lines():
        engine_rule = f"ocr.{line.engine or engine_name}"
        for span in line_spans(line.text, registry, identity):
            phi_lines.add(ref)
            x, y, w, h = padded(line.char_box(span.start, span.end), read.image.shape, margin)
            findings.append(Finding(
                file=file, sop_instance_uid=sop_instance_uid, source="pixel", phi_type=span.phi_type,
                text=line.text[span.start:span.end], confidence=combined_confidence(span.score, line.confidence),
                rule=join_rules((*span.rules, engine_rule)), frame=read.number, x=x, y=y, width=w, height=h,
                plane=read.plane.value,
            ))
    return FrameFindings(tuple(findings), frozenset(phi_lines))


class LineObserver(Protocol):
    """Takes each read with the lines found to hold PHI (a redactor's unsafe-text collector)."""

    def add(self, read: FrameRead, phi_lines: frozenset[LineRef]) -> None: ...


def pixel_findings(reads: Iterable[FrameRead], *, file: str, sop_instance_uid: str, engine_name: str,
                   registry: Registry, identity: Identity | None, parameters: ReadingParameters | None = None,
                   observer: LineObserver | None = None) -> list[Finding]:
    """The findings of every read (:func:`frame_findings`); ``observer`` is handed each
    read with its PHI lines as it goes."""
    findings: list[Finding] = []
    for read in reads:
        result = frame_findings(read, file=file, sop_instance_uid=sop_instance_uid, engine_name=engine_name,
                                registry=registry, identity=identity, parameters=parameters)
        findings += result.findings
        if observer is not None:
            observer.add(read, result.phi_lines)
    return findings
