"""Burned-in PHI on real images, read with easyocr (CPU): the Pseudo-PHI samples' ground
truth, deid-data's ultrasounds and cines, pydicom-data's ultrasounds, and images whose
burned-in text is only technical. Marked `ocr`: `make test` runs them, `make test-quick`
does not."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import phidetect
from phidetect.datasets.packaged import extract_zipped, package_folder

pytestmark = [pytest.mark.ocr, pytest.mark.slow]
SAMPLES = Path(__file__).parent / "data" / "pseudo-phi-samples"
PADDING = 25  # ground_truth.json boxes are in an image padded by 25 px on every side


@pytest.fixture(scope="module")
def real_images(tmp_path_factory) -> dict[str, Path]:
    deid, data_store = package_folder("deid_data"), package_folder("data_store")
    images = {p.name: p for p in (SAMPLES / "0_ORIGINAL_compressed.dcm", SAMPLES / "2_ORIGINAL.dcm")}
    images |= {p.name: p for p in (deid / "ultrasounds").glob("*.dcm")}
    images |= {p.name: p for p in extract_zipped("deid_data", tmp_path_factory.mktemp("cines"))}
    images |= {n: data_store / n for n in ("US1_UNCR.dcm", "OBXXXX1A.dcm", "JPGLosslessP14SV1_1s_1f_8b.dcm")}
    return images


@pytest.fixture(scope="module")
def findings(real_images):
    result = phidetect.scan(list(real_images.values()), workers=1, progress=False, ocr=True)
    assert result.errors.empty, result.errors
    pixel = result[result["source"] == "pixel"]
    pixel = pixel.assign(name=pixel["file"].map(lambda f: Path(f).name))
    return pixel


def texts(findings, name: str, frame: int = 0, min_confidence: float = 0.5) -> list[str]:
    rows = findings[(findings["name"] == name) & (findings["frame"] == frame)
                    & (findings["confidence"] >= min_confidence)]
    return list(rows["text"])


def has(found: list[str], pattern: str) -> bool:
    return any(re.search(pattern, t, re.IGNORECASE) for t in found)


@pytest.mark.parametrize("name,key", [("0_ORIGINAL_compressed.dcm", "sample_data/0_ORIGINAL.dcm"),
                                      ("2_ORIGINAL.dcm", "sample_data/2_ORIGINAL.dcm")])
def test_every_ground_truth_box_is_covered(findings, name, key) -> None:
    truth = json.loads((SAMPLES / "ground_truth.json").read_text())[key]
    rows = findings[(findings["name"] == name) & (findings["frame"] == 0)]
    boxes = list(zip(rows.x, rows.y, rows.width, rows.height, strict=True))
    for box in truth:
        x, y, w, h = box["left"] - PADDING, box["top"] - PADDING, box["width"], box["height"]
        overlap = [max(0, min(x + w, bx + bw) - max(x, bx)) * max(0, min(y + h, by + bh) - max(y, by))
                   for bx, by, bw, bh in boxes]
        assert max(overlap, default=0) >= 0.5 * w * h, (box["label"], boxes)


@pytest.mark.parametrize("name,expected", [
    ("GREYSCALE_IMAGE.dcm", [r"ZZZ|PATIENTF", r"00079241539", r"08/29/1951", r"03/02/2017", r"CCHS CLEVELA"]),
    ("RGB_IMAGE.dcm", [r"ZZZDOWNTIME|MARY", r"00047431395", r"120907058", r"4/14/2020", r"CCHS CLEVELAND"]),
    ("GREYSCALE_CINE.dcm", [r"ZZZ|PATIENTF", r"00079241539", r"08/29/1951", r"03/02/2017", r"CCHS CLEVELA"]),
    ("RGB_CINE.dcm", [r"TEST|ADL", r"0001128201", r"01/30/1986", r"AGMC", r"7-OCT-2016"]),
    ("US1_UNCR.dcm", [r"BAPTIST MED CTR"]),
    ("OBXXXX1A.dcm", [r"11-05-25-142825", r"Philips Healthcare", r"5/25/2011"]),
])
def test_burned_in_phi_found(findings, name, expected) -> None:
    found = texts(findings, name)
    for pattern in expected:
        assert has(found, pattern), (pattern, found)


@pytest.mark.parametrize("name", ["GREYSCALE_CINE.dcm", "RGB_CINE.dcm"])
def test_every_cine_frame_gets_the_overlay_findings(findings, real_images, name) -> None:
    import pydicom

    frames = int(pydicom.dcmread(real_images[name], stop_before_pixels=True).NumberOfFrames)
    rows = findings[findings["name"] == name]
    assert sorted(set(rows["frame"])) == list(range(frames))
    first = sorted(texts(findings, name, 0))
    assert all(sorted(texts(findings, name, f)) == first for f in range(frames))


@pytest.mark.parametrize("name", ["ultrasound-multiframe.dcm", "JPGLosslessP14SV1_1s_1f_8b.dcm"])
def test_technical_text_only_gives_no_phi(findings, name) -> None:
    rows = findings[(findings["name"] == name) & (findings["confidence"] >= 0.5)]
    assert rows.empty, list(rows["text"])
