"""The default set of text recognizers, for element values and OCR lines alike. Users
extend it with ``registry.add(...)`` and switch a rule off with ``registry.remove(rule)``."""

from __future__ import annotations

from phidetect.text.crossref import CrossReferenceRecognizer
from phidetect.text.dates import DateRecognizer
from phidetect.text.institutions import InstitutionRecognizer
from phidetect.text.names import NameRecognizer
from phidetect.text.ocr_identity import OcrIdentityRecognizer
from phidetect.text.ocr_rewrites import OCR_REWRITES
from phidetect.text.ocr_tolerant import ocr_only_recognizers
from phidetect.text.patterns import (
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
from phidetect.text.people import PersonContextRecognizer
from phidetect.text.recognizer import Registry


def default_registry() -> Registry:
    """A fresh registry with every built-in text recognizer and the OCR rewrites."""
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
        PersonContextRecognizer(),
        InstitutionRecognizer(),
        CrossReferenceRecognizer(),
        OcrIdentityRecognizer(),
        *ocr_only_recognizers(),
    ], rewrites=OCR_REWRITES)
