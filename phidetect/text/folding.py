"""Accent folding that keeps every character's position.

Names and places lose their accents on the way to the pixels and into other systems:
the header says DÖRSCHNER^ILIAS, the burned-in banner says "Ilias Dorschner"; the header
says "Szpital Miejski Żagań", OCR reads "Zagan". Matching on folded text finds them, and
because each character folds to exactly one character, a span found in the folded text
is the same span in the original.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Letters that Unicode does not decompose into a base letter and a mark.
_EXTRA = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ı": "i"}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char
    if char in _EXTRA:
        return _EXTRA[char]
    base = unicodedata.normalize("NFKD", char)[:1]
    return base if base.isascii() and base.isalpha() else char


def fold(text: str) -> str:
    """``text`` with accented Latin letters replaced by their base letter, same length."""
    return text if text.isascii() else "".join(_fold_char(c) for c in text)
