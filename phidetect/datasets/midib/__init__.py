"""MIDI-B (TCIA's Medical Image De-Identification benchmark): read its answer keys and
mapping files, turn a key into phidetect's truth table, and score a de-identified copy
check by check as the NCI validation script does (see each module for the sources)."""

from phidetect.datasets.midib.answer_key import ACTIONS, load_answer_key, load_mapping
from phidetect.datasets.midib.score import failed_checks, score_midib, write_report
from phidetect.datasets.midib.to_truth import midib_must_keep, midib_truth

__all__ = ["ACTIONS", "failed_checks", "load_answer_key", "load_mapping", "midib_must_keep", "midib_truth",
           "score_midib", "write_report"]
