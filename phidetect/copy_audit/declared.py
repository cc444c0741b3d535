"""Items a copy keeps and says so: PS3.15's options, declared in the copy's own
De-identification Method Code Sequence (0012,0064).

A copy made under Retain Device Identity (113109) keeps the station name; one made under
Retain Longitudinal Temporal Information (113106 full dates, 113107 modified dates) keeps
times of day. Such an item found in the copy is not a leak of the tool's but a choice the
copy declares: its status is ``kept``, with the option as evidence, and it fails nothing.
A date found *unchanged* under Modified Dates was not shifted, so it is still a leak; a
copy that declares nothing is judged by the Basic Profile (everything found leaked).
"""

from __future__ import annotations

from pydicom.dataset import Dataset

from phidetect.redact.header_actions import DATE_VRS, kept_by_option
from phidetect.redact.marking import codes_of
from phidetect.redact.policy import Policy
from phidetect.redact.resolve import last_tag
from phidetect.text.spans import split_rules


def declared_policy(copy: Dataset) -> Policy | None:
    """The options the copy declares, or None where it declares none (or cannot be read so)."""
    try:
        codes = codes_of(copy)
    except Exception:  # a malformed code sequence declares nothing we can trust
        return None
    if not codes:
        return None
    try:
        return Policy.from_codes(codes)
    except ValueError:
        return None


def kept_on_purpose(record: dict, policy: Policy | None) -> bool:
    """Whether a header item found in the copy is one its declared options keep."""
    if policy is None or record["source"] != "tag":
        return False
    try:
        tag = last_tag(str(record["tag_path"]))
    except ValueError:
        return False
    if tag >> 16 & 1:  # no option keeps a private element's PHI
        return False
    vr = str(record["vr"])
    if record["phi_type"] == "UID":
        return policy.option_keeps(tag)  # Retain UIDs
    if vr in DATE_VRS and record["phi_type"] == "DATE":
        return policy.dates == "keep" or (vr == "TM" and policy.dates == "shift")
    return policy.option_keeps(tag) and kept_by_option(split_rules(str(record["rule"])))
