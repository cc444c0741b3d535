"""The word lists name rules read, loaded once: who could be a person, and what is a word.

Names: the 1990 US Census given names and surnames, and the multi-country given-name
dictionary of gender-guesser (see phidetect/data/names/README.md). Words: the
hand-written radiology vocabulary, eponym nouns, imaging products and medicines, the
English words wordfreq rates common, and the words of DICOM's own concept and element
names (phidetect/data/vocabulary/README.md). Every list is lower case; lookups fold
accents too, so "Dương" and "Duong" are one word.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from phidetect.text.folding import fold

_NAMES = "phidetect.data.names"
_VOCABULARY = "phidetect.data.vocabulary"


#: A comment line of a packaged list, and the first word of every other line.
_COMMENT = re.compile(r"^[ \t]*#.*$", re.MULTILINE)
_FIRST_WORD = re.compile(r"^[ \t]*([^\s#]\S*)", re.MULTILINE)


def data_text(package: str, name: str) -> str:
    """A packaged text file, lower case, comment lines blanked (gunzipped when it ends in .gz).
    Whole-text operations: the lists hold ~190,000 lines, loaded at every start."""
    raw = resources.files(package).joinpath(name).read_bytes()
    text = gzip.decompress(raw).decode("utf-8") if name.endswith(".gz") else raw.decode("utf-8")
    return _COMMENT.sub("", text).lower()


def _words(package: str, name: str) -> frozenset[str]:
    """Every word of every line."""
    return frozenset(data_text(package, name).split())


def _first_words(package: str, name: str) -> frozenset[str]:
    """The first word of each line (the Census files: name, frequency, cumulative, rank)."""
    return frozenset(_FIRST_WORD.findall(data_text(package, name)))


def _words_and_folded(package: str, name: str) -> frozenset[str]:
    """Every word, as written and accent-folded."""
    words = data_text(package, name).split()
    return frozenset(words) | frozenset(fold(w) for w in words if not w.isascii())


@dataclass(frozen=True)
class NameLexicon:
    #: US Census given names and surnames (the dictionary rule pattern.name reads these).
    given: frozenset[str]
    surnames: frozenset[str]
    #: Radiology vocabulary that is never a name without a title before it.
    not_names: frozenset[str]
    eponym_nouns: frozenset[str]
    #: Given names of 54 countries and regions (gender-guesser), accents kept and folded.
    world_given: frozenset[str]
    #: Common English words (wordfreq Zipf >= 3): a capitalised word among them is not
    #: evidence of a person by itself.
    english: frozenset[str]
    #: Medical and DICOM words: PS3.16 concept meanings, PS3.6 element names, products.
    medical: frozenset[str]
    #: Vendors, models, contrast agents, drugs, radiotracers, sequences (hand-written).
    products: frozenset[str]

    def is_vocabulary(self, word: str) -> bool:
        """A lower-case word that is English, medical or a product: not evidence of a person."""
        folded = fold(word)
        return any(w in vocabulary for w in (word, folded)
                   for vocabulary in (self.english, self.medical, self.products, self.not_names))

    def is_given(self, word: str) -> bool:
        """A given name in any packaged list (US Census or gender-guesser's countries)."""
        return word in self.given or word in self.world_given or fold(word) in self.world_given

    def is_surname(self, word: str) -> bool:
        parts = [p for p in word.split("-") if p]
        return bool(parts) and all(p in self.surnames or fold(p) in self.surnames for p in parts)


@lru_cache(maxsize=1)
def lexicon() -> NameLexicon:
    """Every packaged list, loaded once per process."""
    given = _first_words(_NAMES, "dist.male.first.gz") | _first_words(_NAMES, "dist.female.first.gz")
    surnames = _first_words(_NAMES, "dist.all.last.gz")
    products = _words(_VOCABULARY, "medical_products.txt")
    return NameLexicon(
        given=given, surnames=surnames,
        not_names=_words(_VOCABULARY, "not_names.txt"),
        eponym_nouns=_words(_VOCABULARY, "eponym_nouns.txt"),
        world_given=_words_and_folded(_NAMES, "world.given.gz"),
        english=_words(_VOCABULARY, "english_common.gz"),
        medical=_words(_VOCABULARY, "dicom_concepts.gz") | products,
        products=products,
    )
