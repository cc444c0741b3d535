"""The identity values of one file (who, which hospital, which record, born when), read
from its header so that the cross-reference rule can seek them everywhere else."""

from __future__ import annotations

from phidetect.dicom.elements import ElementText
from phidetect.dicom.profile import is_placeholder
from phidetect.text.crossref import Identity, PersonName
from phidetect.text.dates import find_dates

PATIENT_NAME_KEYWORDS = {"PatientName", "OtherPatientNames", "PatientBirthName", "PatientMotherBirthName"}
ID_RULES = {
    "PatientID": "crossref.patient_id", "OtherPatientIDs": "crossref.patient_id",
    "AccessionNumber": "crossref.accession_number", "MedicalRecordLocator": "crossref.patient_id",
    "AdmissionID": "crossref.other_id", "ServiceEpisodeID": "crossref.other_id",
    "InsurancePlanIdentification": "crossref.other_id", "StudyID": "crossref.other_id",
    "RequestedProcedureID": "crossref.other_id", "FillerOrderNumberImagingServiceRequest": "crossref.other_id",
    "PlacerOrderNumberImagingServiceRequest": "crossref.other_id",
}
INSTITUTION_KEYWORDS = {"InstitutionName"}
IDENTITY_KEYWORDS = frozenset(ID_RULES) | INSTITUTION_KEYWORDS | {"PatientBirthDate"}


def _pn_parts(text: str) -> list[list[str]]:
    """Each value of a PN (backslash-separated), split into components at ^; the alphabetic,
    ideographic and phonetic groups (=) all count as parts of the same person's name."""
    people = []
    for value in text.split("\\"):
        parts = [p for group in value.split("=") for p in group.split("^") if p.strip()]
        if parts and not is_placeholder(value):
            people.append(parts)
    return people


def identity_from_elements(elements: list[ElementText]) -> Identity:
    """Names (patients' and every other person's), IDs, birth dates and institutions."""
    identity = Identity()
    seen_names: set[tuple[str, ...]] = set()
    for element in elements:
        if element.vr != "PN" and element.keyword not in IDENTITY_KEYWORDS:
            continue
        text = element.text.strip()
        if not text or is_placeholder(text):
            continue
        if element.vr == "PN":
            rule = "crossref.patient_name" if element.keyword in PATIENT_NAME_KEYWORDS else "crossref.person_name"
            for parts in _pn_parts(text):
                name = PersonName.from_parts(parts, rule)
                if name is not None and (name.parts, rule) not in seen_names:
                    seen_names.add((name.parts, rule))
                    identity.names.append(name)
                    identity.sources.add(element.tag_path)
        elif element.keyword in ID_RULES:
            for value in text.split("\\"):
                value = value.strip()
                if value and not is_placeholder(value):
                    identity.ids.setdefault(value, ID_RULES[element.keyword])
                    identity.sources.add(element.tag_path)
        elif element.keyword == "PatientBirthDate":
            for found in find_dates(text):
                identity.birth_dates.add(found.value)
                identity.sources.add(element.tag_path)
        elif element.keyword in INSTITUTION_KEYWORDS:
            identity.institutions.append(text)
            identity.sources.add(element.tag_path)
    # patients' names first: their matches carry the stronger rule id when both match
    identity.names.sort(key=lambda n: n.rule != "crossref.patient_name")
    return identity

