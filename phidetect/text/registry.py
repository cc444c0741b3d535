"""The default set of text recognizers. Users extend it with ``registry.add(...)``."""

from __future__ import annotations

from phidetect.text.crossref import CrossReferenceRecognizer
from phidetect.text.dates import DateRecognizer
from phidetect.text.names import NameRecognizer
from phidetect.text.patterns import (
    InstitutionRecognizer,
    LabelledAddressRecognizer,
    NationalIdRecognizer,
    PhoneRecognizer,
    address_recognizer,
    age_recognizer,
    email_recognizer,
    ip_recognizer,
    long_number_recognizer,
    record_id_recognizer,
    url_recognizer,
    zip_recognizer,
)
from phidetect.text.recognizer import Registry


def default_registry() -> Registry:
    """A fresh registry with every built-in text recognizer."""
    return Registry([
        DateRecognizer(),
        PhoneRecognizer(),
        email_recognizer(),
        url_recognizer(),
        ip_recognizer(),
        NationalIdRecognizer(),
        record_id_recognizer(),
        long_number_recognizer(),
        age_recognizer(),
        address_recognizer(),
        LabelledAddressRecognizer(),
        zip_recognizer(),
        NameRecognizer(),
        InstitutionRecognizer(),
        CrossReferenceRecognizer(),
    ])
