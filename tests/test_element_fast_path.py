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
