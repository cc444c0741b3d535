"""Reading text straight from the raw bytes must give exactly what pydicom's own
conversion gives, or offsets in findings would not match the element's value."""

import warnings

import pytest
from pydicom.dataelem import RawDataElement

from phidetect.datasets.packaged import packaged_files
from phidetect.dicom.elements import NO_TEXT, _fast_text, element_text
from phidetect.dicom.reader import DicomReadError, read_dicom

FILES = [p for package in ("pydicom", "data_store", "deid_data") for p in packaged_files(package)]


def _raw_elements(dataset):
    for tag in list(dataset.keys()):
        raw = dataset.get_item(tag)
        if isinstance(raw, RawDataElement):
            yield tag, raw


def test_fast_path_equals_pydicom_conversion() -> None:
    compared = 0
    mismatches = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in FILES:
            try:
                dataset = read_dicom(path)
            except DicomReadError:
                continue
            for tag, raw in list(_raw_elements(dataset)):
                fast = _fast_text(raw, int(tag), tag.is_private, ["iso8859"])
                if fast is None or fast == NO_TEXT:
                    continue
                try:
                    slow = element_text(dataset[tag], ["iso8859"])
                except Exception:  # pydicom cannot convert it: nothing to compare
                    continue
                compared += 1
                if slow is None or slow != fast[0]:
                    mismatches.append((path.name, str(tag), fast[0][:40], slow and slow[:40]))
    assert compared > 5000
    assert not mismatches, mismatches[:20]


@pytest.mark.parametrize("value", [b"DOE^JOHN ", b"ORIGINAL\\PRIMARY ", b"1.2.3\x00"])
def test_fast_path_strips_padding(value: bytes) -> None:
    vr = {b"D": "PN", b"O": "CS", b"1": "UI"}[value[:1]]
    raw = RawDataElement(0x00100010 if vr == "PN" else 0x00080008, vr, len(value), value, 0, False, True)
    text, _ = _fast_text(raw, raw.tag, False, ["iso8859"])
    assert not text.endswith((" ", "\x00"))


CASES = [
    ("ISO_IR 100", "LO", "Müller^Zoë"), ("ISO_IR 100", "LO", "Clínica São José\\Ärzte "),
    ("ISO_IR 100", "LT", "Überweisung durch Dr. Ødegård\\ok"), ("ISO_IR 192", "LO", "Müller Zoë = Мюллер"),
    ("ISO_IR 192", "UT", "Gọi bác sĩ Nguyễn 090 123 4567"), ("ISO_IR 192", "SH", "山田 太郎"),
    ("ISO_IR 144", "LO", "Иванов Пётр "), ("ISO_IR 126", "SH", "Ζωή "),
]


@pytest.mark.parametrize("charset, vr, text", CASES)
def test_fast_path_decodes_one_character_set_like_pydicom(charset: str, vr: str, text: str) -> None:
    """Non-ASCII values in a single character set are read from the bytes too, and must
    still equal pydicom's conversion, character for character."""
    from pydicom.charset import convert_encodings
    from pydicom.dataset import Dataset

    encodings = convert_encodings([charset])
    value = text.encode(encodings[0])
    dataset = Dataset()
    dataset.SpecificCharacterSet = charset
    raw = RawDataElement(0x00081030, vr, len(value), value, 0, False, True)
    dataset[0x00081030] = raw
    fast = _fast_text(raw, 0x00081030, False, encodings)
    assert fast is not None and fast[0] == element_text(dataset[0x00081030], encodings)
