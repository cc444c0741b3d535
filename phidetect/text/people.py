"""People named in free text whom no list knows: "f/u with Ngozi Nwachukwu", "consent by
daughter Harini Shroff", "interpreter Phúc Dương", "cc Donagh Ó Grianna".

The dictionary rule (phidetect.text.names) needs a US Census given name and surname.
Most of the world's family names are in no list a scanner can ship, so this rule reads
other evidence, word by word and around the words:

* what a word is: a given name of any of 54 countries (gender-guesser), a Census
  surname, vocabulary (common English, DICOM/medical, products, radiology words), or
  *unknown* — capitalised, not vocabulary, not shaped like a medical term;
* what stands before: a title of any country, a relative's or carer's role, a phrase
  like "dictated by" or "discussed with", or a short word like "with" (weak);
* what follows: a credential (", RN", "MBBS"), a role in brackets, or a noun that makes
  the words an eponym, an organisation or a street (then it stays silent).

Two name words of which one is a known given name are a person; so are known surname
and unknown word; two unknown words need a cue; one word needs a strong cue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from phidetect.text.institutions import KIND_OF_PLACE_WORDS
from phidetect.text.name_cues import (
    AFTER_WORDS,
    CREDENTIALS,
    PARTICLES,
    PLACE_NOUNS,
    ROLE_NOUNS,
    STRONG_PHRASES,
    TITLES,
    WEAK_CUES,
)
from phidetect.text.name_lexicon import NameLexicon, lexicon
from phidetect.text.name_tokens import NameToken, tokenize
from phidetect.text.names import PATIENT_CUES, WORD_ENDINGS
from phidetect.text.recognizer import FREE_TEXT, Recognizer
from phidetect.text.spans import Span, clamp

#: "pt" without a colon: the dictionary rule reads a lone word after it (pattern.name).
_BARE_PATIENT_CUES = frozenset(c for c in PATIENT_CUES if not c.endswith(":"))


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


#: Endings of medical terms and English derived words, rare at the end of a name
#: ("Cholangiocarcinoma", "Hepatomegaly", "Embolisation", "Rituximab"); not "-ed", "-ia",
#: "-ine", "-ide": Ahmed, Sophia, Dubhshláine, Seyyide.
MEDICAL_ENDINGS = ("itis", "osis", "oma", "omas", "ectomy", "otomy", "ostomy", "emia", "aemia", "pathy", "algia",
                   "plasty", "graphy", "gram", "scopy", "ism", "tion", "sion", "ment", "ness", "ive", "ous", "able",
                   "ible", "ology", "ologist", "iasis", "ular", "ysis", "esis", "megaly", "plasia", "trophy", "cele",
                   "mab", "nib", "vir", "pril", "olol", "sartan", "statin")
#: A capital inside a word, not after a name prefix (McDonald, MacLeod, DeShawn, LaToya, VanDyke).
_CAMEL = re.compile(r"^(?!Mc|Mac|De|Di|Da|La|Le|Van|Von|Du|Fitz)[A-Z][a-z]+[A-Z]")
#: Titles that, in capitals without a full stop, are modalities (MR, DR) or a disease (MS).
_MODALITY_TITLES = frozenset({"mr", "dr", "ms"})
_VOWEL = re.compile(r"[aeiouyáàâäãåāăąéèêëēĕėęěíìîïīĭįıóòôöõøōŏőúùûüũūŭůűųýÿ]", re.IGNORECASE)


@dataclass(frozen=True)
class PersonParameters:
    """Scores of pattern.person_context (documented in docs/rules.md)."""

    #: Two or more name words, one of them a known given name.
    known_given: float = 0.75
    #: A known surname and an unknown word ("Nguyen Thanh", "Okafor Chinedu" has no such word).
    known_surname: float = 0.6
    #: Two or more unknown words after a cue, or one name word after a strong cue.
    cued: float = 0.75
    #: Added when a cue stands before or a credential after.
    cue_boost: float = 0.15
    #: Taken off in ALL-CAPS text, where capitals say nothing and acronyms look like names.
    all_caps_penalty: float = 0.15
    #: Most name words in one person's name ("Siti Nur Aisyah binti Abdullah" has four).
    max_words: int = 4


@dataclass(frozen=True)
class _Run:
    first: int
    last: int
    kinds: tuple[Word, ...]

    @property
    def name_words(self) -> list[Word]:
        return [k for k in self.kinds if k in (Word.GIVEN, Word.SURNAME, Word.UNKNOWN)]


class PersonContextRecognizer(Recognizer):
    """pattern.person_context: people no name list knows, from what the words are and what surrounds them."""

    rule = "pattern.person_context"
    phi_type = "NAME"
    kinds = FREE_TEXT
    #: OCR rewrites space glued words ("PatIent" -> "Pat Ient"): two unknown halves of one
    #: misread word are not a person, so this rule reads OCR lines as read.
    reads_rewrites = False

    def __init__(self, parameters: PersonParameters | None = None) -> None:
        self.parameters = parameters or PersonParameters()
        self.lex: NameLexicon = lexicon()

    # -- what a word is --------------------------------------------------------------------
    @staticmethod
    @lru_cache(maxsize=65536)
    def _classify(text: str, all_caps: bool) -> Word:
        """What the capitalised word ``text`` is (cached per process: words repeat)."""
        word = NameToken(0, len(text), text).word
        lex = lexicon()
        if word in PARTICLES and (not text[0].isupper() or len(word) <= 3):
            return Word.PARTICLE
        if len(word) == 1:
            return Word.INITIAL if text[0].isupper() else Word.VOCABULARY
        if word in lex.not_names or word in lex.products or word in ROLE_NOUNS or word in TITLES \
                or word in WEAK_CUES or len(word) > 2 and (word in KIND_OF_PLACE_WORDS or word in PLACE_NOUNS):
            return Word.VOCABULARY
        acronym = text.rstrip(".").isupper() and len(word) <= (4 if not all_caps else 3)
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

    def _kind(self, token: NameToken, all_caps: bool) -> Word:
        if not token.capitalised and token.word not in PARTICLES:
            return Word.VOCABULARY
        return self._classify(token.text.rstrip("."), all_caps) if not token.is_initial else Word.INITIAL

    # -- runs of name-like words -----------------------------------------------------------
    def _continues(self, token: NameToken, title_case: bool) -> bool:
        """A capitalised short word inside a name that is also a function word: "Nguyen Van An",
        "Tran Le Do". Only where capitals mean something (not Title Case or ALL-CAPS text)."""
        return not title_case and token.capitalised and not token.text.isupper() and (
            token.word in self.lex.world_given or token.word in self.lex.surnames)

    def _named_after_role(self, tokens: list[NameToken], i: int, text: str, title_case: bool) -> bool:
        """A capitalised English word right after a relative's or a title ("husband Purity Osoro",
        "daughter Blessing", "Mrs Precious Dube") is a name: many names are words."""
        token = tokens[i]
        if title_case or i == 0 or not token.capitalised or token.text.isupper() or token.is_initial:
            return False
        word, lex = token.word, self.lex
        if word in lex.not_names or word in lex.products or word in lex.medical or word in ROLE_NOUNS \
                or word in TITLES or word in PLACE_NOUNS or word in KIND_OF_PLACE_WORDS or len(word) < 3:
            return False
        previous = tokens[i - 1]
        return previous.word in TITLES or previous.word.rstrip(":") in ROLE_NOUNS and \
            text[previous.end:token.start].strip(" :") == ""

    def _runs(self, tokens: list[NameToken], text: str, all_caps: bool) -> Iterator[_Run]:
        title_case = all_caps or not any(not t.capitalised and len(t.word) > 3 for t in tokens)
        i = 0
        while i < len(tokens):
            kind = self._kind(tokens[i], all_caps)
            if kind == Word.VOCABULARY and self._named_after_role(tokens, i, text, title_case):
                kind = Word.GIVEN
            if kind not in (Word.GIVEN, Word.SURNAME, Word.UNKNOWN):
                i += 1
                continue
            kinds, last = [kind], i
            while last + 1 < len(tokens) and _adjacent(text, tokens[last], tokens[last + 1]) \
                    and not _ends_sentence(tokens[last]) and not tokens[last].text.endswith(("'s", "’s")):
                nxt = self._kind(tokens[last + 1], all_caps)
                if nxt == Word.VOCABULARY and self._continues(tokens[last + 1], title_case):
                    nxt = Word.GIVEN
                if nxt == Word.VOCABULARY or sum(k != Word.PARTICLE for k in kinds) >= self.parameters.max_words:
                    break
                kinds.append(nxt)
                last += 1
            while kinds and kinds[-1] == Word.PARTICLE:  # "Nwachukwu de" ends before "de"
                kinds.pop()
                last -= 1
            yield _Run(i, last, tuple(kinds))
            i = last + 1

    # -- what surrounds them ---------------------------------------------------------------
    def _cue_before(self, tokens: list[NameToken], first: int, text: str) -> Cue:
        if first == 0:
            return Cue.NONE
        previous = tokens[first - 1]
        gap = text[previous.end:tokens[first].start]
        if gap.strip(" :,-–—") or len(gap) > 3:
            return Cue.NONE  # 'ref="ClipMetadata"', "Pt;\n": the cue must stand right before
        one = previous.text.lower()
        if previous.text.isupper() and one in _MODALITY_TITLES:
            # "MR Quellenhof", "DR CHEST" are modalities; "REF DR ADAEZE", "BY DR OKAFOR" titles
            cued = first > 1 and self._cue_before(tokens, first - 1, text) != Cue.NONE
            return Cue.PERSONAL if cued else Cue.NONE
        two = f"{tokens[first - 2].text.lower()} {one}" if first > 1 else ""
        if one in TITLES or previous.word in TITLES or one.rstrip(":") in ROLE_NOUNS:
            return Cue.PERSONAL
        if two in STRONG_PHRASES or one in STRONG_PHRASES or one.rstrip(":") in STRONG_PHRASES:
            return Cue.STRONG
        if first > 1 and tokens[first - 2].text.lower().rstrip(":") in ROLE_NOUNS and one in ("is", "was", "named"):
            return Cue.STRONG  # "interpreter was Phúc Dương"
        if one in WEAK_CUES or one.rstrip(":") in WEAK_CUES:
            return Cue.WEAK
        return Cue.NONE

    def _cue_after(self, tokens: list[NameToken], last: int, text: str) -> Cue:
        end = tokens[last].end
        tail = text[end:end + 24]
        match = re.match(r"\s*[,–—-]?\s*(\()?([A-Za-z][A-Za-z-]*)", tail)
        if match and match.group(2).lower() in CREDENTIALS and (match.group(1) or match.group(2)[0].isupper()):
            return Cue.PERSONAL  # "Ngozi Nwachukwu, RN", "Phúc Dương (interpreter)"
        if last + 1 < len(tokens):
            nxt = tokens[last + 1]
            if tokens[last].text.endswith(("'s", "’s")) and nxt.word in ROLE_NOUNS:
                return Cue.PERSONAL  # "Ngozi's daughter"
            words = [t.word for t in tokens[last + 1:last + 3]]
            if words and (words[0] in AFTER_WORDS or len(words) > 1 and words[0] in ("was", "is", "has", "had")
                          and words[1] in AFTER_WORDS) and not re.search(r"[.;:]", text[end:nxt.start]):
                return Cue.STRONG  # "Otieno Kamau was present", "Wanjiru (interpreter)"
        return Cue.NONE

    def _not_a_person(self, tokens: list[NameToken], run: _Run, text: str) -> bool:
        """An eponym ("Kaposi sarcoma", "Circle of Willis"), an organisation or a street."""
        after = tokens[run.last + 1] if run.last + 1 < len(tokens) else None
        possessive = tokens[run.last].text.endswith(("'s", "’s"))
        if after is not None and not _ends_sentence(tokens[run.last]) and not possessive and \
                not re.search(r"[;,:()]", text[tokens[run.last].end:after.start]) and \
                (after.word in self.lex.eponym_nouns or after.word in PLACE_NOUNS):
            return True
        if after is not None and after.text == "of":
            return True  # "Circle of Willis", "Pouch of Douglas": things named after someone
        before = tokens[run.first - 1].word if run.first > 0 else ""
        return before == "of" and len(run.name_words) == 1

    # -- the decision ----------------------------------------------------------------------
    def _common(self, token: NameToken) -> bool:
        return token.word in self.lex.english

    def _score(self, run: _Run, run_words: list[NameToken], before: Cue, after: Cue, all_caps: bool,
               before_word: str = "") -> float | None:
        p = self.parameters
        words = run.name_words
        cue = max(before.value, after.value)
        strong = cue >= Cue.STRONG.value
        boost = p.cue_boost if cue else 0.0
        penalty = p.all_caps_penalty if all_caps else 0.0
        if all(self._common(w) for w in run_words) and Word.PARTICLE not in run.kinds and not (
                cue == Cue.PERSONAL.value and any(k in (Word.GIVEN, Word.SURNAME) for k in words)):
            return None  # English words ("Peak Blood", "White Matter") are a person only after a title or role
        if len(words) >= 2:
            if Word.GIVEN in words and Word.UNKNOWN in words or words.count(Word.GIVEN) >= 2 and cue:
                return p.known_given + boost - penalty
            if Word.GIVEN in words and Word.SURNAME in words:
                if cue or Word.PARTICLE in run.kinds or not all(self._common(w) for w in run_words):
                    return p.known_given + boost - penalty
                return None  # "Will Young", "Mark Long": words first
            if Word.SURNAME in words and Word.UNKNOWN in words:
                if cue:
                    return p.cued + boost - penalty
                if all_caps or any(self._common(w) for w, k in zip(run_words, words, strict=True) if k == Word.SURNAME):
                    return None  # capitals: "PORT XWISE" is a product; "Sel Drum" a plate type
                return p.known_surname
            if cue:
                return p.cued + (boost if strong else 0.0) - penalty
            return None
        if strong and words and before_word not in _BARE_PATIENT_CUES \
                and not (words[0] == Word.UNKNOWN and run_words[0].word.endswith(WORD_ENDINGS)) \
                and (words[0] == Word.GIVEN or not self._common(run_words[0])):
            return p.cued - penalty  # one word: not "daughter ASSISTED", "Physician: Circle"; "pt X" is pattern.name's
        return None

    def find(self, text: str, identity=None) -> Iterator[Span]:
        tokens = tokenize(text)
        if not tokens:
            return
        all_caps = text.upper() == text
        for run in self._runs(tokens, text, all_caps):
            if not run.name_words or self._not_a_person(tokens, run, text):
                continue
            run_words = [t for t, k in zip(tokens[run.first:run.last + 1], run.kinds, strict=True)
                         if k in (Word.GIVEN, Word.SURNAME, Word.UNKNOWN)]
            score = self._score(run, run_words, self._cue_before(tokens, run.first, text),
                                self._cue_after(tokens, run.last, text), all_caps,
                                _cue_word(tokens, run.first, text))
            if score is not None:
                yield Span(tokens[run.first].start, tokens[run.last].name_end, self.phi_type, clamp(score), self.rule)


def _cue_word(tokens: list[NameToken], first: int, text: str) -> str:
    """The word before a run, with a colon when one follows it ("pt:" labels a name; "pt" alone
    may be followed by anything: "pt GIESS today")."""
    if not first:
        return ""
    previous = tokens[first - 1]
    colon = ":" in text[previous.end:tokens[first].start] and not previous.text.endswith(":")
    return previous.text.lower() + (":" if colon else "")


def _adjacent(text: str, a: NameToken, b: NameToken) -> bool:
    gap = text[a.end:b.start]
    return 0 < len(gap) <= 2 and gap.strip(" ") == "" or (gap == "" and a.text.endswith("."))


def _ends_sentence(token: NameToken) -> bool:
    return token.text.endswith(".") and not token.is_initial and token.word not in TITLES
