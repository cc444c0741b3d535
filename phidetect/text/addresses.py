"""Addresses: US street lines, labelled address fields, postal codes, and the street lines
of other countries.

US lines have a fixed order (number, name, USPS suffix) that ``pattern.address`` reads.
Elsewhere the street word may come first (Jalan, Jl., Đường, Calle), the house number
may have its own cue (House No., H.No., Số, Plot) and the line goes on with localities
and a postal code (``H.No. 885, Iyengar Road, Kollam-736945``). ``pattern.street_line``
reads such a line segment by segment from an anchor and keeps it when the line holds a
number and one more sign of an address (a street or locality word, a postal code, two
or more places). Postal codes with a fixed national shape (UK, Ireland, Canada) are
found alone by ``pattern.postcode``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from phidetect.text.kinds import ADDRESS_KINDS, FREE_AND_CODED
from phidetect.text.recognizer import PatternRecognizer, Recognizer
from phidetect.text.spans import Span

#: USPS Publication 28, Appendix C1 street suffixes (common forms and abbreviations);
#: "View" is left out: "2 VIEW", "4 Chamber View" are radiograph and echo views.
STREET_SUFFIXES = (
    "alley", "aly", "avenue", "ave", "av", "boulevard", "blvd", "bypass", "causeway", "center", "ctr",
    "circle", "cir", "court", "ct", "cove", "cv", "creek", "crescent", "cres", "crossing", "xing",
    "drive", "dr", "estates", "est", "expressway", "expy", "extension", "ext", "freeway", "fwy",
    "gardens", "gdns", "glen", "green", "grn", "grove", "grv", "harbor", "hbr", "heights", "hts",
    "highway", "hwy", "hill", "hills", "inlet", "island", "junction", "jct", "lake", "lakes", "landing",
    "lane", "ln", "loop", "manor", "mnr", "meadow", "meadows", "mews", "mill", "mills", "motorway",
    "mount", "mountain", "orchard", "oval", "park", "parkway", "pkwy", "pass", "path", "pike",
    "pine", "pines", "place", "pl", "plaza", "plz", "point", "pt", "port", "ridge", "rdg", "road", "rd",
    "route", "rte", "row", "run", "square", "sq", "station", "sta", "street", "st", "strasse", "straße",
    "summit", "terrace", "ter", "trace", "trail", "trl", "turnpike", "tpke", "valley", "vly",
    "village", "vlg", "ville", "vista", "walk", "way", "wells", "wy",
    # the rest of Pub 28's primary names, less those a treatment plan or a report also uses
    # (field, course, rest, light, neck, wall, well, curve, flat, plain, ramp, bridge, key, lock, union)
    "arcade", "bayou", "beach", "bend", "bluff", "bluffs", "bottom", "branch", "brook", "brooks", "burg",
    "canyon", "cape", "cliff", "cliffs", "commons", "corner", "corners", "courts", "coves", "crest", "dale",
    "divide", "estate", "falls", "ferry", "ford", "fords", "forest", "forge", "forges", "fork", "forks", "fort",
    "garden", "gateway", "glens", "greens", "groves", "harbors", "haven", "hollow", "islands", "isle", "knoll",
    "knolls", "lodge", "mall", "overpass", "parks", "parkways", "prairie", "radial", "ranch", "rapids", "ridges",
    "river", "roads", "shoal", "shoals", "shore", "shores", "skyway", "springs", "spurs", "squares", "stravenue",
    "streets", "throughway", "trafficway", "tunnel", "underpass", "viaduct", "views", "villages", "walks", "ways",
)
#: Street suffixes that clinical text also uses ("pt" patient, "Dr" doctor, "ext" extension,
#: "run", "pass", "path", "station"): they mark an address only in capitalised text.
CLINICAL_SUFFIXES = frozenset({"pt", "dr", "st", "ct", "cir", "est", "ext", "sta", "run", "pass", "path", "row",
                               "park", "point", "station", "green", "center", "mill", "lake", "loop", "walk",
                               "mount", "port", "trace", "pike", "pine", "oval"})
US_STATES = ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP"]


#: "1 st", "3 pt": a count and an abbreviation, no street.
_ORDINAL_OR_ABBREVIATION = re.compile(r"\d+\s+(?:st|pt|dr|ct)\b\.?", re.IGNORECASE)


def address_recognizer() -> PatternRecognizer:
    """pattern.address: "<number> <one to four words> <street suffix>", PO boxes, and
    "City, ST 12345" with a real US state code (that part case-sensitive)."""
    spelled = "|".join(sorted((x for x in STREET_SUFFIXES if len(x) >= 4 and x not in CLINICAL_SUFFIXES),
                              key=len, reverse=True))
    short = "|".join(sorted((x.capitalize() for x in STREET_SUFFIXES), key=len, reverse=True))
    states = "|".join(US_STATES)
    number = r"(?<![\w.])\d{1,6}(?:[A-UW-Z](?![\w]))?"  # "12B", never "2V" (two views)
    unit = r"(?:\s+(?:Apt\.?|Suite|Ste\.?|Unit|#)\s*\w+)?"
    return PatternRecognizer(
        rule="pattern.address", phi_type="ADDRESS", base_score=0.8, kinds=ADDRESS_KINDS,
        patterns=(rf"{number}\s+(?:[A-Z][\w'.-]*\s+){{1,3}}(?:{spelled})\b\.?{unit}",
                  # abbreviations and words that clinical text uses too ("pt", "Dr", "run"):
                  # only after capitalised words, themselves capitalised or in capitals
                  rf"(?-i:{number}\s+(?:[A-Z][\w'.-]*\s+){{1,3}}(?:{short}|{short.upper()})\b\.?){unit}",
                  r"\bP\.?\s?O\.?\s+Box\s+\d+\b",
                  rf"(?-i:(?:[A-Z][A-Za-z.'-]+\s){{0,2}}[A-Z][A-Za-z.'-]+,?\s+(?:{states})\s+\d{{5}}(?:-\d{{4}})?)(?!\d)"),
        validator=_not_an_ordinal,
    )


class LabelledAddressRecognizer(Recognizer):
    """pattern.labelled_address, an address in a labelled field: "Address: 70, chemin de Arnaud, 46399 Germain-la-
    Forêt". Street layouts differ by country (number first or last, "ul.", "chemin"); the
    label says what follows, so the value up to the next field is taken whole when it holds
    a number (a house number or postal code; "Address: see chart" is no address)."""

    rule = "pattern.labelled_address"
    phi_type = "ADDRESS"
    base_score = 0.85
    kinds = FREE_AND_CODED
    _LABELLED = re.compile(
        r"(?<!ip )(?<!mac )(?<!email )(?<!e-mail )(?<!web )\b(?:address|addr\.?|home address|adresse|anschrift|"
        r"wohnort|domicile|domicilio|direcci[oó]n|indirizzo|adres|alamat|địa chỉ|lives at|living at|resides at|"
        r"residing at|residing|resident of|r/o|home at|staying at)\s*[:#-]?\s+(?P<value>[^\n;|]+?)"
        r"(?=\.?\s*(?:[;\n|]|$)|\.\s+[A-Z][\w ]{0,24}:|(?<!\b[^\W\d])(?<!\b[^\W\d]{2})(?<!\b[^\W\d]{3})\.\s+(?=(?-i:[^a-z\s]))"
        r"|\s+(?:tel|phone|e-?mail|dob|mrn)\b)", re.IGNORECASE)

    def find(self, text: str, identity=None) -> Iterator[Span]:
        for match in self._LABELLED.finditer(text):
            value = match.group("value")
            if any(c.isdigit() for c in value) and sum(c.isalpha() for c in value) >= 3:
                yield Span(match.start("value"), match.end("value"), self.phi_type, self.base_score, self.rule)


def _not_an_ordinal(match: re.Match[str]) -> bool:
    """"21 st" or "3 Dr" alone is an ordinal or an abbreviation, not a street."""
    return not _ORDINAL_OR_ABBREVIATION.fullmatch(match.group(0))


def zip_recognizer() -> PatternRecognizer:
    return PatternRecognizer(
        rule="pattern.zip", phi_type="ADDRESS", base_score=0.7, requires_context=True,
        kinds=ADDRESS_KINDS, context_words=("zip", "zip code", "postal code", "postcode"),
        context_boost=0.0, patterns=(r"(?<![\w.-])\d{5}(?:-\d{4})?(?![\w.-])",),
    )
