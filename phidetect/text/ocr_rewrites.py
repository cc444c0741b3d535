"""How OCR misreads a line, undone: the rewrites the registry reads besides the text as
read, and how their spans map back to it.

OCR confuses O/0, I/1/l, S/5, B/8, drops punctuation and spaces and adds stray ones.
Most rewrites here are one-to-one character maps (same length, so offsets found in the
rewritten text are offsets in the OCR text); the one that puts back lost spaces says
where each of its characters stood.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from phidetect.text.spans import Span

TO_LETTERS = str.maketrans({"0": "o", "1": "l", "5": "s", "8": "b", "|": "l", "!": "l", "$": "s", "2": "z"})
TO_DIGITS = str.maketrans({"o": "0", "O": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "i": "1", "|": "1",
                           "!": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "G": "6", "b": "6"})
#: A token of OCR text, look-alike punctuation included ("PAT|ENT", "$MITH").
OCR_TOKEN = re.compile(r"[A-Za-z0-9|!$]+")


def digits_normalised(text: str) -> str:
    """Tokens that are mostly digits get their letter look-alikes turned into digits
    ("O1/O9/2O12" -> "01/09/2012"); other tokens are left alone. Same length as ``text``."""
    def fix(match: re.Match[str]) -> str:
        token = match.group(0)
        digits = sum(c.isdigit() for c in token)
        return token.translate(TO_DIGITS) if digits and digits >= 0.5 * len(token) else token
    return OCR_TOKEN.sub(fix, text)


#: Date-shaped digit groups with a four-digit year of this or the last century, and times of
#: day, whose two separators OCR read differently ("2010-02.13", "10:37.59").
_MIXED_DATE = re.compile(r"(?<![\d.:/-])(?:(?:19|20)\d\d([-./])\d{1,2}(?!\1)([-./])\d{1,2}|"
                         r"\d{1,2}([-./])\d{1,2}(?!\3)([-./])(?:19|20)\d\d)(?![\d.:/-])")
_MIXED_CLOCK = re.compile(r"(?<![\d.:])(?:[01]?\d|2[0-3])(?::[0-5]\d\.|\.[0-5]\d:)[0-5]\d(?![\d:])")


def separators_normalised(text: str) -> str:
    """A date's or time's second separator made its first ("2010-02.13" -> "2010-02-13",
    "10:37.59" -> "10:37:59"), so one misread stroke does not hide the stamp. Same length."""
    def date(match: re.Match[str]) -> str:
        first, second = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        at = match.start(2 if match.group(1) else 4) - match.start()
        token = match.group(0)
        return token[:at] + first + token[at + len(second):]
    text = _MIXED_DATE.sub(date, text)
    return _MIXED_CLOCK.sub(lambda m: m.group(0).replace(".", ":"), text)


#: A round bracket where a C was (monospace capitals: "(linique Rossi"), a bar where an I was.
_GLYPH_SLIPS = ((re.compile(r"(?<![^\s~\"'`])\((?=[a-z]{2})"), "C"), (re.compile(r"(?<=[A-Za-z])\|(?=[A-Za-z])"), "I"))


def glyphs_normalised(text: str) -> str:
    """Letters OCR read as punctuation put back ("(linique" -> "Clinique"). Same length."""
    for pattern, letter in _GLYPH_SLIPS:
        text = pattern.sub(letter, text)
    return text


def spacing_normalised(text: str) -> str:
    """OCR's stray space before a comma or full stop moved after it ("21 , 2015" ->
    "21,  2015"), so date and name rules see the usual form. Same length as ``text``."""
    return re.sub(r"(?<=\w) ([,.])(?=\s|$)", r"\1 ", text)


#: Where OCR of small type drops a space: an acronym glued to a lowercase word
#: ("CHUde Leroy"), a word glued to the next capitalised one ("LeroyJean").
_GLUED = re.compile(r"(?<=[A-Z]{2})(?=[a-z]{2})|(?<=[a-z]{2})(?=[A-Z][a-z])")


def unglued(text: str) -> tuple[str, list[int]]:
    """``text`` with a space put back where OCR glued two words, and for every character
    of the result its index in ``text`` (an inserted space: the next character's), so
    spans found in the result map back with :func:`span_back`."""
    cuts = [m.start() for m in _GLUED.finditer(text)]
    pieces, origin, last = [], [], 0
    for cut in cuts:
        pieces.append(text[last:cut] + " ")
        origin += [*range(last, cut), cut]
        last = cut
    pieces.append(text[last:])
    origin += list(range(last, len(text)))
    return "".join(pieces), origin


def spaced_again(text: str) -> str:
    """:func:`unglued`'s text alone."""
    return unglued(text)[0]


def unglued_origin(text: str) -> list[int]:
    """:func:`unglued`'s offsets alone."""
    return unglued(text)[1]


def span_back(span: Span, origin: list[int]) -> Span:
    """A span of a rewritten text as a span of the text as read (``origin``: where each
    character of the rewritten text stood)."""
    start, end = origin[span.start], origin[span.end - 1] + 1
    return Span(start, end, span.phi_type, span.score, span.rule, span.other_rules)


@dataclass(frozen=True)
class OcrRewrite:
    """One OCR slip undone over a whole line. ``function`` gives the rewritten text;
    ``origin`` (None where ``function`` keeps every character in place) gives, for each
    character of it, its index in the text as read. Functions are module-level so a
    registry pickles into a process pool."""

    name: str
    function: Callable[[str], str]
    origin: Callable[[str], list[int]] | None = None

    def spans_back(self, spans: Iterable[Span], text: str) -> list[Span]:
        """Spans found in ``self.function(text)`` as spans of ``text``."""
        if self.origin is None:
            return list(spans)
        origin = self.origin(text)
        return [span_back(span, origin) for span in spans]


#: The rewrites of the default registry, in the order their spans are merged.
OCR_REWRITES = (
    OcrRewrite("digits", digits_normalised),
    OcrRewrite("separators", separators_normalised),
    OcrRewrite("spacing", spacing_normalised),
    OcrRewrite("glyphs", glyphs_normalised),
    OcrRewrite("unglued", spaced_again, unglued_origin),
)
