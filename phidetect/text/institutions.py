"""Institution names in free text: capitalised words ending in an organisation noun
("Lakeside Regional Hospital") or following one ("Klinikum Angermünde"), with a word
that says which one. The word lists are shared with the OCR-tolerant identity match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from phidetect.text.folding import fold
from phidetect.text.name_cues import STRONG_PHRASES, WEAK_CUES
from phidetect.text.name_lexicon import lexicon
from phidetect.text.recognizer import FREE_TEXT, Recognizer
from phidetect.text.spans import Span

#: Nouns that end an organisation's name ("Lakeside Regional Hospital", "AGMC Sports Medicine").
INSTITUTION_NOUNS = (
    "hospital", "hospitals", "clinic", "clinics", "medical center", "medical centre", "med ctr", "health system",
    "healthcare", "health care", "health", "medicine", "institute", "university", "infirmary", "hospice",
    "imaging center", "imaging centre", "radiology", "medical group", "medical college", "health centre",
    "krankenhaus", "klinikum", "klinik", "kliniek", "ziekenhuis", "sjukhus", "sygehus",
)
#: Organisation nouns that come first in many languages: "Hospital Universitario de Asturias",
#: "Klinikum Angermünde", "Szpital Miejski", "Hôpital Bouvet", "Clinica Soria".
LEADING_INSTITUTION_NOUNS = ("Hospital", "Hospitales", "Hôpital", "Hopital", "Clínica", "Clinica", "Clinique",
                             "Klinikum", "Klinik", "Krankenhaus", "Universitätsklinikum", "Szpital", "Ospedale",
                             "Policlinico", "Centro Médico", "Centro Medico", "Centre Hospitalier", "Ziekenhuis",
                             "Kliniek", "Sjukhus", "Sygehus", "Nemocnice", "Centrum Medyczne", "CHU", "CHRU", "CHR",
                             "Centre Hospitalier Universitaire", "Azienda Ospedaliera", "Hospital Clínico",
                             "Hospital Clinico", "Radiologie", "Radiología", "Radiologia", "Institut", "Instituto",
                             "Istituto")
#: Nouns of English names that say which place after "of" ("University Hospital of Wales").
OF_NAMED_NOUNS = ("hospital", "hospitals", "infirmary", "clinic", "medical center", "medical centre",
                  "health system", "university", "institute", "hospice")
#: Words that follow "Hospital" in English clinical text without naming one.
HOSPITAL_CONTEXT_WORDS = frozenset({"course", "stay", "day", "days", "admission", "discharge", "records", "record",
                                    "number", "policy", "bed", "ward", "unit", "based", "acquired", "name",
                                    "staff", "visit", "transfer", "system", "id"})
#: Words that name a specialty or a kind of place, not which one: "Nuclear Medicine",
#: "Community Hospital" alone are not an institution's identity.
GENERIC_ORG_WORDS = frozenset({
    "nuclear", "sports", "internal", "family", "emergency", "diagnostic", "interventional", "general",
    "regional", "community", "memorial", "university", "medical", "health", "imaging", "radiology",
    "center", "centre", "department", "dept", "of", "and", "the", "for", "&", "st", "saint", "county",
    "city", "state", "national", "childrens", "children's", "women's", "veterans", "va", "adult", "pediatric",
    "paediatric", "molecular", "breast", "cardiac", "heart", "cancer", "oncology", "womens", "mens",
    "das", "der", "die", "dem", "den", "le", "la", "les", "el", "il", "lo", "de", "du", "des", "del", "di",
    "zentrum", "centro", "nacional", "nazionale",
})

#: Every word that says what kind of place an institution is rather than which one: the
#: generic words and the words of the organisation nouns ("hospital", "klinikum", "st").
KIND_OF_PLACE_WORDS = GENERIC_ORG_WORDS | {
    w for noun in INSTITUTION_NOUNS + LEADING_INSTITUTION_NOUNS for w in noun.lower().split()}


#: "X Hospital of Y": what follows 'of'.
_OF = re.compile(r"\s+of\s+", re.IGNORECASE)

#: A word of an organisation's name.
_NAME_WORD = re.compile(r"[\w&'.-]+")

#: The last word of an organisation's name.
_LAST_NAME_WORD = re.compile(r"[\w&'.-]+$")


def _a_persons_place(head: list[str], noun: str) -> bool:
    """"Hope Adeyemi's clinic": a person's (the name rules' finding), not an institution's name,
    which capitalises its noun ("Adeyemi Clinic", "St. Mary's Hospital")."""
    return bool(head) and noun[:1].islower() and head[-1].replace("’", "'").endswith("'s")


#: Single words that introduce a person or a department ("Attn", "Per", "cc").
CUE_WORDS = frozenset(w for w in STRONG_PHRASES | WEAK_CUES if " " not in w) | {"discussed", "attn"}


#: Nouns that also end the name of a specialty ("Musculoskeletal Radiology").
SPECIALTY_NOUNS = frozenset({"radiology", "medicine", "imaging", "health", "healthcare", "surgery"})


def _a_persons_role(matched: str, found: list[re.Match[str]]) -> bool:
    """"Dr Jagat Thaman, radiology registrar", "HIV clinic": a noun after a comma is a person's
    department, and a lower-case one after acronyms or vocabulary only a clinic's kind."""
    noun = found[-1].group(0)
    if len(found) > 1 and "," in matched[found[-2].end():found[-1].start()]:
        return True
    words = lexicon()
    if noun.lower() in SPECIALTY_NOUNS and all(w.group(0).lower() in words.medical for w in found[:-1]):
        return True  # "Abdominal Radiology", "Tropical Medicine": a specialty, not a department's name
    if not noun[:1].islower():
        return False
    return all(w.group(0).isupper() or w.group(0).lower().strip(".:") in CUE_WORDS
               or words.is_vocabulary(w.group(0).lower().strip(".:")) for w in found[:-1])


class InstitutionRecognizer(Recognizer):
    """pattern.institution: capitalised words ending in an organisation noun, with at least
    one word that names which one (not a specialty, not a manufacturer)."""

    rule = "pattern.institution"
    phi_type = "INSTITUTION"
    base_score = 0.75
    kinds = FREE_TEXT

    def __init__(self) -> None:
        nouns = "|".join(sorted((n.replace(" ", r"\s+") for n in INSTITUTION_NOUNS), key=len, reverse=True))
        # starts after no letter only: a match starting inside a word is never the leftmost
        # (the same match starts a letter earlier), and trying every position was 30x slower
        self._pattern = re.compile(
            rf"(?<![A-Za-z])(?:(?:[A-Z][\w&'.-]*|&|of|and|the),?\s+){{1,5}}(?:{nouns})\b", re.IGNORECASE)
        # a noun's first letter in either case ("la clinique Goncalves", OCR's "clinique"), but
        # not acronyms (CHU) nor English "hospital", which runs on into "hospital stay"
        # matched on accent-folded text (OCR and other systems drop accents: "Universitatsklinikum")
        # and in capitals, as burned-in text and many headers write it ("HOSPITAL UNIVERSITARIO DE LUGO")
        folded = sorted({fold(n) for n in LEADING_INSTITUTION_NOUNS}, key=len, reverse=True)
        leading = "|".join(f"[{n[0]}{n[0].lower()}]{re.escape(n[1:])}" if n[1:2].islower() and
                           not n.startswith("Hospital") else re.escape(n) for n in folded)
        capitals = "|".join(re.escape(n.upper()) for n in folded if n.upper() != n)
        self._leading = re.compile(
            rf"\b(?:{leading}|{capitals})(?:\s+(?:de|del|de la|di|du|des|der|di|y|e|[A-ZÀ-Ý][\w'.-]*)){{1,5}}"
            r"(?<![\s.])")
        # English names that say which place after "of": "University Hospital of Lugo",
        # "Hospital of the University of Pennsylvania", "ROYAL INFIRMARY OF EDINBURGH"
        # (its noun capitalised: "the hospital of Dr Smith" is a person's)
        of_nouns = "|".join(sorted((f.replace(" ", r"\s+") for n in OF_NAMED_NOUNS for f in (n.title(), n.upper())),
                                   key=len, reverse=True))
        self._named_after_of = re.compile(
            rf"(?<![A-Za-z])(?:[A-Z][\w'.-]*\s+){{0,3}}(?:{of_nouns})\s+(?i:of)"
            rf"(?:\s+(?:(?i:the|of|and|&)|[A-ZÀ-Ý][\w'.-]*)){{1,5}}(?<![\s.])")
        self._not_names = lexicon().not_names

    def _proper(self, words: list[str], kinds: frozenset[str] = GENERIC_ORG_WORDS) -> list[str]:
        """The words that say which place: capitalised, none of ``kinds`` nor of the lexicon's not-names."""
        return [w for w in words if w[0].isupper() and w.lower().strip(".") not in kinds
                and w.lower().strip(".,") not in self._not_names and w.lower() not in HOSPITAL_CONTEXT_WORDS]

    def _named_by_of(self, text: str) -> Iterator[re.Match[str]]:
        """"University Hospital of Lugo": the words after "of" hold one that names a place
        (not "Institute of Radiology", "Clinic of Internal Medicine")."""
        for match in self._named_after_of.finditer(text):
            after = _OF.split(match.group(0), maxsplit=1)[1]
            if self._proper(_NAME_WORD.findall(after), KIND_OF_PLACE_WORDS):
                yield match

    def find(self, text: str, identity=None) -> Iterator[Span]:
        led: set[int] = set()  # where a leading-noun name starts: "... at Hospital Universitario ..."
        text = fold(text)  # same length: spans index the original
        for match in self._named_by_of(text):
            yield Span(match.start(), match.end(), self.phi_type, self.base_score, self.rule)
        for match in self._leading.finditer(text):  # "Hospital Universitario de Asturias", "Klinikum Angermünde"
            words = _NAME_WORD.findall(match.group(0))
            if self._proper(words[1:]):
                led.add(match.start())
                yield Span(match.start(), match.end(), self.phi_type, self.base_score, self.rule)
        for match in self._pattern.finditer(text):
            noun_start = match.end() - len(_LAST_NAME_WORD.search(match.group(0)).group(0))
            if noun_start in led:
                continue  # the noun begins a name that follows it; the words before are not one
            found = list(_NAME_WORD.finditer(match.group(0)))
            first = 0  # the name is the run of capitalised words (and connectors) before the noun
            for k, word in enumerate(found[:-1]):
                if word.group(0)[0].islower() and word.group(0).lower() not in ("of", "and", "the"):
                    first = k + 1
            found = found[first:]
            head = [w.group(0) for w in found[:-1]] if len(found) > 1 else [w.group(0) for w in found]
            proper = self._proper(head)
            if not proper or _a_persons_place(head, found[-1].group(0)) or _a_persons_role(match.group(0), found):
                continue
            offset = next(w.start() for w in found if w.group(0).lower() not in ("of", "and", "the", "&"))
            yield Span(match.start() + offset, match.end(), self.phi_type, self.base_score, self.rule)
