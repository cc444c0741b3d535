"""Accent folding keeps positions, and cross-reference finds names and places without accents."""

from __future__ import annotations

from pydicom.dataset import Dataset

import phidetect
from phidetect.text.folding import fold


def test_fold_keeps_length_and_letters() -> None:
    for text in ("DÖRSCHNER", "Żagań", "Łódź", "Søren", "Crème brûlée", "山田^太郎", "ß"):
        assert len(fold(text)) == len(text)
    assert fold("DÖRSCHNER Żagań Łódź Søren") == "DORSCHNER Zagan Lodz Soren"
    assert fold("山田") == "山田"


def test_crossref_finds_names_and_places_with_accents_dropped_or_added() -> None:
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.PatientName = "DÖRSCHNER^ILIAS"
    ds.InstitutionName = "Szpital Miejski Żagań"
    ds.StudyDescription = "MR for Ilias Dorschner at Szpital Miejski Zagan"
    ds.ImageComments = "seen: Dörschner"
    result = phidetect.scan_dataset(ds)
    found = {(k, t) for k, t in zip(result["keyword"], result["text"], strict=True)}
    assert ("StudyDescription", "Ilias Dorschner") in found
    assert ("StudyDescription", "Szpital Miejski Zagan") in found
    assert ("ImageComments", "Dörschner") in found
