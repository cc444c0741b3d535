"""Words of free text as name rules see them: where each starts and ends, its lower-case
form without a possessive, whether it is an initial or capitalised."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

#: A word: letters of any script (Ł, Ż, Ő), inner apostrophes and hyphens, a full stop after.
TOKEN = re.compile(r"(?<![\w])[^\W\d_](?:[^\W\d_]|['’-])*(?![\d_])\.?")


@dataclass(frozen=True)
class NameToken:
    start: int
    end: int
    text: str

    @cached_property
    def word(self) -> str:
        """Lowercase, without a full stop or a possessive ("Smith's" -> "smith")."""
        # Turkish "İ" lowers to "i" and a combining dot: "İsmail" is "ismail"
        word = self.text.rstrip(".").lower().replace("i\u0307", "i").replace("’", "'")
        return word[:-2] if word.endswith("'s") else word.rstrip("'")

    @property
    def name_end(self) -> int:
        """Where the name itself ends: before a possessive or a sentence's full stop."""
        text = self.text.replace("’", "'")
        if text.endswith("'s"):
            return self.end - 2
        if text.endswith(".") and not self.is_initial:
            return self.end - 1
        return self.end

    @property
    def is_initial(self) -> bool:
        return len(self.text.rstrip(".")) == 1 and self.text[0].isupper()

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()


@lru_cache(maxsize=256)
def tokenize(text: str) -> tuple[NameToken, ...]:
    """Every word of ``text`` in order. Kept for the last few values: the name rules read
    each value one after another, and share its tokens (and their lower-case words)."""
    return tuple(NameToken(m.start(), m.end(), m.group(0)) for m in TOKEN.finditer(text))
