"""Person names in free text that the header does not list.

Evidence is combined: a given name followed by a surname (Census frequency lists),
capitalisation (Title Case beats ALL CAPS, where every word is capitalised), a
title or cue word just before ("Dr.", "Mr", "pt", "for"), and the DICOM caret form
(DOE^JOHN). Imaging vocabulary that happens to be a surname (HEAD, CHEST) never
counts, and a name followed by an eponym noun ("Crohn disease") or preceded by "of"
("Circle of Willis") is an eponym, not a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from phidetect.text.name_cues import ROLE_NOUNS
from phidetect.text.name_lexicon import lexicon
from phidetect.text.name_tokens import NameToken as _Token
from phidetect.text.name_tokens import tokenize
from phidetect.text.recognizer import FREE_TEXT, Recognizer
from phidetect.text.spans import Span, clamp

TITLES = ("dr", "dr.", "doctor", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "prof", "prof.",
          "professor", "nurse")
PERSON_CUES = ("for", "pt", "pt.", "patient", "by", "name", "name:", "physician", "referred", "signed",
               "read", "attn", "attn:", "cc", "cc:", "technologist", "tech", "tech:", "operator", "per",
               "from", "to", "with", "and", "resident", "fellow", "attending", "radiologist", "dictated",
               "reviewed", "ref", "ref.", "called", "informed", "contacted", "discussed", "requested", "ordered", "mother",
               "father", "wife", "husband", "son", "daughter", "spouse", "guardian", "re:", "re")
#: Field labels whose value is a person: "Mother: Techer" names someone with one word.
PERSON_LABELS = frozenset({"mother", "father", "wife", "husband", "son", "daughter", "spouse", "guardian", "kin",
                           "parent", "relative", "caregiver", "sibling", "brother", "sister", "partner", "patient",
                           "name", "physician", "radiologist", "technologist", "operator", "nurse", "referrer",
                           "attending", "resident", "surgeon", "doctor", "signed", "reader", "witness", "tech",
                           "sonographer", "radiographer", "performer"})
#: Words right before a patient's name in requests and descriptions.
PATIENT_CUES = frozenset({"pt", "pt.", "patient", "pt:", "patient:"})
#: Endings of English adjectives, participles and nouns and of medical terms (lymphoma,
#: arthritis, stenosis), rare at the end of family names.
WORD_ENDINGS = ("ed", "ing", "ive", "ous", "able", "ible", "al", "ic", "ary", "ory", "tion", "sion", "ment",
                 "ness", "ful", "less", "ent", "ant", "ure", "ate", "oma", "itis", "osis", "emia", "pathy",
                 "algia", "ectomy", "plasty", "gram", "graphy", "scopy", "ia", "ism")
#: Labels of a relative: after them a surname that is also a word ("Stone", "Rice") is a name.
KIN_LABELS = frozenset({"mother", "father", "wife", "husband", "son", "daughter", "spouse", "guardian", "kin",
                        "parent", "sibling", "brother", "sister", "partner"})
_CARET_NAME = re.compile(r"(?<![\w^])[A-Z][A-Za-z'’-]+\^[A-Z][A-Za-z'’-]+(?:\^[A-Za-z'’.-]*){0,3}(?![\w^])")


#: Punctuation that ends a clause.
_CLAUSE_MARK = re.compile(r"[.;,:]")


class NameRecognizer(Recognizer):
    """pattern.name: names from dictionaries, capitalisation and context (scores in docs/rules.md)."""

    rule = "pattern.name"
    phi_type = "NAME"
    kinds = FREE_TEXT
    title_score = 0.85
    pair_title_case = 0.75
    pair_all_caps = 0.55
    caret_score = 0.85
    cue_boost = 0.15
    lone_surname_score = 0.6

    def __init__(self) -> None:
        self.lex = lexicon()

    def _nameish(self, token: _Token) -> bool:
        return token.capitalised and len(token.word) > 1 and token.word not in self.lex.not_names

    def _is_given(self, token: _Token) -> bool:
        """A Census given name that is not a relative's word ("SON BORN 1990" is no name)."""
        return self._nameish(token) and token.word in self.lex.given and token.word not in ROLE_NOUNS

    def _is_surname(self, token: _Token) -> bool:
        parts = token.word.split("-")
        return self._nameish(token) and all(p in self.lex.surnames for p in parts if p)

    def _eponym(self, tokens: list[_Token], first: int, last: int, text: str) -> bool:
        """"Crohn('s) disease", "Hodgkin lymphoma"; "Circle of Willis". The noun must follow
        in the same phrase: "Tech: M. Iglesias. staging" names a person."""
        following = tokens[last + 1] if last + 1 < len(tokens) else None
        if following is not None and following.word in self.lex.eponym_nouns and \
                not tokens[last].text.endswith(".") and not _CLAUSE_MARK.search(text[tokens[last].end:following.start]):
            return True
        before = tokens[first - 1].word if first > 0 else ""
        # "Circle of Willis", "Pouch of Douglas": one word after "of"; "exam of Terri Howell" is a person
        return before == "of" and first == last

    def find(self, text: str, identity=None) -> Iterator[Span]:
        tokens = tokenize(text)
        all_caps = text.upper() == text
        for match in _CARET_NAME.finditer(text):
            yield Span(match.start(), match.end(), self.phi_type, self.caret_score, self.rule)
        i = 0
        while i < len(tokens):
            found = self._match_at(tokens, i, text, all_caps)
            if found is None:
                i += 1
                continue
            first, last, score = found
            if not self._eponym(tokens, first, last, text):
                yield Span(tokens[first].start, tokens[last].name_end, self.phi_type, clamp(score), self.rule)
            i = last + 1

    def _cued(self, tokens: list[_Token], i: int) -> tuple[bool, bool]:
        """(title before token i, person cue before token i). "MR", "DR", "MS" in capitals and
        without a full stop are modalities and diseases (MR BRAIN, DR CHEST), not titles."""
        if i == 0:
            return False, False
        previous = tokens[i - 1]
        before = previous.text.lower()
        titled = before in TITLES and (previous.text.endswith(".") or not previous.text.isupper())
        return titled, before in PERSON_CUES or titled

    def _match_at(self, tokens: list[_Token], i: int, text: str, all_caps: bool) -> tuple[int, int, float] | None:
        token = tokens[i]
        if not token.capitalised:
            return None
        titled, cued = self._cued(tokens, i)
        boost = self.cue_boost if cued else 0.0
        pair = self.pair_all_caps if all_caps else self.pair_title_case
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        # Given [Initial|Given] Surname
        if self._is_given(token) and nxt is not None and self._adjacent(text, token, nxt):
            j = i + 1
            if (nxt.is_initial or self._is_given(nxt)) and j + 1 < len(tokens) and \
                    self._is_surname(tokens[j + 1]) and self._adjacent(text, nxt, tokens[j + 1]):
                return i, j + 1, pair + boost
            if self._is_surname(nxt):
                return i, j, pair + boost
        # Surname, Given
        if self._is_surname(token) and nxt is not None and self._is_given(nxt) \
                and text[token.end:nxt.start].strip() == ",":
            return i, i + 1, pair + boost
        # Initial. Surname ("J. Doe") after a cue
        if token.is_initial and token.text.endswith(".") and nxt is not None and cued \
                and self._is_surname(nxt) and self._adjacent(text, token, nxt):
            return i, i + 1, pair + boost
        # "Tech: A. Chauvet": an initial and a capitalised word that is not a word, labelled
        if token.is_initial and token.text.endswith(".") and nxt is not None and self._labelled(tokens, i, text) \
                and nxt.capitalised and nxt.word not in self.lex.not_names and len(nxt.word) > 2 \
                and self._adjacent(text, token, nxt):
            return i, i + 1, self.title_score
        # A lone surname right after "pt"/"patient": "Secondary capture pt JOHNSON"; at the
        # end of the value any surname-like word will do ("... pt PISZCZ"), since the names
        # lists cannot know every family name
        if not titled and i > 0 and tokens[i - 1].text.lower().rstrip(":") in PATIENT_CUES \
                and text[tokens[i - 1].end:token.start].strip(" :") == "" \
                and token.word not in self.lex.not_names and len(token.word) > 2 \
                and (token.word in self.lex.surnames or self._surname_like_last(tokens, i, text)):
            return i, i, self.lone_surname_score
        # Title + capitalised word(s): "Dr. Xu", "Mrs Okonkwo-Smith", "Dr. Head"; or a
        # labelled field of a person: "Mother: Techer", "Next of kin: Okafor"
        labelled = not titled and self._labelled(tokens, i, text)
        kin_surname = labelled and tokens[i - 1].text.lower().rstrip(".") in KIN_LABELS \
            and token.word in self.lex.surnames  # "Mother: Stone" (stone is a word too)
        if labelled and ((token.word in self.lex.not_names and not kin_surname) or self._before_of(tokens, i, text)):
            return None  # "Name: Head CT", "Physician: Circle of Willis"
        if (titled or labelled) and token.capitalised and len(token.word) > 1 and (
                token.word in self.lex.surnames or token.word not in self.lex.not_names):
            last = i
            while last + 1 < len(tokens) and self._nameish(tokens[last + 1]) \
                    and self._adjacent(text, tokens[last], tokens[last + 1]) and last - i < 2:
                last += 1
            return i, last, self.title_score
        return None

    @staticmethod
    def _surname_like_last(tokens: list[_Token], i: int, text: str) -> bool:
        """Token i ends the value (only punctuation after it), is not an acronym (3 letters
        or fewer in capitals: "pt NPO") and has no English word ending ("pt INTUBATED",
        "pt FASTING", "pt COOPERATIVE")."""
        token = tokens[i]
        if i + 1 < len(tokens) or text[token.end:].strip(" .;,") or not token.word.isalpha():
            return False
        if token.text.isupper() and len(token.word) <= 3:
            return False
        return not token.word.endswith(WORD_ENDINGS)

    @staticmethod
    def _before_of(tokens: list[_Token], i: int, text: str) -> bool:
        """Token i starts "X of Y": a thing (Circle of Willis, Pouch of Douglas), not a person."""
        return i + 1 < len(tokens) and tokens[i + 1].text.lower() == "of"

    @staticmethod
    def _labelled(tokens: list[_Token], i: int, text: str) -> bool:
        """Token i follows "<person label>:" ("Mother:", "Kin:", "Radiologist:")."""
        if i == 0:
            return False
        previous = tokens[i - 1]
        return previous.text.lower().rstrip(".") in PERSON_LABELS and text[previous.end:tokens[i].start].strip() == ":"

    @staticmethod
    def _adjacent(text: str, a: _Token, b: _Token) -> bool:
        gap = text[a.end:b.start]
        return len(gap) <= 2 and gap.strip(" .") == ""
