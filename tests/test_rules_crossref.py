"""crossref.*: the file's own name, IDs, birth date and institution sought in other text."""

from __future__ import annotations

from datetime import date

import pytest

from phidetect.text.crossref import CrossReferenceRecognizer, Identity, PersonName
from phidetect.text.merge import merge_spans
from phidetect.text.recognizer import Registry
from phidetect.text.registry import default_registry
from phidetect.text.spans import Span


def make_identity() -> Identity:
    name = PersonName.from_parts(["DOE", "JOHN"], "crossref.patient_name")
    assert name is not None
    return Identity(
        names=[name],
        ids={"12345678": "crossref.patient_id"},
        birth_dates={date(1961, 3, 14)},
        institutions=["Scott Community Hospital"],
    )


@pytest.fixture(scope="module")
def identity() -> Identity:
    return make_identity()


@pytest.fixture(scope="module")
def registry() -> Registry:
    return default_registry()


def crossref_hits(text: str, identity: Identity) -> list[tuple[str, str, str]]:
    """(span text, phi_type, rule) of the cross-reference recognizer alone, merged."""
    spans = CrossReferenceRecognizer().analyze(text, identity)
    return [(text[s.start:s.end], s.phi_type, s.rule) for s in merge_spans(spans, text)]


def merged(registry: Registry, text: str, identity: Identity | None) -> list[Span]:
    return merge_spans(registry.analyze(text, "free", identity), text)


def test_person_name_parts() -> None:
    """Parts are lowercased words; honorifics and 1-letter parts are not sought."""
    name = PersonName.from_parts(["DOE", "JOHN^A^^DR"], "crossref.patient_name")
    assert name is not None
    assert name.parts == ("doe", "john")
    assert name.rule == "crossref.patient_name"
    assert PersonName.from_parts(["", "^^"], "crossref.patient_name") is None


@pytest.mark.parametrize(("text", "expected", "phi_type", "rule"), [
    ("John Doe", "John Doe", "NAME", "crossref.patient_name"),
    ("Patient john doe arrived", "john doe", "NAME", "crossref.patient_name"),
    ("Prior for DOE, JOHN", "DOE, JOHN", "NAME", "crossref.patient_name"),
    ("Doe, John", "Doe, John", "NAME", "crossref.patient_name"),
    ("DOE^JOHN", "DOE^JOHN", "NAME", "crossref.patient_name"),
    ("J. Doe", "J. Doe", "NAME", "crossref.patient_name"),
    ("note: j.doe", "j.doe", "NAME", "crossref.patient_name"),
    ("MRN 12345678", "12345678", "ID", "crossref.patient_id"),
    ("old id 12345678, see chart", "12345678", "ID", "crossref.patient_id"),
    ("born 03/14/1961", "03/14/1961", "DATE", "crossref.birth_date"),
    ("born 14-MAR-1961", "14-MAR-1961", "DATE", "crossref.birth_date"),
    ("born 14-mar-1961", "14-mar-1961", "DATE", "crossref.birth_date"),
    ("DOB 1961-03-14", "1961-03-14", "DATE", "crossref.birth_date"),
    ("DOB March 14, 1961", "March 14, 1961", "DATE", "crossref.birth_date"),
    ("dob 19610314", "19610314", "DATE", "crossref.birth_date"),
    ("seen at Scott Community Hospital", "Scott Community Hospital", "INSTITUTION", "crossref.institution"),
    ("SCOTT COMMUNITY HOSPITAL radiology", "SCOTT COMMUNITY HOSPITAL", "INSTITUTION", "crossref.institution"),
    ("from scott  community\thospital", "scott  community\thospital", "INSTITUTION", "crossref.institution"),
])
def test_crossref_finds_identity_values(identity: Identity, text: str, expected: str,
                                        phi_type: str, rule: str) -> None:
    """Every written form of the header's values, case- and spacing-insensitive, exact span."""
    assert crossref_hits(text, identity) == [(expected, phi_type, rule)]


@pytest.mark.parametrize(("text", "expected", "phi_type", "rule", "score"), [
    ("XR CHEST for John Doe", "John Doe", "NAME", "crossref.patient_name", 0.95),
    ("MRN 12345678", "12345678", "ID", "crossref.patient_id", 0.95),
    ("born 03/14/1961", "03/14/1961", "DATE", "crossref.birth_date", 0.97),
    ("seen at Scott Community Hospital", "Scott Community Hospital", "INSTITUTION", "crossref.institution", 0.9),
])
def test_crossref_in_registry_merge(registry: Registry, identity: Identity, text: str, expected: str,
                                    phi_type: str, rule: str, score: float) -> None:
    """Through the registry, crossref merges with the pattern rules and keeps its score."""
    spans = [s for s in merged(registry, text, identity) if text[s.start:s.end] == expected]
    assert len(spans) == 1
    assert spans[0].phi_type == phi_type
    assert spans[0].rules[0] == rule  # highest score first
    assert spans[0].score == score


@pytest.mark.parametrize("text", [
    "123456789",          # ID is a whole token only
    "MRN 123456789",
    "A12345678",
    "12345678A",
    "1234567",
    "Johnson",            # 'john' inside another name
    "Dr. Johnson read it",
    "Joan Dow",           # near, but parts under 6 letters need an exact match
    "Doerr",
    "born 03/15/1961",    # another date
    "born 14-MAR-1962",
    "Scott Community",    # part of the institution
    "Community Hospital",
])
def test_crossref_misses_look_alikes(identity: Identity, text: str) -> None:
    """Longer tokens, other names, other dates and partial institutions are not this file's values."""
    assert crossref_hits(text, identity) == []


def test_crossref_id_not_inside_longer_number(registry: Registry, identity: Identity) -> None:
    """'123456789' contains the ID '12345678' but is another number: no crossref rule fires."""
    text = "Ref 123456789 on file"
    rules = {r for s in registry.analyze(text, "free", identity) for r in s.rules}
    assert not any(r.startswith("crossref.") for r in rules)


def test_crossref_fuzzy_only_for_long_parts() -> None:
    """One edit is allowed for parts of 6+ letters (a typo), never for short ones."""
    name = PersonName.from_parts(["DAVIDSON", "DOUGLAS"], "crossref.patient_name")
    assert name is not None
    identity = Identity(names=[name])
    assert crossref_hits("typed as Davidsen", identity) == [("Davidsen", "NAME", "crossref.patient_name")]
    assert crossref_hits("typed as Davis", identity) == []
    assert crossref_hits("typed as Dvdsn", identity) == []


def test_crossref_other_person_rule() -> None:
    """Names other than the patient's carry their own rule id."""
    name = PersonName.from_parts(["PATEL", "ANITA"], "crossref.person_name")
    assert name is not None
    assert crossref_hits("read by Dr. Patel", Identity(names=[name])) == [("Patel", "NAME", "crossref.person_name")]


def test_crossref_needs_identity(registry: Registry) -> None:
    """Without an identity (or with an empty one) crossref is silent; pattern rules still run."""
    text = "MRN 12345678 for John Doe"
    assert CrossReferenceRecognizer().analyze(text, None) == []
    assert CrossReferenceRecognizer().analyze(text, Identity()) == []
    rules = {r for s in registry.analyze(text, "free") for r in s.rules}
    assert rules and not any(r.startswith("crossref.") for r in rules)


def test_crossref_not_cached_across_identities(registry: Registry) -> None:
    """The same text is analysed against each file's own identity, not a cached result."""
    text = "Prior exam for Joan Dow"
    doe = make_identity()
    dow_name = PersonName.from_parts(["DOW", "JOAN"], "crossref.patient_name")
    assert dow_name is not None
    dow = Identity(names=[dow_name])
    assert not any(s.rule.startswith("crossref.") for s in registry.analyze(text, "free", doe))
    assert any(s.rule == "crossref.patient_name" for s in registry.analyze(text, "free", dow))


def test_crossref_surname_that_is_also_a_word() -> None:
    """A patient named STONE^LISA: both parts of the header's name are PHI in free text,
    even though 'stone' is also imaging vocabulary."""
    name = PersonName.from_parts(["STONE", "LISA"], "crossref.patient_name")
    assert name is not None
    identity = Identity(names=[name])
    assert crossref_hits("Mother Lisa Stone at bedside", identity) == [
        ("Lisa Stone", "NAME", "crossref.patient_name")]


def _accented(*parts: str) -> Identity:
    name = PersonName.from_parts(list(parts), "crossref.patient_name")
    assert name is not None
    return Identity(names=[name], ids={}, birth_dates=set(), institutions=[])


@pytest.mark.parametrize(("parts", "text", "expected"), [
    (["Clément", "Alphonse"], "MRI BRAIN W WO Ewing sarcoma pt CLÉMENT", ["CLÉMENT"]),
    (["López", "María Cristina"], "Key images - LÓPEZ, MARÍA CRISTINA", ["LÓPEZ, MARÍA CRISTINA"]),
    (["Antón", "Segismundo"], "seen by antón", ["antón"]),
])
def test_a_name_written_with_its_own_accents_is_found_even_where_its_folded_form_is_a_word(parts, text, expected):
    """"clement", "lopez", "anton" are English-lexicon words once folded; written with the
    patient's accents they are the patient's name, in any case."""
    assert [hit for hit, _, _ in crossref_hits(text, _accented(*parts))] == expected


def test_the_folded_word_alone_is_not_the_accented_name():
    assert crossref_hits("clement weather expected", _accented("Clément", "Alphonse")) == []
