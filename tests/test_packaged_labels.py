"""The truth labels that ship with phidetect: well-formed, and true to the files they label."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from phidetect.datasets.packaged import deid_ultrasounds, package_folder
from phidetect.datasets.packaged_labels import LABEL_SETS, packaged_truth
from phidetect.dicom.elements import iter_elements
from phidetect.dicom.pixels import display_image
from phidetect.dicom.reader import read_dicom
from phidetect.evaluate import TRUTH_COLUMNS
from phidetect.findings import PHI_TYPES

SAMPLES = Path(__file__).parent / "data" / "pseudo-phi-samples"


@pytest.mark.parametrize("name", sorted(LABEL_SETS))
def test_label_sets_are_well_formed(name):
    truth = packaged_truth(name)
    assert list(truth.columns) == list(TRUTH_COLUMNS) and len(truth)
    assert set(truth["phi_type"]) <= set(PHI_TYPES)
    assert truth["required"].any() and not truth.duplicated().any()
    pixels = truth[truth["source"] == "pixel"]
    assert (pixels[["x", "y"]] >= 0).all().all() and (pixels[["width", "height"]] > 0).all().all()


def test_unknown_set_and_missing_files(tmp_path):
    with pytest.raises(ValueError, match="no label set 'nope'"):
        packaged_truth("nope")
    with pytest.warns(UserWarning, match="4 labelled file\\(s\\) not found"):
        assert packaged_truth("pseudo_phi_samples", tmp_path).empty


def test_header_labels_match_the_files():
    truth = packaged_truth("pseudo_phi_samples", SAMPLES)
    assert sorted(truth["file"].unique()) == ["0_ORIGINAL_compressed.dcm", "0_ORIGINAL_no_pixels.dcm",
                                              "2_ORIGINAL.dcm", "RGB_ORIGINAL.dcm"]
    for file, rows in truth.groupby("file"):
        values = {e.tag_path: e.text for e in iter_elements(read_dicom(SAMPLES / file))}
        for row in rows.itertuples():
            assert values[row.tag_path][row.start:row.end] == row.text, (file, row.tag_path)
    names = truth[(truth["keyword"] == "PatientName")]
    assert set(names["text"]) == {"DAVIDSON^DOUGLAS", "KAUFMAN^SCOTT", "RODGERS^SAMUEL"}
    # a scan of the parent folder spells the files with the folder in front
    assert packaged_truth("pseudo_phi_samples", SAMPLES.parent)["file"].str.startswith("pseudo-phi-samples/").all()


@pytest.mark.skipif(not deid_ultrasounds(), reason="deid-data is not installed")
def test_ultrasound_boxes_enclose_text():
    """Each box holds bright strokes on a dark bar, and the ring of pixels just outside it is
    background: the box encloses its text (checked on the display image, as it was labelled)."""
    truth = packaged_truth("deid_ultrasounds", package_folder("deid_data"))
    assert set(truth["file"]) == {"ultrasounds/GREYSCALE_IMAGE.dcm", "ultrasounds/RGB_IMAGE.dcm"}
    for file, rows in truth.groupby("file"):
        image = display_image(read_dicom(package_folder("deid_data") / file, headers_only=False), 0)
        grey = image if image.ndim == 2 else image.mean(axis=2)
        for r in rows.itertuples():
            inside = grey[r.y:r.y + r.height, r.x:r.x + r.width]
            assert np.percentile(inside, 99) - np.percentile(inside, 1) > 100, (file, r.text)
            ring = np.concatenate([grey[r.y - 2, r.x:r.x + r.width], grey[r.y + r.height + 1, r.x:r.x + r.width],
                                   grey[r.y:r.y + r.height, r.x - 2], grey[r.y:r.y + r.height, r.x + r.width + 1]])
            assert (ring > 128).mean() < 0.15, (file, r.text)


def test_cine_labels_repeat_on_every_frame():
    truth = packaged_truth("deid_cines")
    frames = truth.groupby("file")["frame"].agg(["min", "max", "nunique"])
    assert frames.loc["GREYSCALE_CINE/GREYSCALE_CINE.dcm"].tolist() == [0, 26, 27]
    assert frames.loc["RGB_CINE/RGB_CINE.dcm"].tolist() == [0, 50, 51]
    per_frame = truth.groupby(["file", "frame"]).size()
    assert (per_frame == 7).all()
