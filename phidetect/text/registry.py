"""The default set of text recognizers, for element values and OCR lines alike. Users
extend it with ``registry.add(...)`` and switch a rule off with ``registry.remove(rule)``."""

from __future__ import annotations

from phidetect.text.addresses import LabelledAddressRecognizer, address_recognizer, zip_recognizer
from phidetect.text.crossref import CrossReferenceRecognizer
from phidetect.text.dates import DateRecognizer
from phidetect.text.institutions import InstitutionRecognizer
from phidetect.text.names import NameRecognizer
from phidetect.text.national_ids import NationalIdRecognizer
from phidetect.text.ocr_identity import OcrIdentityRecognizer
from phidetect.text.ocr_rewrites import OCR_REWRITES
from phidetect.text.ocr_tolerant import ocr_only_recognizers
from phidetect.text.patterns import age_recognizer, email_recognizer, ip_recognizer, url_recognizer
from phidetect.text.people import PersonContextRecognizer
from phidetect.text.phones import PhoneRecognizer
from phidetect.text.recognizer import Registry
from phidetect.text.record_numbers import long_number_recognizer, record_id_recognizer, record_number_recognizer
from phidetect.text.script_names import ScriptNameRecognizer
from phidetect.text.street_lines import StreetLineRecognizer, postcode_recognizer


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
        record_number_recognizer(),
        long_number_recognizer(),
        age_recognizer(),
        address_recognizer(),
        LabelledAddressRecognizer(),
        StreetLineRecognizer(),
        postcode_recognizer(),
        zip_recognizer(),
        NameRecognizer(),
        PersonContextRecognizer(),
        ScriptNameRecognizer(),
        InstitutionRecognizer(),
        CrossReferenceRecognizer(),
        OcrIdentityRecognizer(),
        *ocr_only_recognizers(),
    ], rewrites=OCR_REWRITES)
