"""DICOM PS3.15 Table E.1-1 (phidetect.dicom.ps315) and which of its attributes are PHI.

The table lists what the Basic Application Level Confidentiality Profile does with
each attribute; not every attribute it touches identifies someone. phidetect sorts
every row into one category (the full list: docs/profile-attributes.csv):

- ``identifier``: the value names or points to a person, place, device or time of
  care. A non-empty value is a finding over its whole value (rule ``profile.ps315``).
- ``descriptor``: free text (Clean Descriptors option, comments, labels). Not PHI by
  itself; the text rules look inside it for names, dates, IDs...
- ``characteristic``: patient characteristics (sex, age, size, weight, allergies;
  the Retain Patient Characteristics option). Not identifiers; ages over 89 are still
  caught by ``pattern.age``.
- ``structure``: sequences (walked into), binary blobs (signatures, padding), trial
  protocol metadata and GPS technical fields: handled by redaction, not findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from pydicom.datadict import dictionary_VR, keyword_for_tag

from phidetect.dicom.ps315 import table_e1_1

RULE = "profile.ps315"

#: Confidence of a whole-value identifier finding, by phi_type (docs/rules.md).
SCORE_BY_TYPE = {
    "NAME": 0.95, "DATE": 0.85, "ID": 0.8, "ADDRESS": 0.95, "PHONE": 0.95, "EMAIL": 0.95,
    "INSTITUTION": 0.85, "DEVICE": 0.6, "OTHER": 0.7,
    # UIDs link records rather than name anyone, and every file has them: reported, but
    # under the default fail-on threshold (0.5) so a sweep fails on identities, not on links.
    "UID": 0.4,
}
#: Keyword -> (phi_type, score) where the general rule is not right.
OVERRIDES: dict[str, tuple[str, float]] = {
    "PatientName": ("NAME", 0.99), "OtherPatientNames": ("NAME", 0.99),
    "PatientBirthName": ("NAME", 0.99), "PatientMotherBirthName": ("NAME", 0.99),
    "PatientID": ("ID", 0.99), "OtherPatientIDs": ("ID", 0.95), "AccessionNumber": ("ID", 0.9),
    "PatientBirthDate": ("DATE", 0.99), "PatientBirthTime": ("DATE", 0.9),
    "MedicalRecordLocator": ("ID", 0.9), "InsurancePlanIdentification": ("ID", 0.9),
    "CameraOwnerName": ("NAME", 0.9), "TopicAuthor": ("NAME", 0.85),
    "ClinicalTrialSubjectID": ("ID", 0.5), "ClinicalTrialSubjectReadingID": ("ID", 0.5),
    "InstitutionAddress": ("ADDRESS", 0.95),
    "MilitaryRank": ("OTHER", 0.7), "BranchOfService": ("OTHER", 0.7),
    "PatientReligiousPreference": ("OTHER", 0.7),
    "GPSLatitude": ("ADDRESS", 0.8), "GPSLongitude": ("ADDRESS", 0.8),
    "GPSDestLatitude": ("ADDRESS", 0.8), "GPSDestLongitude": ("ADDRESS", 0.8),
    "GPSAreaInformation": ("ADDRESS", 0.8),
}
#: Attributes the profile removes that hold free text rather than an identifier.
FREE_TEXT = {
    "TextString", "TextComments", "TopicTitle", "TopicSubject", "TopicKeywords", "Arbitrary",
    "ImagePresentationComments", "ModifiedImageDescription", "IdentifyingComments",
    "ConfidentialityConstraintOnPatientDataDescription", "PatientTransportArrangements",
    "ReasonForTheAttributeModification", "SelectorLOValue", "SelectorLTValue", "SelectorSTValue",
    "SelectorUTValue", "SelectorSHValue", "LabelText", "BarcodeValue", "ContainerDescription",
}
_TIME_VRS = {"TM"}
#: Date attributes that date a device, a document or a coding resource, not the patient's
#: care: reported below the default fail-on threshold.
NOT_CARE_TIMES = ("Calibration", "Manufacture", "Installation", "Expiration", "Version", "Effectiveness",
                  "InformationIssue", "SOPAuthorization", "DigitalSignature", "HangingProtocolCreation",
                  "ApprovalStatus", "EthicsCommittee")
_BINARY_VRS = {"OB", "OW", "UN", "OF", "OD", "OL", "OV", "US", "FL", "FD", "SL", "SS", "UL", "UV", "SV"}


@dataclass(frozen=True)
class ProfileEntry:
    tag: str
    keyword: str
    name: str
    vr: str
    action: str
    options: tuple[str, ...]
    category: str
    phi_type: str
    confidence: float


def _classify(keyword: str, vr: str, options: set[str]) -> tuple[str, str, float]:
    """(category, phi_type, confidence) for one E.1-1 row."""
    if vr == "SQ":
        return "structure", "", 0.0
    if keyword in OVERRIDES:
        phi_type, score = OVERRIDES[keyword]
        return "identifier", phi_type, score
    if "rtnPatCharsOpt" in options:
        return "characteristic", "", 0.0
    if "cleanDescOpt" in options or keyword in FREE_TEXT:
        return "descriptor", "", 0.0
    if keyword.startswith("GPS") or keyword.startswith("ClinicalTrial") and "rtnInstIdOpt" not in options:
        return "structure", "", 0.0
    if vr == "UI":
        return "identifier", "UID", SCORE_BY_TYPE["UID"]
    if vr == "AE":
        return "identifier", "DEVICE", SCORE_BY_TYPE["DEVICE"]
    if vr in ("DA", "DT", "TM") and any(w in keyword for w in NOT_CARE_TIMES):
        return "identifier", "DATE", 0.3
    if vr == "PN":
        return "identifier", "NAME", SCORE_BY_TYPE["NAME"]
    if vr in ("DA", "DT"):
        return "identifier", "DATE", SCORE_BY_TYPE["DATE"]
    if vr in _TIME_VRS:
        return "identifier", "DATE", 0.6
    if vr in _BINARY_VRS:
        return "structure", "", 0.0
    for words, phi_type in ((("Address",), "ADDRESS"), (("Telephone", "Telecom", "Phone"), "PHONE"),
                            (("Residence", "Location", "Country", "Region"), "ADDRESS")):
        if any(w in keyword for w in words):
            return "identifier", phi_type, SCORE_BY_TYPE[phi_type] if phi_type != "ADDRESS" or "Address" in keyword else 0.8
    if "rtnDevIdOpt" in options or keyword.endswith(("AE", "AETitle")) or "Device" in keyword:
        return "identifier", "DEVICE", SCORE_BY_TYPE["DEVICE"]
    if "rtnInstIdOpt" in options or keyword.startswith("IssuerOf") or keyword.endswith("Issuer") or keyword.endswith(("Organization", "Service", "SponsorName")):
        return "identifier", "INSTITUTION", SCORE_BY_TYPE["INSTITUTION"] if "rtnInstIdOpt" in options else 0.6
    if keyword.endswith(("ID", "IDs", "Number", "Identifier", "Locator")) or "ID" in keyword:
        return "identifier", "ID", SCORE_BY_TYPE["ID"]
    return "descriptor", "", 0.0


def _vr_for(tag_int: int) -> str:
    try:
        return dictionary_VR(tag_int)
    except KeyError:
        return ""


@lru_cache(maxsize=1)
def profile_entries() -> dict[int, ProfileEntry]:
    """E.1-1 rows with a concrete tag, keyed by tag number (wildcard rows are rules in code:
    odd groups are private, 50xx curves and 60xx overlays belong to the pixel path)."""
    entries: dict[int, ProfileEntry] = {}
    for tag_int, row in table_e1_1().items():
        vr = _vr_for(tag_int)
        keyword = keyword_for_tag(tag_int) or row.name.replace(" ", "")
        options = set(row.options)
        category, phi_type, confidence = _classify(keyword, vr, options)
        entries[tag_int] = ProfileEntry(row.tag, keyword, row.name, vr, row.basic_profile,
                                        tuple(sorted(options)), category, phi_type, confidence)
    return entries


def profile_table() -> pd.DataFrame:
    """The whole E.1-1 classification as a DataFrame, for reading and for the docs."""
    return pd.DataFrame([e.__dict__ for e in profile_entries().values()]).sort_values("tag").reset_index(drop=True)


#: Values that de-identification tools put in place of PHI; not PHI themselves.
PLACEHOLDERS = {
    "", "anonymous", "anonymized", "anonymised", "anon", "removed", "deidentified", "de-identified",
    "unknown", "none", "null", "n/a", "na", "xxx", "xxxx", "xxxxx", "***", "*", "^", "-", "--", "?",
    "redacted", "not available", "not applicable", "empty", "dummy", "0",
}


@lru_cache(maxsize=16384)
def is_placeholder(text: str) -> bool:
    normalised = text.strip().strip("^ ").lower()
    return normalised in PLACEHOLDERS or set(normalised) <= set("x*#-_^ 0")
