"""What one capitalised word is as evidence of a person, and the small facts about the
words around a run (adjacent, closed by a comma, a sentence's end) that the person rule
(phidetect.text.people) reads.

A word is a given name of any country, a Census surname, vocabulary (English, DICOM and
medical words, products, titles, roles, street and locality words, identity documents) or
*unknown*: capitalised, no list has it and it is not shaped like a medical term.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum
from functools import lru_cache

from phidetect.text.institutions import KIND_OF_PLACE_WORDS
from phidetect.text.name_cues import (
    ID_SCHEME_WORDS,
    PARTICLES,
    PERSON_PHRASES,
    PLACE_NOUNS,
    ROLE_NOUNS,
    STRONG_PHRASES,
    TITLES,
    WEAK_CUES,
)
from phidetect.text.name_lexicon import lexicon
from phidetect.text.name_tokens import NameToken
from phidetect.text.place_words import FOREIGN_PLACE_WORDS


class Word(Enum):
    """What one capitalised word is, as evidence of a person."""

    GIVEN = "given"
    SURNAME = "surname"
    UNKNOWN = "unknown"
    PARTICLE = "particle"
    INITIAL = "initial"
    VOCABULARY = "vocabulary"


class Cue(Enum):
    """How surely the words around a run say it is a person."""

    NONE = 0
    #: with, by, per, to, from: as often before a thing.
    WEAK = 1
    #: "dictated by", "discussed with", "cc", "was present".
    STRONG = 2
    #: A title, a role ("daughter", "Interpreter:"), a credential after (", RN").
    PERSONAL = 3


#: Weak cues after which one name word closed by a comma or the value's end is a person
#: ("Per Ghazanfer, patient fasted", "CTPA per Panini"); not "and", "with": "On X and Avastin,".
LONE_NAME_CUES = frozenset({"per", "by", "to", "for", "attn", "re", "re:"})
#: A lone zero between two capitalised words, the same length as the "O" it stands for.
LONE_ZERO = re.compile(r"(?<=[A-Za-z] )0(?= [A-Z])")
#: Titles that, in capitals without a full stop, are modalities (MR, DR) or a disease (MS).
MODALITY_TITLES = frozenset({"mr", "dr", "ms"})


#: Endings of medical terms and English derived words, rare at the end of a name
#: ("Cholangiocarcinoma", "Hepatomegaly", "Embolisation", "Rituximab"); not "-ed", "-ia",
#: "-ine", "-ide": Ahmed, Sophia, Dubhshláine, Seyyide.
MEDICAL_ENDINGS = ("itis", "osis", "oma", "omas", "ectomy", "otomy", "ostomy", "emia", "aemia", "pathy", "algia",
                   "plasty", "graphy", "gram", "scopy", "ism", "tion", "sion", "ment", "ness", "ive", "ous", "able",
                   "ible", "ology", "ologist", "iasis", "ular", "ysis", "esis", "megaly", "plasia", "trophy", "cele",
                   "mab", "nib", "vir", "pril", "olol", "sartan", "statin")
#: A capital inside a word, not after a name prefix (McDonald, MacLeod, DeShawn, LaToya, VanDyke).
_CAMEL = re.compile(r"^(?!Mc|Mac|De|Di|Da|La|Le|Van|Von|Du|Fitz)[A-Z][a-z]+[A-Z]")
_VOWEL = re.compile(r"[aeiouyáàâäãåāăąéèêëēĕėęěíìîïīĭįıóòôöõøōŏőúùûüũūŭůűųýÿ]", re.IGNORECASE)


@lru_cache(maxsize=65536)
def classify_word(text: str, all_caps: bool) -> Word:
    """What the capitalised word ``text`` is (cached per process: words repeat)."""
    word = NameToken(0, len(text), text).word
    lex = lexicon()
    if word in PARTICLES and (not text[0].isupper() or len(word) <= 3):
        return Word.PARTICLE
    if len(word) == 1:
        return Word.INITIAL if text[0].isupper() else Word.VOCABULARY
    if word in lex.not_names or word in lex.products or word in ROLE_NOUNS or word in TITLES \
            or word in WEAK_CUES or word in STRONG_PHRASES or word in ID_SCHEME_WORDS or word in FOREIGN_PLACE_WORDS \
            or len(word) > 2 and (word in KIND_OF_PLACE_WORDS or word in PLACE_NOUNS):
        return Word.VOCABULARY
    acronym = text.rstrip(".").isupper() and len(word) <= (4 if not all_caps else 3)
    if acronym and len(word) >= 3 and lex.is_given(word) and word not in lex.medical:
        return Word.GIVEN  # "ALI", "IKA", "LEE" in capitals are names; "MRI", "ICU" are not
    if word in lex.medical and word not in lex.given:
        return Word.VOCABULARY  # "Palmar", "Stent", "Cornea" are in name lists too; Census given names stay
    if acronym:  # "SOP", "EDD", "TAVI"; a Census surname in capitals stays one (LEE, KHAN, RAO)
        return Word.SURNAME if lex.is_surname(word) and word not in lex.english else Word.VOCABULARY
    if lex.is_given(word):
        return Word.GIVEN
    if lex.is_surname(word):
        return Word.SURNAME
    if _CAMEL.search(text):
        return Word.VOCABULARY  # "ClipMetadata", "TrueBeam": identifiers and products
    parts = re.split(r"['’-]", word)
    hyphened = word.split("-")
    if acronym or lex.is_vocabulary(word) or not _VOWEL.search(word) or not all(p.isalpha() for p in parts) \
            or len(hyphened) > 1 and min(map(len, hyphened)) < 2 or word.endswith(MEDICAL_ENDINGS):
        return Word.VOCABULARY  # also "X-WISE", "T-SPINE": a letter and a word are a product
    return Word.UNKNOWN


def cue_word(tokens: Sequence[NameToken], first: int, text: str) -> str:
    """The word before a run, with a colon when one follows it ("pt:" labels a name; "pt" alone
    may be followed by anything: "pt GIESS today")."""
    if not first:
        return ""
    previous = tokens[first - 1]
    colon = ":" in text[previous.end:tokens[first].start] and not previous.text.endswith(":")
    return previous.text.lower() + (":" if colon else "")


def family_name_first(words: Sequence[NameToken]) -> bool:
    """A family name in capitals, then given names in Title Case: "SMITH Debra"."""
    first = words[0].text.rstrip(".,")
    return len(words) >= 2 and len(first) >= 2 and first.isupper() and \
        all(w.text[0].isupper() and not w.text.isupper() for w in words[1:])


def cue_phrase(tokens: Sequence[NameToken], first: int) -> str:
    """The one or two words before a run, lower case, as the cue lists write them."""
    words = [t.text.lower().rstrip(":,") for t in tokens[max(0, first - 2):first]]
    two = " ".join(words)
    return two if two in PERSON_PHRASES or not words else words[-1]


def clause_ends(after: str) -> bool:
    """A comma or the value's end after a lone word ("Per Ghazanfer, patient fasted", "CTPA per
    Panini"); a full stop is not enough ("premedicated with Zometa.")."""
    rest = after.lstrip(" ")
    return not rest or rest[0] in ",;|"


def closed(text: str, last: NameToken) -> bool:
    """A comma, semicolon, bracket or the value's end right after the run's last word."""
    rest = text[last.end:].lstrip(" ")
    return not rest or rest[0] in ",;)|" or (last.text.endswith(".") and not last.is_initial)


def adjacent(text: str, a: NameToken, b: NameToken) -> bool:
    gap = text[a.end:b.start]
    return 0 < len(gap) <= 2 and gap.strip(" ") == "" or (gap == "" and a.text.endswith("."))


def ends_sentence(token: NameToken) -> bool:
    return token.text.endswith(".") and not token.is_initial and token.word not in TITLES
