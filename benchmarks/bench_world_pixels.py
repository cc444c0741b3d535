"""World benchmark, pixels: the names and identifiers of 13 countries burned into images.

A technologist types the patient's relative, the referrer or an ID onto an ultrasound or a
secondary capture; OCR reads it and the same text rules must find it. Each image here holds
three lines (a titled or labelled person of the region, the region's national ID or record
number, a phone or a date) over a dark, noisy field, in DejaVu fonts of several sizes. The
people and identifiers come from the header benchmark's generators (``benchmarks/world``:
Faker locales, python-stdnum, phonenumbers), never from lists detection reads. The file's
header names somebody else, so cross-reference cannot help. Latin-script regions only: the
packaged OCR model reads the Latin alphabet.

Prints recall per kind and per region (a truth box counts as found when pixel findings of
its type cover half of it, ``phidetect.evaluate``'s rule), precision of pixel findings, and
frames/s. Nothing is asserted.

    .venv/bin/python benchmarks/bench_world_pixels.py [--n 3] [--seed 2026] [--workers 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pydicom
from PIL import Image, ImageDraw, ImageFont

import phidetect
from phidetect.datasets.synthetic.burn import truetype_files

sys.path.insert(0, str(Path(__file__).parent))

from world import identifiers as ids  # noqa: E402
from world.build import new_dataset  # noqa: E402
from world.people import REGIONS, make_person  # noqa: E402

SIZE = 512
LABELS = {"name": ["Ref: {t} {n}", "Sonographer {n}", "Dr {n}", "Interp: {n}"]}


def _lines(region, rng: random.Random, seed: int) -> list[tuple[str, str, str]]:
    """(prefix, planted text, kind) of the three lines of one image."""
    person = make_person(region, rng, seed)
    title = rng.choice(region.titles)
    label = rng.choice(LABELS["name"]).format(t=title, n="{n}")
    prefix = label.split("{n}")[0]
    fake = region.faker(region.address_locale, seed)
    lines = [(prefix, person.full(), "name")]
    if rng.random() < 0.5:
        natid = ids.national_id(region, fake, rng, ids.random_day(rng, 1940, 2010), rng.random() < 0.5)
        lines.append((f"{natid.label} ", natid.value, "national_id"))
    else:
        lines.append(("Hosp no ", ids.record_number(rng)[1], "record"))
    if rng.random() < 0.5:
        lines.append(("Tel ", ids.phone(region, rng), "phone"))
    else:
        lines.append(("DOB ", ids.date_text(ids.random_day(rng, 1935, 2015), rng)[1], "date"))
    return lines


def _image(lines: list[tuple[str, str, str]], rng: random.Random) -> tuple[np.ndarray, list[dict]]:
    """The frame and a truth row (box) per planted text."""
    noise = np.random.default_rng(rng.randrange(2**32))
    pixels = np.clip(noise.normal(25, 12, (SIZE, SIZE)), 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels)
    draw = ImageDraw.Draw(image)
    fonts = truetype_files()
    y, rows = rng.randint(12, 40), []
    for prefix, text, kind in lines:
        font = ImageFont.truetype(rng.choice(fonts), rng.choice([15, 17, 19, 22]))
        x = rng.randint(10, 40)
        draw.text((x, y), prefix, font=font, fill=235)
        start = x + int(draw.textlength(prefix, font=font))
        draw.text((start, y), text, font=font, fill=235)
        left, top, right, bottom = draw.textbbox((start, y), text, font=font)
        rows.append({"kind": kind, "text": text, "x": left, "y": top, "width": right - left, "height": bottom - top})
        y = bottom + rng.randint(14, 40)
    return np.asarray(image), rows


PHI_TYPE = {"name": "NAME", "national_id": "ID", "record": "ID", "phone": "PHONE", "date": "DATE"}


def build(folder: Path, n: int, seed: int) -> pd.DataFrame:
    truth = []
    for region in (r for r in REGIONS if r.latin):
        for index in range(n):
            file = f"{region.code}_{index:03d}.dcm"
            rng = random.Random(zlib.crc32(f"{seed}:{file}".encode()))
            pixels, rows = _image(_lines(region, rng, seed), rng)
            ds = new_dataset(seed, file)
            ds.PatientName, ds.PatientID = "OTHER^PERSON", f"P{index:06d}"
            ds.Rows, ds.Columns, ds.SamplesPerPixel, ds.PhotometricInterpretation = SIZE, SIZE, 1, "MONOCHROME2"
            ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
            ds.PixelData = pixels.tobytes()
            pydicom.dcmwrite(folder / file, ds, enforce_file_format=True)
            for row in rows:
                truth.append({"file": file, "source": "pixel", "tag_path": "", "keyword": "", "frame": 0,
                              "phi_type": PHI_TYPE[row["kind"]], "start": -1, "end": -1, "required": True,
                              "region": region.code, **row})
    return pd.DataFrame(truth)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3, help="images per region")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--min-confidence", type=float, default=0.5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        truth = build(folder, args.n, args.seed)
        started = time.perf_counter()
        findings = pd.DataFrame(phidetect.scan(str(folder), workers=args.workers, progress=False, ocr=True))
        seconds = time.perf_counter() - started
    findings["file"] = findings["file"].map(lambda p: Path(p).name)
    pixel = findings[findings["source"] == "pixel"]
    result = phidetect.evaluate(pixel, truth.drop(columns=["kind", "region"]), min_confidence=args.min_confidence)
    found = truth.merge(result.misses[["file", "x", "y"]].assign(missed=True), on=["file", "x", "y"], how="left")
    found["found"] = found["missed"].isna()
    frames = truth["file"].nunique()
    print(f"World pixels: {frames} images of {truth['region'].nunique()} regions, {len(truth)} burned-in PHI texts; "
          f"OCR scan {seconds:.1f} s ({frames / seconds:.2f} frames/s, {args.workers} worker(s)); min confidence "
          f"{args.min_confidence}")
    print("\nrecall per kind")
    for kind, group in found.groupby("kind"):
        print(f"   {kind:12s} {int(group['found'].sum()):4d}/{len(group):<4d} {group['found'].mean():.3f}")
    print("recall per region (all kinds)")
    print("   " + "  ".join(f"{r} {g['found'].mean():.2f}" for r, g in found.groupby("region")))
    overall = result.metrics.iloc[-1]
    print(f"\npixel findings: precision {overall['precision']:.3f}, recall {overall['recall']:.3f} "
          f"(tp {overall['tp']}, fp {overall['fp']}, fn {overall['fn']})")
    misses = found[~found["found"]]
    if len(misses):
        print("misses (what OCR read there is in the findings' text, if anything):")
        for _, row in misses.head(20).iterrows():
            print(f"   {row['region']} {row['kind']:12s} {row['text']!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
