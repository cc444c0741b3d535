"""docs/rules.md stays true to the registry: every rule id a default member has, or names
its spans with, is documented, and the documented OCR-rule example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pydicom
import pytest
from pydicom.dataset import Dataset

import phidetect
from phidetect.burned_in import line_spans
from phidetect.dicom.identity import ID_RULES
from phidetect.text.crossref import CROSSREF_RULES
from phidetect.text.registry import default_registry

RULES_DOC = (Path(__file__).parent.parent / "docs" / "rules.md").read_text()
REGISTRY = default_registry()


def documented(rule: str) -> bool:
    return f"`{rule}`" in RULES_DOC


@pytest.mark.parametrize("rule", REGISTRY.rules)
def test_every_registry_id_is_documented(rule: str) -> None:
    assert documented(rule), f"{rule} is a member of default_registry() but not in docs/rules.md"


@pytest.mark.parametrize("rule", sorted({r for member in REGISTRY for r in member.rule_ids}))
def test_every_rule_id_a_member_gives_its_spans_is_documented(rule: str) -> None:
    assert documented(rule), f"a member names spans {rule}, docs/rules.md does not"


def test_cross_reference_declares_the_rule_ids_the_header_identity_gives() -> None:
    given = {*ID_RULES.values(), "crossref.patient_name", "crossref.person_name"}
    assert given <= set(CROSSREF_RULES) <= set(REGISTRY["crossref"].rule_ids)
    assert set(CROSSREF_RULES) <= set(REGISTRY["crossref.ocr_identity"].rule_ids)


def ocr_rule_example() -> str:
    """The python block after the ocr-rule-example marker in docs/rules.md."""
    match = re.search(r"<!-- ocr-rule-example[^>]*-->\s*```python\n(.*?)```", RULES_DOC, re.DOTALL)
    assert match, "docs/rules.md lost its OCR rule example"
    return match.group(1)


def test_the_documented_ocr_rule_example_works(monkeypatch) -> None:
    scans = []
    monkeypatch.setattr(phidetect, "scan", lambda *args, **kwargs: scans.append(kwargs))
    names: dict = {}
    exec(compile(ocr_rule_example(), "docs/rules.md", "exec"), names)
    text = "18 August 2818  Study SC-l234"
    assert [(text[s.start:s.end], s.rules) for s in names["spans"]] == [("SC-l234", ("ocr.study_code",))]
    registry = names["registry"]
    assert scans == [{"registry": registry, "ocr": True}]
    # the pixel path reads lines through the same registry; element values never see the OCR rule
    assert [s.rule for s in line_spans(text, registry, None)] == ["ocr.study_code"]
    assert registry.analyze("Study SC-1234", "free") == []
    assert [s.rule for s in line_spans(text, default_registry(), None)] == ["ocr.month_date"]


def test_a_removed_rule_is_off_in_a_scan_of_the_header() -> None:
    ds = Dataset()
    ds.file_meta = pydicom.dataset.FileMetaDataset()
    ds.StudyDescription = "follow-up of 03/14/1961"
    assert "pattern.date" in set(phidetect.scan_dataset(ds)["rule"])
    registry = phidetect.default_registry().remove("pattern.date")
    assert "pattern.date" not in set(phidetect.scan_dataset(ds, registry=registry)["rule"])
