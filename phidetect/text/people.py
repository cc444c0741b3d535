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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from phidetect.text.institutions import KIND_OF_PLACE_WORDS
from phidetect.text.name_cues import (
    AFTER_WORDS,
    CREDENTIALS,
    PARTICLES,
    PERSON_PHRASES,
    PLACE_NOUNS,
    ROLE_NOUNS,
    STRONG_PHRASES,
    TITLES,
    WEAK_CUES,
)
from phidetect.text.name_lexicon import NameLexicon, lexicon
from phidetect.text.name_tokens import NameToken, tokenize
from phidetect.text.names import PATIENT_CUES, WORD_ENDINGS
from phidetect.text.person_words import (
    LONE_NAME_CUES,
    LONE_ZERO,
    MODALITY_TITLES,
    Cue,
    Word,
    adjacent,
    classify_word,
    clause_ends,
    closed,
    cue_phrase,
    cue_word,
    ends_sentence,
    family_name_first,
)
from phidetect.text.place_words import FOREIGN_PLACE_WORDS
from phidetect.text.recognizer import FREE_TEXT, Recognizer
from phidetect.text.spans import Span, clamp

#: "pt" without a colon: the dictionary rule reads a lone word after it (pattern.name).
_BARE_PATIENT_CUES = frozenset(c for c in PATIENT_CUES if not c.endswith(":"))




#: The word after a name, maybe after a comma or in brackets (a credential, a role).
_WORD_AFTER = re.compile(r"\s*[,–—-]?\s*(\()?([A-Za-z][A-Za-z-]*)")

#: Punctuation between a name and what is said of it.
_SENTENCE_MARK = re.compile(r"[.;:]")

#: Punctuation that separates a name from the noun after it.
_LIST_MARK = re.compile(r"[;,:()]")


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
    #: A FAMILY name in capitals then a Given name, neither in any list ("NKOMOYE Dumisile").
    family_first_unknown: float = 0.65
    #: One name word in the brackets that end a short value ("XR CHEST (Mwai)").
    bracketed: float = 0.6
    #: Values up to this long are short descriptions, where "(Name)" is who asked.
    short_value: int = 64
    #: One name word after a weak cue, led by initials or closed by a comma ("per Xuân, ...").
    weak_cued: float = 0.65
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
    _classify = staticmethod(classify_word)

    def _kind(self, token: NameToken, all_caps: bool) -> Word:
        if not token.capitalised and token.word not in PARTICLES:
            return Word.VOCABULARY
        return self._classify(token.text.rstrip("."), all_caps) if not token.is_initial else Word.INITIAL

    # -- runs of name-like words -----------------------------------------------------------
    def _continues(self, token: NameToken, title_case: bool) -> bool:
        """A capitalised short word inside a name that is also a function word: "Nguyen Van An",
        "Tran Le Do". Only where capitals mean something (not Title Case or ALL-CAPS text)."""
        word = token.word
        if word in TITLES or word in ROLE_NOUNS or word in WEAK_CUES or word in STRONG_PHRASES:
            return False
        return not title_case and token.capitalised and not token.text.isupper() and (
            word in self.lex.world_given or word in self.lex.surnames)

    def _named_after_role(self, tokens: Sequence[NameToken], i: int, text: str, title_case: bool) -> bool:
        """A capitalised English word right after a relative's or a title ("husband Purity Osoro",
        "daughter Blessing", "Mrs Precious Dube") is a name: many names are words."""
        token = tokens[i]
        if i == 0 or not token.capitalised or token.text.isupper() or token.is_initial:
            return False
        word, lex = token.word, self.lex
        listed = lex.is_surname(word) or lex.is_given(word)
        if title_case and not lex.is_given(word):
            return False  # "Daughter Assisted", "Surgeon Factor" in Title Case; "Interp: Kennedy Obiero" a name
        if self._never_a_name(word) or word in lex.medical and not listed:
            return False
        previous = tokens[i - 1]
        return previous.word in TITLES or previous.word.rstrip(":") in ROLE_NOUNS and \
            text[previous.end:token.start].strip(" :") == ""

    def _initials_lead(self, tokens: Sequence[NameToken], i: int, text: str, all_caps: bool) -> bool:
        """Initials ("S.", "A. B.") right before a name word start its run: "S. Venkatesh"."""
        j = i
        while j + 1 < len(tokens) and adjacent(text, tokens[j], tokens[j + 1]) and (
                tokens[j].is_initial or self._kind(tokens[j], all_caps) == Word.PARTICLE):
            j += 1
        if j == i or tokens[j].is_initial:
            return False
        if self._kind(tokens[i], all_caps) == Word.PARTICLE and self._cue_before(tokens, i, text) == Cue.NONE:
            return False  # a particle starts a name only after a cue ("Mrs Ó Lubhaing"), not "de novo"
        return self._kind(tokens[j], all_caps) in (Word.GIVEN, Word.SURNAME, Word.UNKNOWN)

    def _surname_word(self, token: NameToken, kinds: list[Word], text: str) -> bool:
        """A capitalised word that a surname list has, after a name word and ending the clause,
        goes on with the name even when it is also an English word ("Bhavika Nazareth, RN",
        "Dr Julia Brown."), not "German Spaniel dog breed"."""
        word, lex = token.word, self.lex
        if not token.capitalised or token.text.isupper() or not any(k in (Word.GIVEN, Word.UNKNOWN) for k in kinds):
            return False
        if not closed(text, token):
            return False
        if self._never_a_name(word) or word in lex.eponym_nouns:
            return False
        return lex.is_surname(word) and (word not in lex.medical or word in lex.given)

    def _never_a_name(self, word: str) -> bool:
        """A word that a name list may hold but that is never a name here: imaging vocabulary,
        a product, a role, a title, a place or an organisation's noun, or under three letters."""
        lex = self.lex
        return word in lex.not_names or word in lex.products or word in ROLE_NOUNS or word in TITLES \
            or word in PLACE_NOUNS or word in KIND_OF_PLACE_WORDS or len(word) < 3

    def _runs(self, tokens: Sequence[NameToken], text: str, all_caps: bool) -> Iterator[_Run]:
        title_case = all_caps or not any(not t.capitalised and len(t.word) > 3 for t in tokens)
        i = 0
        while i < len(tokens):
            kind = self._kind(tokens[i], all_caps)
            if kind == Word.VOCABULARY and self._named_after_role(tokens, i, text, title_case):
                kind = Word.GIVEN
            if kind in (Word.INITIAL, Word.PARTICLE) and self._initials_lead(tokens, i, text, all_caps):
                pass  # "S. Venkatesh", "Mrs Ó Lubhaing", "Ms da Rocha": the run starts here
            elif kind not in (Word.GIVEN, Word.SURNAME, Word.UNKNOWN):
                i += 1
                continue
            kinds, last = [kind], i
            while last + 1 < len(tokens) and adjacent(text, tokens[last], tokens[last + 1]) \
                    and not ends_sentence(tokens[last]) and not tokens[last].text.endswith(("'s", "’s")):
                nxt = self._kind(tokens[last + 1], all_caps)
                if nxt == Word.VOCABULARY and self._continues(tokens[last + 1], title_case):
                    nxt = Word.GIVEN
                elif nxt == Word.VOCABULARY and self._surname_word(tokens[last + 1], kinds, text):
                    nxt = Word.SURNAME
                if nxt == Word.VOCABULARY or sum(k != Word.PARTICLE for k in kinds) >= self.parameters.max_words:
                    break
                kinds.append(nxt)
                last += 1
            if kinds[-1] == Word.PARTICLE and len(kinds) > 1 and tokens[last].capitalised \
                    and self.lex.is_given(tokens[last].word):
                kinds[-1] = Word.GIVEN  # "Tejas Ben." ends with a name, not a particle
            while kinds and kinds[-1] == Word.PARTICLE:  # "Nwachukwu de" ends before "de"
                kinds.pop()
                last -= 1
            yield _Run(i, last, tuple(kinds))
            i = last + 1

    # -- what surrounds them ---------------------------------------------------------------
    def _cue_before(self, tokens: Sequence[NameToken], first: int, text: str) -> Cue:
        if first == 0:
            return Cue.NONE
        previous = tokens[first - 1]
        gap = text[previous.end:tokens[first].start]
        if gap.strip(" :,-–—(") or len(gap) > 3:
            return Cue.NONE  # 'ref="ClipMetadata"', "Pt;\n": the cue must stand right before
        one = previous.text.lower()
        if previous.text.isupper() and one in MODALITY_TITLES:
            # "MR Quellenhof", "DR CHEST" are modalities; "REF DR ADAEZE", "BY DR OKAFOR" titles,
            # and so is "- DR FISHER": a listed name that is no medical word, ending the value
            cued = first > 1 and self._cue_before(tokens, first - 1, text) != Cue.NONE
            return Cue.PERSONAL if cued or tokens[first].text.isupper() and (
                self._listed_name(tokens[first]) or self._no_procedure(tokens[first])) else Cue.NONE
        two = f"{tokens[first - 2].text.lower()} {one}" if first > 1 else ""
        if one in TITLES or previous.word in TITLES or one.rstrip(":") in ROLE_NOUNS:
            return Cue.PERSONAL
        if (one.endswith(":") or gap.strip() == ":") and any(
                t.word.rstrip(":") in ROLE_NOUNS for t in tokens[max(0, first - 4):first - 1]):
            return Cue.PERSONAL  # "Nurse in charge: X", "Interpreter service: X": a role's label
        if two in STRONG_PHRASES or one in STRONG_PHRASES or one.rstrip(":") in STRONG_PHRASES:
            return Cue.STRONG
        if first > 1 and tokens[first - 2].text.lower().rstrip(":") in ROLE_NOUNS and one in ("is", "was", "named"):
            return Cue.STRONG  # "interpreter was Phúc Dương"
        if one in WEAK_CUES or one.rstrip(":") in WEAK_CUES:
            return Cue.WEAK
        return Cue.NONE

    def _no_procedure(self, token: NameToken) -> bool:
        """After "MR"/"DR" in capitals, a word no vocabulary knows, of four letters or more and
        not shaped like a procedure ("-GRAPHY", "-GRAM"), is a name: "DR AKGÜNDÜZ", not "MR BRAIN"."""
        return len(token.word) >= 4 and self._classify(token.text.rstrip("."), True) == Word.UNKNOWN

    def _listed_name(self, token: NameToken) -> bool:
        word, lex = token.word, self.lex
        return (lex.is_surname(word) or lex.is_given(word)) and word not in lex.medical \
            and word not in lex.products and word not in lex.not_names

    def _cue_after(self, tokens: Sequence[NameToken], last: int, text: str) -> Cue:
        end = tokens[last].end
        tail = text[end:end + 24]
        match = _WORD_AFTER.match(tail)
        if match and match.group(2).lower() in CREDENTIALS and (match.group(1) or match.group(2)[0].isupper()):
            return Cue.PERSONAL  # "Ngozi Nwachukwu, RN", "Phúc Dương (interpreter)"
        if match and match.group(1) and match.group(2).lower() in ROLE_NOUNS:
            return Cue.PERSONAL  # "Bhekani Madonsela (physio)", "Thabisile (grandmother)"
        if last + 1 < len(tokens):
            nxt = tokens[last + 1]
            if tokens[last].text.endswith(("'s", "’s")) and nxt.word in ROLE_NOUNS:
                return Cue.PERSONAL  # "Ngozi's daughter"
            words = [t.word for t in tokens[last + 1:last + 4]]
            if words and (words[0] in AFTER_WORDS or len(words) > 1 and words[0] in ("was", "is", "has", "had")
                          and words[1] in AFTER_WORDS or words[:2] == ["to", "be"] and words[2:3] and
                          words[2] in AFTER_WORDS) and not _SENTENCE_MARK.search(text[end:nxt.start]):
                return Cue.STRONG  # "Otieno Kamau was present", "Wanjiru (interpreter)"
        return Cue.NONE

    def _not_a_person(self, tokens: Sequence[NameToken], run: _Run, text: str) -> bool:
        """An eponym ("Kaposi sarcoma", "Circle of Willis"), an organisation or a street."""
        after = tokens[run.last + 1] if run.last + 1 < len(tokens) else None
        possessive = tokens[run.last].text.endswith(("'s", "’s"))
        if after is not None and not ends_sentence(tokens[run.last]) and not possessive and \
                not _LIST_MARK.search(text[tokens[run.last].end:after.start]) and \
                (after.word in self.lex.eponym_nouns or after.word in PLACE_NOUNS):
            return True
        if after is not None and after.text == "of":
            return True  # "Circle of Willis", "Pouch of Douglas": things named after someone
        before = tokens[run.first - 1].word if run.first > 0 else ""
        if before in FOREIGN_PLACE_WORDS:
            return True  # "tỉnh Lào Cai", "Jalan Sudirman", "Gang Moch": a place
        return before == "of" and len(run.name_words) == 1

    def _bracketed(self, text: str, token: NameToken, kind: Word) -> float | None:
        """"XR CHEST (Mwai)": one name word in the brackets that end a short value names who
        asked for it; a listed name (no medical word), or an unknown word that is no English."""
        if len(text) > self.parameters.short_value or not text.rstrip().endswith(")"):
            return None
        if text[:token.start].rstrip()[-1:] != "(" or text[token.end:].strip() != ")":
            return None
        if kind == Word.UNKNOWN and self._common(token) or kind not in (Word.GIVEN, Word.SURNAME, Word.UNKNOWN):
            return None
        if kind != Word.UNKNOWN and not self._listed_name(token):
            return None
        return self.parameters.bracketed

    def _comma_pair(self, tokens: Sequence[NameToken], run: _Run, nxt: _Run, text: str, all_caps: bool) -> float | None:
        """"Surname, Given" as a list writes it ("Per Hoàng, Thế Khoa, ...", "Reading radiologist:
        Nayak, Osha"): two runs joined by a comma, after a cue, ending the clause."""
        if text[tokens[run.last].end:tokens[nxt.first].start] != ", " or not run.name_words or not nxt.name_words:
            return None
        before = self._cue_before(tokens, run.first, text)
        if len(run.name_words) > 2 or len(nxt.name_words) > 3 or \
                before != Cue.PERSONAL and not closed(text, tokens[nxt.last]):
            return None
        kinds = run.name_words + nxt.name_words
        if before == Cue.NONE or self._not_a_person(tokens, nxt, text):
            return None
        if before == Cue.WEAK and Word.GIVEN not in kinds and cue_word(tokens, run.first, text) not in LONE_NAME_CUES:
            return None
        words = tokens[run.first:run.last + 1] + tokens[nxt.first:nxt.last + 1]
        if all(self._common(w) for w in words) and before != Cue.PERSONAL:
            return None
        p = self.parameters
        return p.cued + (p.cue_boost if before != Cue.WEAK else 0.0) - (p.all_caps_penalty if all_caps else 0.0)

    # -- the decision ----------------------------------------------------------------------
    def _common(self, token: NameToken) -> bool:
        return token.word in self.lex.english

    def _score(self, run: _Run, run_words: list[NameToken], before: Cue, after: Cue, all_caps: bool,
               before_word: str = "", closed: bool = False, text_after: str = "", cue_phrase: str = "") -> float | None:
        """The run's score, or None when the evidence is not enough. ``closed``: a comma, a
        semicolon, a bracket or the end of the value follows ("Per Xuân, patient fasted")."""
        p = self.parameters
        words = run.name_words
        cue = max(before.value, after.value)
        strong = cue >= Cue.STRONG.value
        personal = cue == Cue.PERSONAL.value
        known = any(k in (Word.GIVEN, Word.SURNAME) for k in words)
        boost = p.cue_boost if cue else 0.0
        penalty = p.all_caps_penalty if all_caps else 0.0
        initials = Word.INITIAL in run.kinds
        if all(self._common(w) for w in run_words) and Word.PARTICLE not in run.kinds and not (
                personal and known) and not (initials and cue) and not (closed and cue and Word.GIVEN in words) \
                and not (strong and Word.GIVEN in words and Word.SURNAME in words) \
                and not (not all_caps and family_name_first(run_words)):
            return None  # English words ("Peak Blood", "White Matter") are a person only after a title or role
        if len(words) >= 2:
            if not all_caps and family_name_first(run_words):
                # "SMITH Debra", "WINARNO Asmadi", "MADONSELA Lwandile": the records' own order
                return (p.known_given if known else p.family_first_unknown) + boost
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
        if not words or before_word in _BARE_PATIENT_CUES:
            return None  # "pt X" is pattern.name's
        word, kind = run_words[0], words[0]
        if kind == Word.UNKNOWN and word.word.endswith(WORD_ENDINGS) and not initials:
            return None  # "discussed with Radiology Staffing"; but "K. Sembiring" is a name
        common = self._common(word)
        # capitals hide what a word is: "DISCUSSED WITH NICU.", "WITH CISPLATIN." name no one, but
        # a sign-off or a dictation line names a person ("TRANSCRIBED BY NKIRUKA.")
        caps_doubt = all_caps and kind != Word.GIVEN and not personal and not initials
        titled = cue_phrase.rstrip(".") in TITLES or cue_phrase in TITLES
        if strong and (kind == Word.GIVEN or personal and known and (titled or not (all_caps and common))
                       or initials or not common):
            if caps_doubt and not clause_ends(text_after) and cue_phrase not in PERSON_PHRASES:
                return None
            return p.cued - penalty  # one word: not "daughter ASSISTED", "Physician: Circle", "SON BORN"
        if all_caps and not initials and before_word not in ("per", "by"):
            return None
        lone_ok = before_word in LONE_NAME_CUES and clause_ends(text_after) and not ends_sentence(word)
        if cue and (initials or lone_ok) and (kind == Word.GIVEN or not common):
            return p.weak_cued - penalty  # "with S. Venkatesh", "Per Xuân, patient fasted"
        return None

    def find(self, text: str, identity=None) -> Iterator[Span]:
        text = LONE_ZERO.sub("O", text)  # OCR reads the Irish "Ó" as a zero: "Simon 0 Céidigh"
        tokens = tokenize(text)
        if not tokens:
            return
        all_caps = text.upper() == text
        runs = list(self._runs(tokens, text, all_caps))
        paired: set[int] = set()
        for k, (run, nxt) in enumerate(zip(runs, runs[1:], strict=False)):
            score = self._comma_pair(tokens, run, nxt, text, all_caps)
            if score is not None:
                paired.update((k, k + 1))
                yield Span(tokens[run.first].start, tokens[nxt.last].name_end, self.phi_type, clamp(score), self.rule)
        for k, run in enumerate(runs):
            if k in paired or not run.name_words or self._not_a_person(tokens, run, text):
                continue
            run_words = [t for t, k in zip(tokens[run.first:run.last + 1], run.kinds, strict=True)
                         if k in (Word.GIVEN, Word.SURNAME, Word.UNKNOWN)]
            score = self._score(run, run_words, self._cue_before(tokens, run.first, text),
                                self._cue_after(tokens, run.last, text), all_caps,
                                cue_word(tokens, run.first, text), closed(text, tokens[run.last]),
                                text[tokens[run.last].end:], cue_phrase(tokens, run.first))
            if score is None and len(run_words) == 1:
                score = self._bracketed(text, tokens[run.first], run.kinds[0])
            if score is not None:
                yield Span(tokens[run.first].start, tokens[run.last].name_end, self.phi_type, clamp(score), self.rule)
