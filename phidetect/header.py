"""Header findings for one data set: the profile, the VR, the text rules and the
cross-reference, merged so one span gives one finding."""

from __future__ import annotations

from functools import partial

from pydicom.dataset import Dataset

from phidetect.dicom.elements import ElementProblem, ElementText, iter_elements
from phidetect.dicom.identity import identity_from_elements
from phidetect.dicom.profile import RULE as PROFILE_RULE
from phidetect.dicom.profile import is_placeholder, profile_entries
from phidetect.element_memo import ElementMemo, memo_for
from phidetect.findings import Finding
from phidetect.text.crossref import Identity
from phidetect.text.merge import merge_spans
from phidetect.text.recognizer import Registry
from phidetect.text.spans import Span, join_rules

#: A PN element that E.1-1 does not list (private dictionaries, newer attributes) still names someone.
PERSON_NAME_RULE, PERSON_NAME_SCORE = "vr.person_name", 0.9
#: Values about the equipment or the coding scheme are not read by text rules: a version
#: string dated 2010/06/30, or an institute that also makes software (InstitutionName =
#: Manufacturer = "OFFIS"), is not PHI there.
EQUIPMENT_KEYWORDS = frozenset({
    "Manufacturer", "ManufacturerModelName", "SoftwareVersions", "CodingSchemeDesignator",
    "CodingSchemeVersion", "SecondaryCaptureDeviceManufacturer", "ImplementationVersionName",
    "SecondaryCaptureDeviceManufacturerModelName", "SecondaryCaptureDeviceSoftwareVersions",
})


#: A value that the profile or its VR flags whole at least this surely is not read by the
#: text rules or cross-reference: they could only find parts of what is already one finding
#: (its phi_type stays the whole value's, see phidetect.text.merge.TYPE_MARGIN), and reading
#: them was half of what a sweep of new patients cost. Below it (a date or device field the
#: profile doubts), what the rules find raises the finding's confidence, so they still read it.
SURE_WHOLE_VALUE = 0.75

#: Person Identification Code Sequence (PS3.15: D): its code items are a person's ID and name
#: ("CodeValue 7571471416", "CodeMeaning FRANK MISICHER"), not coded concepts.
PERSON_CODE_SEQUENCE = "(0040,1101)["
PERSON_CODE_PARTS = {"CodeValue": "ID", "LongCodeValue": "ID", "URNCodeValue": "ID", "CodeMeaning": "NAME"}
PERSON_CODE_SCORE = 0.8
PERSON_CODE_RULE = "profile.person_code"
SOP_INSTANCE_UID = 0x00080018
#: Rules of the whole-value spans an element's attribute or VR gives (see _element_spans)
#: that make reading it further needless. Not a person code's: which person a code item
#: names (the patient?) is what cross-reference tells, and its confidence follows.
ELEMENT_RULES = frozenset({PROFILE_RULE, PERSON_NAME_RULE})


def _identity_for(element: ElementText, identity: Identity) -> Identity | None:
    """What cross-reference may seek in this element: nothing in the element the value came
    from or in equipment fields, IDs alone in coded values, everything elsewhere."""
    if element.tag_path in identity.sources:
        return None
    return identity.ids_only if element.kind == "coded" else identity


def _element_spans(element: ElementText) -> list[Span]:
    """Whole-value spans from what the element is (its attribute, its VR)."""
    text = element.text
    entry = None if element.private_creator or element.keyword == "" else profile_entries().get(element.tag)
    if entry is not None and entry.category == "identifier":
        span = Span(0, len(text), entry.phi_type, entry.confidence, PROFILE_RULE)
    elif PERSON_CODE_SEQUENCE in element.tag_path and element.keyword in PERSON_CODE_PARTS:
        span = Span(0, len(text), PERSON_CODE_PARTS[element.keyword], PERSON_CODE_SCORE, PERSON_CODE_RULE)
    elif element.vr == "PN":
        span = Span(0, len(text), "NAME", PERSON_NAME_SCORE, PERSON_NAME_RULE)
    else:
        return []
    return [] if is_placeholder(text) else [span]


def header_findings(dataset: Dataset, file: str, registry: Registry,
                    errors: list[ElementProblem] | None = None) -> list[Finding]:
    """Every PHI span in every element of ``dataset`` (file meta and sequences included)."""
    return analyse_header(dataset, file, registry, errors)[0]


def analyse_header(dataset: Dataset, file: str, registry: Registry,
                   errors: list[ElementProblem] | None = None) -> tuple[list[Finding], Identity]:
    """Header findings and the file's identity values, which the burned-in text path seeks
    in the pixels too. The walk keeps to the registry's limits (value length, nesting)."""
    elements = [e for e in iter_elements(dataset, errors=errors, limits=registry.limits) if e.text.strip()]
    identity = identity_from_elements(elements)
    # from the walk's text: dataset.get would convert and validate the UID again
    sop_instance_uid = next((e.text for e in elements if e.tag == SOP_INSTANCE_UID and not e.depth), "")
    memo = memo_for(registry)
    token = memo.token(identity.key())
    head = (file, sop_instance_uid)
    findings: list[Finding] = []
    for element in elements:
        for row in _element_rows(element, identity, registry, memo, token):
            findings.append(_FINDING(Finding, head + row))
    return findings, identity


#: Builds a Finding from its 19 fields in order: a plain tuple's cost, not keywords'.
_FINDING = tuple.__new__

#: The memo's token for answers that hold whatever the file's identity (see _element_rows).
ANY_IDENTITY = -1


def _element_rows(element: ElementText, identity: Identity, registry: Registry,
                  memo: ElementMemo, token: int) -> tuple[tuple, ...]:
    """The element's finding rows, remembered in two parts: what the profile, the VR and
    the text rules find (the same in every file: "CR", a series' description) under
    ANY_IDENTITY, and what cross-reference adds under the file's own identity. A series
    that changes identity then costs one cross-reference per value, not the whole rule set."""
    seek = _identity_sought(element, identity)
    found = memo.lookup(ANY_IDENTITY if seek is None else token, element)
    if found is not None:
        return found
    static = memo.answer(ANY_IDENTITY, element, partial(_finding_rows, registry=registry))
    if seek is None:
        return static
    # kept under the file's identity too (the same tuple): the next slice's lookup is one hit
    return memo.answer(token, element, partial(_with_identity, static=static, identity=seek, registry=registry))


def _read_no_further(spans: list[Span]) -> bool:
    """Whether the element's own spans (_element_spans) flag it whole at least
    SURE_WHOLE_VALUE surely by an ELEMENT_RULES rule (what a text rule finds whole, as
    "095-476-202" for a phone number, may still be the patient's ID: cross-reference reads those)."""
    return bool(spans) and spans[0].rule in ELEMENT_RULES and spans[0].score >= SURE_WHOLE_VALUE


def _with_identity(element: ElementText, static: tuple[tuple, ...], identity: Identity,
                   registry: Registry) -> tuple[tuple, ...]:
    """The rows once cross-reference has looked: the static rows where it finds nothing
    or where the element's own whole-value finding needs no more reading."""
    if _read_no_further(_element_spans(element)):
        return static
    extra = registry.analyze_identity(element.text, element.kind, identity)
    return static if not extra else _rows(element, _merged_spans(element, registry, extra))


def _identity_sought(element: ElementText, identity: Identity) -> Identity | None:
    """What cross-reference seeks in this element, or None where it seeks nothing."""
    if element.kind is None or element.keyword in EQUIPMENT_KEYWORDS:
        return None
    return _identity_for(element, identity)


def _finding_rows(element: ElementText, registry: Registry) -> tuple[tuple, ...]:
    """The element's findings whatever the file's identity, less the file's two fields (file,
    SOP Instance UID): what the memo keeps, so a repeated value costs one tuple per finding."""
    return _rows(element, _merged_spans(element, registry, []))


def _rows(element: ElementText, spans: tuple[Span, ...]) -> tuple[tuple, ...]:
    return tuple(
        ("tag", span.phi_type, element.text[span.start:span.end], span.score, join_rules(span.rules),
         element.tag_path, element.keyword, element.vr, span.start, span.end, -1, -1, -1, -1, -1,
         element.private_creator, "")
        for span in spans)


def _merged_spans(element: ElementText, registry: Registry, extra: list[Span]) -> tuple[Span, ...]:
    """The element's PHI spans: what it is, what the text rules find, what cross-reference
    found (``extra``), merged."""
    spans = _element_spans(element)
    if element.kind is not None and element.keyword not in EQUIPMENT_KEYWORDS and not _read_no_further(spans):
        spans += registry.analyze(element.text, element.kind)
    return tuple(merge_spans(spans + extra, element.text))
