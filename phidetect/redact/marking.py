"""What a de-identified file says about itself (PS3.3 C.7.1.1 and C.7.6.1): Patient
Identity Removed, the De-identification Method in words and as CID 7050 codes,
Longitudinal Temporal Information Modified, and Burned In Annotation, the last one set
to NO only when the pixels were actually checked and cleaned."""

from __future__ import annotations

from importlib import metadata

from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence

from phidetect.redact.policy import Policy

_TEMPORAL = {"shift": "MODIFIED", "keep": "UNMODIFIED", "remove": "REMOVED"}


def _version() -> str:
    try:
        return metadata.version("phidetect")
    except metadata.PackageNotFoundError:
        return "0"


def method_text(policy: Policy, *, pixels_cleaned: bool) -> list[str]:
    """DeidentificationMethod values: the tool, then the profile and each option in words
    (and what no code names: Policy.method_texts)."""
    return [f"phidetect {_version()}"[:64], *policy.method_texts(pixels_cleaned=pixels_cleaned)]


def mark(ds: Dataset, policy: Policy, *, pixels_cleaned: bool) -> None:
    """Set the de-identification attributes of ``ds`` (top level) in place."""
    ds.PatientIdentityRemoved = "YES"
    ds.DeidentificationMethod = method_text(policy, pixels_cleaned=pixels_cleaned)
    items = []
    for value, meaning in policy.codes(pixels_cleaned=pixels_cleaned):
        item = Dataset()
        item.CodeValue = value
        item.CodingSchemeDesignator = "DCM"
        item.CodeMeaning = meaning
        items.append(item)
    ds.DeidentificationMethodCodeSequence = Sequence(items)
    ds.LongitudinalTemporalInformationModified = _TEMPORAL[policy.dates]
    if pixels_cleaned:
        ds.BurnedInAnnotation = "NO"


def codes_of(ds: Dataset) -> list[str]:
    """The CID 7050 code values a de-identified file carries ([] when none)."""
    return [str(item.get("CodeValue", "")) for item in ds.get("DeidentificationMethodCodeSequence", None) or []]


def methods_of(ds: Dataset) -> list[str]:
    """The DeidentificationMethod values a de-identified file carries ([] when none)."""
    value = ds.get("DeidentificationMethod", None)
    if value is None or value == "":
        return []
    return [str(v) for v in value] if isinstance(value, MultiValue) else [str(value)]
