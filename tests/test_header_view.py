"""The header view marks exactly the spans found, escapes values, and lists every element."""

from __future__ import annotations

from conftest import SAMPLES

import phidetect
from phidetect.header_view import header_table, highlight_header


def test_free_text_span_is_marked_inside_its_value() -> None:
    path = SAMPLES / "2_ORIGINAL.dcm"
    result = phidetect.scan(path, progress=False)
    table = header_table(path, result)
    description = table[table["keyword"] == "StudyDescription"].iloc[0]
    assert description.spans and "NAME" in description.phi_types
    start, end = description.spans[0][:2]
    marked = description.value[start:end]
    assert marked.strip() and marked in description.value
    page = highlight_header(path, result)
    assert '<mark title="NAME' in page and f">{marked}</mark>" in page
    modality = table[table["keyword"] == "Modality"].iloc[0]
    assert not modality.spans and modality.confidence == 0.0


def test_only_phi_and_escaping(tmp_path) -> None:
    from pydicom.dataset import Dataset

    ds = Dataset()
    ds.PatientName = "Doe^John"
    ds.StudyDescription = "<b>for John Doe</b>"
    ds.Modality = "CT"
    result = phidetect.scan_dataset(ds, file="x.dcm")
    only = header_table(ds, result, file="x.dcm", only_phi=True)
    assert set(only["keyword"]) == {"PatientName", "StudyDescription"}
    page = highlight_header(ds, result, file="x.dcm")
    assert "<b>" not in page and "&lt;b&gt;" in page
