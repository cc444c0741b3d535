"""The synthetic labelled-DICOM generator (phidetect.datasets.synthetic): valid files of
every kind, exact truth spans and boxes, determinism, look-alikes, the CLI, and the rule
that the generator never reads phidetect's detection code or word lists."""

from __future__ import annotations

import argparse
import ast
import hashlib
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pydicom
import pytest
from conftest import value_text

from phidetect.commands import synth_command
from phidetect.datasets import synthetic
from phidetect.datasets.synthetic import KINDS, build_file, generate
from phidetect.datasets.synthetic.burn import Font, Piece, layout, render, truetype_files
from phidetect.datasets.synthetic.kinds import kind_for
from phidetect.datasets.synthetic.lookalikes import EPONYMS, MARKERS, TECHNICAL, VENDORS
from phidetect.dicom.elements import iter_elements
from phidetect.evaluate import TRUTH_COLUMNS, truth_frame

SEED, N = 0, 20
PACKAGE = Path(synthetic.__file__).parent


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """Twenty files at seed 0, written with every pydicom warning turned into an error."""
    out = tmp_path_factory.mktemp("synth") / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        truth = generate(out, N, SEED)
    return out, truth


@pytest.fixture(scope="module")
def built() -> list:
    """The same twenty files in memory, with their pixels before and after the text."""
    return [build_file(SEED, i) for i in range(N)]


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# --- files ---------------------------------------------------------------------------


def test_every_kind_in_twenty_files_at_any_seed():
    for seed in (0, 1, 7, 12345):
        assert {kind_for(seed, i) for i in range(N)} == set(KINDS)


def test_files_decode_with_the_expected_shape_and_syntax(made):
    out, truth = made
    files = sorted(p for p in out.rglob("*.dcm"))
    assert len(files) == N and set(truth["file"]) <= {p.relative_to(out).as_posix() for p in files}
    seen = {"syntax": set(), "photometric": set(), "modality": set(), "multiframe": 0}
    for path in files:
        ds = pydicom.dcmread(path)
        kind = next(k for k in KINDS if path.stem.endswith(k.name))
        assert ds.file_meta.TransferSyntaxUID == kind.transfer_syntax
        assert ds.SOPClassUID == ds.file_meta.MediaStorageSOPClassUID == kind.sop_class
        assert ds.SOPInstanceUID == ds.file_meta.MediaStorageSOPInstanceUID
        assert ds.Modality == kind.modality and ds.PhotometricInterpretation == kind.photometric
        frames = int(ds.get("NumberOfFrames", 1))
        shape = ((frames,) if kind.multiframe else ()) + (ds.Rows, ds.Columns) + ((3,) if kind.colour else ())
        assert ds.pixel_array.shape == shape
        assert ds.Manufacturer in VENDORS[kind.modality]
        seen["syntax"].add(str(ds.file_meta.TransferSyntaxUID))
        seen["photometric"].add(ds.PhotometricInterpretation)
        seen["modality"].add(ds.Modality)
        seen["multiframe"] += frames > 1
        if ds.Modality == "CT":
            assert ds.PixelRepresentation == 1 and "RescaleIntercept" in ds and "WindowCenter" in ds
            assert ds.KVP and ds.SliceThickness and len(ds.PixelSpacing) == 2
    assert seen["syntax"] == {pydicom.uid.ExplicitVRLittleEndian, pydicom.uid.ImplicitVRLittleEndian,
                              pydicom.uid.RLELossless, pydicom.uid.JPEGBaseline8Bit}
    assert seen["photometric"] == {"MONOCHROME1", "MONOCHROME2", "RGB", "YBR_FULL", "YBR_FULL_422"}
    assert seen["modality"] == {"CT", "MR", "CR", "DX", "US", "OT"}
    assert seen["multiframe"] >= 3


def test_written_pixels_are_the_burned_pixels(made, built):
    """Lossless files decode to exactly the pixels that carry the text; JPEG stays close."""
    out, _ = made
    for item in built:
        ds = pydicom.dcmread(out / item.relpath)
        decoded = ds.pixel_array.reshape(item.after.shape).astype(np.int32)
        expected = item.after.astype(np.int32)
        if item.kind.photometric in ("RGB", "MONOCHROME1", "MONOCHROME2") and item.kind.transfer_syntax != \
                pydicom.uid.JPEGBaseline8Bit:
            assert np.array_equal(decoded, expected), item.relpath
        else:  # colour conversions round; JPEG is lossy
            assert np.abs(decoded - expected).mean() < 6, item.relpath


# --- truth -----------------------------------------------------------------------------


def test_truth_table_has_the_schema_and_is_written(made):
    out, truth = made
    assert list(truth.columns) == list(TRUTH_COLUMNS)
    back = truth_frame(pd.read_csv(out / "truth.csv", keep_default_na=False, dtype=str))
    pd.testing.assert_frame_equal(back, truth)
    assert set(truth["phi_type"]) <= {"NAME", "DATE", "AGE", "ID", "ADDRESS", "PHONE", "EMAIL",
                                      "INSTITUTION", "UID", "DEVICE", "OTHER"}
    tags, pixels = truth[truth.source == "tag"], truth[truth.source == "pixel"]
    assert (tags[["frame", "x", "y", "width", "height"]] == -1).all().all()
    assert (pixels[["start", "end"]] == -1).all().all() and (pixels["tag_path"] == "").all()
    assert not tags[tags.phi_type == "UID"]["required"].any()
    times = tags[tags.keyword.str.endswith("Time") & ~tags.keyword.str.endswith("DateTime")]
    assert len(times) and not times["required"].any()
    assert tags[tags.keyword == "StudyDate"]["required"].all()
    assert "PatientSex" not in set(tags.keyword)
    for row in tags[tags.keyword == "PatientAge"].itertuples():
        assert row.required == (int(row.text[:3]) > 89)
    # PHI in nested sequences (two levels too), private elements, free text and many types
    paths = set(tags.tag_path)
    assert any(p.startswith("(0040,0275)[0].") for p in paths)
    assert any(p.count("[") == 2 for p in paths) or any(p.startswith("(0010,1002)[1].") for p in paths)
    assert any(int(p[1:5], 16) % 2 for p in paths)
    assert {"NAME", "DATE", "ID", "PHONE", "EMAIL", "ADDRESS", "INSTITUTION", "DEVICE"} <= set(tags.phi_type)
    free = tags[tags.keyword.isin(["ImageComments", "AdditionalPatientHistory", "StudyDescription",
                                   "SeriesDescription", "PatientComments"])]
    assert len(free) and (free["start"] > 0).any()


def test_tag_spans_index_the_values_as_phidetect_spells_them(made):
    """value[start:end] == text, with the element found by pydicom from tag_path and by
    phidetect's element walk (which proves the path spelling is the findings' one)."""
    out, truth = made
    for file, rows in truth[truth.source == "tag"].groupby("file"):
        ds = pydicom.dcmread(out / file)
        walked = {e.tag_path: e.text for e in iter_elements(ds)}
        for row in rows.itertuples():
            assert value_text(ds, row.tag_path)[row.start:row.end] == row.text, (file, row.tag_path)
            assert walked[row.tag_path][row.start:row.end] == row.text, (file, row.tag_path)


def test_non_ascii_names_round_trip_with_their_character_set(made):
    out, truth = made
    accented = truth[(truth.source == "tag") & (truth.phi_type == "NAME") & ~truth.text.map(str.isascii)]
    assert len(accented)
    for file in set(accented.file):
        assert pydicom.dcmread(out / file).SpecificCharacterSet in ("ISO_IR 100", "ISO_IR 192")


def test_pixel_boxes_hold_the_burned_text_and_nothing_else_changed(built):
    for item in built:
        frames, rows, cols = item.after.shape[:3]
        changed = item.before != item.after
        if changed.ndim == 4:
            changed = changed.any(axis=3)
        ink = np.zeros((rows, cols), bool)
        for d in item.drawn:
            assert d.x >= 0 and d.y >= 0 and d.x + d.width <= cols and d.y + d.height <= rows
            assert d.alpha[0].any() and d.alpha[-1].any() and d.alpha[:, 0].any() and d.alpha[:, -1].any()
            ink[d.y:d.y + d.height, d.x:d.x + d.width] = True
        for f in range(frames):
            if f in item.text_frames:
                assert not (changed[f] & ~ink).any(), item.relpath
            else:
                assert not changed[f].any(), item.relpath
        rows_ = [r for r in item.truth if r["source"] == "pixel"]
        phi = [d for d in item.drawn if d.piece.phi_type]
        assert len(rows_) == len(phi) * len(item.text_frames)
        for r in rows_:
            box = changed[r["frame"], r["y"]:r["y"] + r["height"], r["x"]:r["x"] + r["width"]]
            assert box.mean() > 0.05, (item.relpath, r["text"])


def test_jpeg_and_multiframe_files_carry_pixel_truth(made):
    out, truth = made
    pixels = truth[truth.source == "pixel"]
    jpeg = [p for p in pixels.file.unique() if "jpeg" in p]
    assert len(jpeg) == sum(k.transfer_syntax == pydicom.uid.JPEGBaseline8Bit for k in KINDS)
    cine = pixels[pixels.file.str.contains("cine")]
    assert cine.frame.max() >= 1
    assert {"NAME", "ID", "DATE", "INSTITUTION"} <= set(pixels.phi_type)


@pytest.mark.parametrize("font", [Font("cv2", "simplex", 9), Font("cv2", "triplex", 32, 2),
                                  Font("cv2", "plain", 14, 1, False)]
                         + [Font("pil", path, size) for path in truetype_files()[:2] for size in (9, 24)])
def test_rendered_boxes_are_tight(font):
    alpha, dx, dy, advance = render("DOE^JOHN 12/03/1961", font)
    assert alpha.size and advance > 0
    assert alpha[0].any() and alpha[-1].any() and alpha[:, 0].any() and alpha[:, -1].any()
    placed = layout([("tl", [Piece("ID: "), Piece("12345678", "ID")]), ("br", [Piece("kVp 120")])],
                    (256, 256), font, 6)
    assert [d.piece.text for d in placed] == ["ID: ", "12345678", "kVp 120"]
    label, value = placed[0], placed[1]
    assert label.x + label.width <= value.x  # the label's box stops before the value's


# --- look-alikes ---------------------------------------------------------------------


def test_lookalikes_are_planted_and_never_truth(made, built):
    out, truth = made
    tags = truth[truth.source == "tag"]
    found = 0
    for path in sorted(out.rglob("*.dcm")):
        file = path.relative_to(out).as_posix()
        spans = tags[tags.file == file]
        for element in iter_elements(pydicom.dcmread(path)):
            for word in EPONYMS + tuple(t for t in TECHNICAL if len(t) >= 5):
                at = element.text.find(word)
                if at < 0:
                    continue
                found += 1
                here = spans[spans.tag_path == element.tag_path]
                assert not ((here.start < at + len(word)) & (here.end > at)).any(), (file, word)
    assert found >= N
    burned = [d for item in built for d in item.drawn if d.piece.phi_type is None]
    vendors = {maker for makers in VENDORS.values() for maker in makers}
    assert any(d.text in TECHNICAL for d in burned) and any(d.text in MARKERS for d in burned)
    assert any(d.text in vendors for d in burned)
    pixel_texts = set(truth[truth.source == "pixel"].text)
    assert not pixel_texts & (set(TECHNICAL) | set(MARKERS) | vendors)


# --- determinism, refusal, CLI --------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_other_data(tmp_path, made):
    out, _ = made
    generate(tmp_path / "again", N, SEED)
    assert digest(tmp_path / "again") == digest(out)
    generate(tmp_path / "other", 4, SEED + 1)
    other = digest(tmp_path / "other")
    assert not set(other.values()) & set(digest(out).values())


def test_same_bytes_in_a_fresh_process(tmp_path, made):
    """No hidden state (hash seeds, Faker's shared random, caches) leaks into the output."""
    out, _ = made
    code = f"from phidetect.datasets.synthetic import generate; generate({str(tmp_path / 'fresh')!r}, 3, {SEED})"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent,
                   env={**os.environ, "PYTHONHASHSEED": "123"})
    fresh = digest(tmp_path / "fresh")
    ours = digest(out)
    assert {k: ours[k] for k in fresh if k != "truth.csv"} == {k: v for k, v in fresh.items() if k != "truth.csv"}
    head = pd.read_csv(out / "truth.csv", dtype=str, keep_default_na=False)
    small = pd.read_csv(tmp_path / "fresh" / "truth.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(head[head.file.isin(set(small.file))].reset_index(drop=True), small)


def test_refuses_an_existing_truth_table_unless_overwrite(tmp_path):
    out = tmp_path / "o"
    generate(out, 2, 5)
    with pytest.raises(ValueError, match="truth.csv"):
        generate(out, 2, 5)
    (out / "truth.csv").unlink()
    with pytest.raises(ValueError, match="already holds"):
        generate(out, 2, 5)
    assert len(generate(out, 2, 5, overwrite=True))
    with pytest.raises(ValueError):
        generate(tmp_path / "p", 2, -1)


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="phidetect")
    synth_command.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.run(args)


def test_cli_writes_files_and_truth(tmp_path, capsys):
    out = tmp_path / "cli"
    assert _cli(["synth", str(out), "--n", "3", "--seed", "4"]) == 0
    assert len(list(out.rglob("*.dcm"))) == 3 and (out / "truth.csv").stat().st_size > 0
    assert "wrote 3 files" in capsys.readouterr().out
    assert _cli(["synth", str(out), "--n", "3", "--seed", "4"]) == 2
    assert "truth.csv" in capsys.readouterr().err
    assert _cli(["synth", str(out), "--n", "3", "--seed", "4", "--overwrite"]) == 0


# --- no circularity ------------------------------------------------------------------------

ALLOWED = {"phidetect.datasets.synthetic", "phidetect.datasets.packaged", "phidetect.evaluate",
           "phidetect.commands.common"}
FORBIDDEN = re.compile(r"vocabulary|phidetect[./](data|text|dicom|ocr|header|scan)\b")


def _phidetect_imports(source: str) -> list[tuple[str, list[str]]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names if alias.name.split(".")[0] == "phidetect"]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level or module.split(".")[0] == "phidetect":
                found.append((module if not node.level else "." * node.level + module,
                              [alias.name for alias in node.names]))
    return found


def _code_strings(source: str) -> list[str]:
    """String constants of a module, docstrings left out (they may name what is avoided)."""
    tree = ast.parse(source)
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
            and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs]


def test_generator_imports_no_detection_code_or_word_lists():
    modules = sorted(PACKAGE.glob("*.py")) + [Path(synth_command.__file__)]
    assert len(modules) >= 8
    for path in modules:
        source = path.read_text(encoding="utf-8")
        for module, names in _phidetect_imports(source):
            assert not module.startswith("."), f"{path.name}: relative import {module}"
            assert any(module == a or module.startswith(a + ".") for a in ALLOWED), f"{path.name}: {module}"
            if module == "phidetect.evaluate":
                assert set(names) <= {"truth_frame", "TRUTH_COLUMNS"}, f"{path.name}: {names}"
        for text in _code_strings(source):
            assert not FORBIDDEN.search(text), f"{path.name}: {text!r}"
        assert "importlib" not in source and "__import__" not in source, path.name


@pytest.mark.slow
def test_a_hundred_files_are_generated_with_truth_for_each(tmp_path):
    truth = generate(tmp_path / "hundred", 100, 3)
    assert truth.file.nunique() == 100
