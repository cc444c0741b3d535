"""Pattern recognizers: e-mail, URLs, IP addresses and ages over 89. The other shapes
have modules of their own: phones, national_ids, record_numbers, addresses, dates,
institutions.

Scores are documented in docs/rules.md; they are the chance, on the data we have
seen, that a match is PHI. Validators come from the field's libraries (phonenumbers,
python-stdnum, ipaddress), never hand-written checksums.
"""

from __future__ import annotations

import ipaddress
import re

from phidetect.text.context import has_context
from phidetect.text.kinds import FREE_AND_CODED
from phidetect.text.recognizer import PatternRecognizer

#: A URL's scheme.
_SCHEME = re.compile(r"^(?:https?|ftp)://")


def email_recognizer() -> PatternRecognizer:
    return PatternRecognizer(
        rule="pattern.email", phi_type="EMAIL", base_score=0.95, kinds=FREE_AND_CODED,
        patterns=(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![\w-])",),
    )


#: Hosts of standards bodies and public code: their URLs name schemas and software, not people.
PUBLIC_HOSTS = ("w3.org", "nema.org", "hl7.org", "ihe.net", "loinc.org", "snomed.org", "xmlsoap.org",
                "purl.org", "dicomstandard.org", "github.com", "gitlab.com", "sourceforge.net", "pypi.org")


def _private_url(match: re.Match[str]) -> bool:
    host = _SCHEME.sub("", match.group(0).lower()).split("/")[0].split(":")[0]
    return not any(host == h or host.endswith("." + h) for h in PUBLIC_HOSTS)


def url_recognizer() -> PatternRecognizer:
    return PatternRecognizer(
        rule="pattern.url", phi_type="OTHER", base_score=0.7, kinds=FREE_AND_CODED, validator=_private_url,
        patterns=(r"\b(?:https?|ftp)://[^\s<>\"'\\]+", r"(?<![\w.@/])www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/[^\s<>\"'\\]*)?"),
    )


def _is_ip(match: re.Match[str]) -> bool:
    """A valid address; a dotted quad of mostly one-digit parts is a version ("2.6.3.6")
    unless a cue word says otherwise."""
    try:
        address = ipaddress.ip_address(match.group(0))
    except ValueError:
        return False
    if address.is_unspecified:
        return False
    if address.version == 4 and sum(len(p) > 1 for p in match.group(0).split(".")) < 2:
        return has_context(match.string, match.start(), match.end(), IP_CUES)
    return True


IP_CUES = ("ip", "ipv4", "ipv6", "host", "address", "addr", "server")


def ip_recognizer() -> PatternRecognizer:
    """IPv4 only when it cannot be part of a longer dotted number (UIDs, versions)."""
    return PatternRecognizer(
        rule="pattern.ip_address", phi_type="OTHER", base_score=0.6, kinds=FREE_AND_CODED,
        context_words=IP_CUES, context_boost=0.3,
        patterns=(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]|\.\d)",
                  r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])",
                  r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}(?::[0-9A-Fa-f]{1,4}){1,6}(?![\w:])"),
        validator=_is_ip,
    )


_AGE_WORDS = r"(?:-?years?-old|years?(?:\s+old)?|yrs?\.?(?:\s+old)?|y/?o|yo)"


def _over_89(match: re.Match[str]) -> bool:
    return 89 < int(match.group("age")) < 130


def age_recognizer() -> PatternRecognizer:
    """pattern.age: ages over 89 (HIPAA), as DICOM AS (092Y) or in prose ("92 y/o", "age 95")."""
    return PatternRecognizer(
        rule="pattern.age", phi_type="AGE", base_score=0.9, validator=_over_89,
        kinds=frozenset({"free", "coded", "age", "ocr"}),
        patterns=(r"(?<![\w.])0?(?P<age>\d{2,3})Y(?:(?=[MFO](?![\w]))|(?![\w]))",  # "097Y", "97YM" (+ sex)
                  rf"(?<![\w.])(?P<age>\d{{2,3}})\s*-?\s*{_AGE_WORDS}(?![\w])",
                  r"(?<![\w])(?:age[d:]?|aged)\s*(?P<age>\d{2,3})(?![\w.])"),
    )


