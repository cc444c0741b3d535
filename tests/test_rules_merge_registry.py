"""merge_spans (one finding per place, every rule id kept), the rule-column codec and the
user-extensible Registry."""

from __future__ import annotations

import re

import pytest

import phidetect
from phidetect.text.merge import merge_spans
from phidetect.text.recognizer import PatternRecognizer, Recognizer, Registry
from phidetect.text.registry import default_registry
from phidetect.text.spans import Span, join_rules, split_rules

#: The built-in rule ids, in registry order. Findings and user configs refer to them:
#: renaming one is a breaking change.
DEFAULT_RULES = [
    "pattern.date", "pattern.phone", "pattern.email", "pattern.url", "pattern.ip_address",
    "pattern.national_id", "pattern.record_id", "pattern.record_number", "pattern.long_number", "pattern.age",
    "pattern.address", "pattern.labelled_address", "pattern.street_line", "pattern.postcode", "pattern.zip", "pattern.name", "pattern.person_context", "pattern.script_name", "pattern.institution", "crossref",
    "crossref.ocr_identity", "ocr.long_number", "ocr.labelled_birth_date", "ocr.labelled_date", "ocr.month_date",
    "ocr.comma_name", "ocr.caret_name", "ocr.technical", "ocr.demographics",
]


def texts(spans: list[Span], text: str) -> list[tuple[str, str, float, str]]:
    return [(text[s.start:s.end], s.phi_type, s.score, join_rules(s.rules)) for s in spans]


# --- merge_spans ---------------------------------------------------------------------

def test_merge_empty() -> None:
    assert merge_spans([], "anything") == []


def test_merge_overlap_keeps_best_score_and_joins_rules() -> None:
    """Overlapping spans: union of extents, highest score and its phi_type, rules by score."""
    text = "Accession 6175550123 today"
    spans = [Span(10, 20, "PHONE", 0.35, "pattern.phone"),
             Span(10, 20, "ID", 0.8, "pattern.record_id"),
             Span(10, 20, "ID", 0.4, "pattern.long_number")]
    assert merge_spans(spans, text) == [
        Span(10, 20, "ID", 0.8, "pattern.record_id", ("pattern.long_number", "pattern.phone"))]


def test_merge_partial_overlap_takes_union() -> None:
    text = "DOB 1961-03-14T09:30 x"
    spans = [Span(4, 14, "DATE", 0.85, "pattern.date"), Span(8, 20, "ID", 0.4, "pattern.long_number")]
    assert merge_spans(spans, text) == [Span(4, 20, "DATE", 0.85, "pattern.date", ("pattern.long_number",))]


def test_merge_chain_of_overlaps_is_one_group() -> None:
    """A overlaps B, B overlaps C, A does not touch C: still one finding."""
    spans = [Span(0, 5, "ID", 0.4, "a"), Span(4, 9, "ID", 0.9, "b"), Span(8, 12, "ID", 0.6, "c")]
    assert merge_spans(spans, "x" * 12) == [Span(0, 12, "ID", 0.9, "b", ("c", "a"))]


def test_merge_does_not_repeat_rules() -> None:
    """An already-merged span's rule ids are kept and each rule appears once."""
    spans = [Span(0, 8, "NAME", 0.95, "crossref.patient_name", ("pattern.name",)),
             Span(0, 8, "NAME", 0.75, "pattern.name")]
    assert merge_spans(spans, "John Doe") == [Span(0, 8, "NAME", 0.95, "crossref.patient_name", ("pattern.name",))]


def test_merge_keeps_separate_spans_apart_and_sorted() -> None:
    text = "MRN 12345678 DOB 03/14/1961"
    spans = [Span(17, 27, "DATE", 0.85, "pattern.date"), Span(4, 12, "ID", 0.8, "pattern.record_id")]
    assert texts(merge_spans(spans, text), text) == [
        ("12345678", "ID", 0.8, "pattern.record_id"), ("03/14/1961", "DATE", 0.85, "pattern.date")]


def test_merge_touching_spans_of_other_types_stay_apart() -> None:
    """Only NAME parts join across a gap; adjacent non-overlapping IDs/dates do not."""
    text = "12345678 03/14/1961"
    spans = [Span(0, 8, "ID", 0.8, "x"), Span(9, 19, "DATE", 0.85, "y")]
    assert len(merge_spans(spans, text)) == 2


@pytest.mark.parametrize(("text", "joined"), [
    ("DOE, JOHN", True), ("DOE^JOHN", True), ("John Doe", True), ("J. Doe", True),
    ("John and Doe", False), ("John; Doe", False),
])
def test_merge_joins_name_parts(text: str, joined: bool) -> None:
    """Name words split by a space, comma, caret or period are one name; other gaps are not."""
    first, second = [m.span() for m in re.finditer(r"[A-Za-z]+", text) if m.group(0) != "and"]
    spans = [Span(*first, "NAME", 0.95, "crossref.patient_name"), Span(*second, "NAME", 0.95, "crossref.patient_name")]
    result = merge_spans(spans, text)
    if joined:
        assert texts(result, text) == [(text, "NAME", 0.95, "crossref.patient_name")]
    else:
        assert len(result) == 2


def test_registry_output_merges_into_one_finding() -> None:
    """End to end: record ID, long number and crossref-free analysis of one value."""
    text = "MRN 12345678"
    assert texts(merge_spans(default_registry().analyze(text, "free"), text), text) == [
        ("12345678", "ID", 0.8, "pattern.record_id+pattern.long_number")]


# --- Registry ------------------------------------------------------------------------

def test_default_rule_ids_are_stable() -> None:
    registry = default_registry()
    assert registry.rules == DEFAULT_RULES
    assert len(registry) == len(DEFAULT_RULES)
    for rule in DEFAULT_RULES:
        assert registry[rule].rule == rule
    assert [r.rule for r in registry] == DEFAULT_RULES


def test_rule_ids_carried_by_spans() -> None:
    """Each span's rule is one of the registry's ids (crossref spans name their value)."""
    text = "John Doe, MRN 12345678, DOB 03/14/1961, call 617-555-0123, 92 y/o, j.doe@example.com"
    rules = {s.rule for s in default_registry().analyze(text, "free")}
    assert rules >= {"pattern.date", "pattern.phone", "pattern.email", "pattern.record_id",
                     "pattern.age", "pattern.name"}
    assert rules <= set(DEFAULT_RULES)


def test_default_registry_is_fresh_each_call() -> None:
    """Removing a rule from one registry leaves the next default_registry() untouched."""
    first = default_registry()
    first.remove("pattern.name")
    assert "pattern.name" not in first.rules
    assert "pattern.name" in default_registry().rules


def ohip_recognizer() -> PatternRecognizer:
    """A user's rule: Ontario health card number (10 digits and a version code)."""
    return PatternRecognizer(
        rule="pattern.ca_health_card", phi_type="ID", base_score=0.8,
        patterns=(r"\b\d{4}-\d{3}-\d{3}-[A-Z]{2}\b",), context_words=("OHIP", "health card"),
    )


def test_user_adds_custom_pattern_recognizer() -> None:
    """A custom rule runs with the built-ins, keeps its id, and a cue word raises its score."""
    text = "OHIP 1234-567-890-AB on file"
    registry = default_registry()
    before = registry.analyze(text, "free")  # fills the per-text cache before the rule exists
    assert not any(s.rule == "pattern.ca_health_card" for s in before)
    registry.add(ohip_recognizer())  # must also drop the cached result for this text
    assert registry.rules[-1] == "pattern.ca_health_card"
    spans = [s for s in registry.analyze(text, "free") if s.rule == "pattern.ca_health_card"]
    assert [(text[s.start:s.end], s.phi_type, s.score) for s in spans] == [("1234-567-890-AB", "ID", 1.0)]
    plain = "card 1234-567-890-AB"
    assert [s.score for s in registry.analyze(plain, "free") if s.rule == "pattern.ca_health_card"] == [0.8]
    merged = merge_spans(registry.analyze(text, "free"), text)
    assert [(text[s.start:s.end], s.rule) for s in merged] == [("1234-567-890-AB", "pattern.ca_health_card")]


def test_custom_rule_from_top_level_api() -> None:
    """The documented import path works: phidetect.PatternRecognizer / default_registry."""
    registry = phidetect.default_registry()
    registry.add(phidetect.PatternRecognizer(rule="pattern.ca_health_card", phi_type="ID",
                                             patterns=(r"\b\d{4}-\d{3}-\d{3}-[A-Z]{2}\b",)))
    assert "pattern.ca_health_card" in registry.rules
    assert isinstance(registry, phidetect.Registry)


def test_custom_rule_validator_and_required_context() -> None:
    """A validator drops look-alikes; requires_context drops matches with no cue."""
    rule = PatternRecognizer(
        rule="pattern.ca_health_card", phi_type="ID", base_score=0.8, requires_context=True,
        patterns=(r"\b(?P<num>\d{10})\b",), group="num", context_words=("OHIP",),
        validator=lambda m: not m.group("num").startswith("0"),
    )
    registry = Registry([rule])
    assert [s.rule for s in registry.analyze("OHIP 1234567890", "free")] == ["pattern.ca_health_card"]
    assert registry.analyze("OHIP 0234567890", "free") == []
    assert registry.analyze("Ref 1234567890", "free") == []


def test_custom_rule_kinds_respected() -> None:
    """A rule declared for coded values does not run on free text, and vice versa."""
    rule = PatternRecognizer(rule="pattern.station", phi_type="OTHER", patterns=(r"\bWS\d+\b",),
                             kinds=frozenset({"coded"}))
    registry = Registry([rule])
    assert [s.rule for s in registry.analyze("WS12", "coded")] == ["pattern.station"]
    assert registry.analyze("WS12", "free") == []


def test_user_removes_rule() -> None:
    """After remove(), the rule neither runs nor appears; others keep their ids and order."""
    text = "Ref 123456789 on file"
    registry = default_registry()
    assert any(s.rule == "pattern.long_number" for s in registry.analyze(text, "free"))
    registry.remove("pattern.long_number")
    assert "pattern.long_number" not in registry.rules
    assert [r for r in DEFAULT_RULES if r != "pattern.long_number"] == registry.rules
    assert not any(s.rule == "pattern.long_number" for s in registry.analyze(text, "free"))
    with pytest.raises(KeyError):
        registry["pattern.long_number"]
    registry.remove("pattern.does_not_exist")  # removing an unknown id is a no-op
    assert len(registry) == len(DEFAULT_RULES) - 1


def test_add_with_same_id_replaces() -> None:
    """add() with an existing rule id replaces that rule in place (no duplicate findings)."""

    class AlwaysFirstWord(Recognizer):
        rule = "pattern.email"
        phi_type = "EMAIL"

        def find(self, text: str, identity: object = None) -> list[Span]:
            end = text.find(" ") if " " in text else len(text)
            return [Span(0, end, self.phi_type, 0.5, self.rule)]

    registry = default_registry()
    text = "hello j.doe@example.com"
    assert [text[s.start:s.end] for s in registry.analyze(text) if s.rule == "pattern.email"] == ["j.doe@example.com"]
    registry.add(AlwaysFirstWord())
    assert registry.rules == DEFAULT_RULES
    assert [text[s.start:s.end] for s in registry.analyze(text) if s.rule == "pattern.email"] == ["hello"]


def test_blank_text_gives_nothing() -> None:
    registry = default_registry()
    assert registry.analyze("", "free") == []
    assert registry.analyze("   ", "free") == []


def test_merge_takes_the_type_of_the_wider_span_when_nearly_as_sure() -> None:
    """A name part inside an institution's name: the finding is the institution."""
    text = "AGMC Sports Medicine"
    spans = [Span(0, 4, "NAME", 0.95, "crossref.person_name"), Span(0, 20, "INSTITUTION", 0.75, "pattern.institution")]
    assert merge_spans(spans, text) == [Span(0, 20, "INSTITUTION", 0.95, "crossref.person_name", ("pattern.institution",))]


def test_rule_column_codec() -> None:
    """The findings table's rule column: rule ids joined by '+', split back to the same tuple."""
    span = Span(0, 4, "ID", 0.9, "pattern.record_id", ("pattern.long_number",))
    assert span.rules == ("pattern.record_id", "pattern.long_number")
    assert Span(0, 4, "ID", 0.9, "pattern.record_id").rules == ("pattern.record_id",)
    assert join_rules(span.rules) == "pattern.record_id+pattern.long_number"
    assert split_rules(join_rules(span.rules)) == span.rules
    assert split_rules("crossref.patient_name") == ("crossref.patient_name",)
    assert split_rules("") == ()
