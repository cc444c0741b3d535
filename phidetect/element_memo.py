"""Merged spans of one element value, remembered across the files of a sweep.

A release is mostly series: the 300 slices of a CT share their patient, their study and
nearly every text value, so the second slice's header asks the rules the same questions
as the first. The answer for an element depends only on the element (where it stands,
its VR, its text), the file's identity values (cross-reference) and the registry, so it
is kept under those, for as long as the registry is unchanged. The memo is bounded: when
it is full it starts again, which costs one miss per value and never holds more than
``MEMO_ENTRIES`` answers or answers for more than ``MEMO_TOTAL_CHARS`` characters of values.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable

from phidetect.dicom.elements import ElementText
from phidetect.text.recognizer import Registry

#: Answers kept per registry (each a few short tuples).
MEMO_ENTRIES = 200_000
#: Characters of the values the kept answers stand for (the memo keeps those strings
#: alive): with the entries, what bounds the memo to tens of MB per process.
MEMO_TOTAL_CHARS = 8_000_000
#: Longer values are not kept: they rarely repeat and would make the memo large.
MEMO_MAX_CHARS = 4096

#: What is remembered for one element: its merged spans, or rows made from them.
Answer = tuple


class ElementMemo:
    """Answers per (identity, element) for one registry version."""

    def __init__(self, version: int) -> None:
        self.version = version
        self._identities: dict[Hashable, int] = {}
        self._answers: dict[tuple[int, ElementText], Answer] = {}
        self._chars = 0

    def token(self, identity_key: Hashable) -> int:
        """A small number standing for one file's identity values (cheap to hash)."""
        token = self._identities.get(identity_key)
        if token is None:
            if len(self._identities) >= MEMO_ENTRIES:
                self._identities.clear()
                self._forget_answers()
            token = self._identities[identity_key] = len(self._identities)
        return token

    def lookup(self, token: int, element: ElementText) -> Answer | None:
        """The kept answer, or None: a hit costs one dictionary lookup, no callable built."""
        return self._answers.get((token, element))

    def answer(self, token: int, element: ElementText, compute: Callable[[ElementText], Answer]) -> Answer:
        """``compute(element)``, worked out once per identity token and element."""
        if len(element.text) > MEMO_MAX_CHARS:
            return compute(element)
        key = (token, element)
        found = self._answers.get(key)
        if found is None:
            if len(self._answers) >= MEMO_ENTRIES or self._chars >= MEMO_TOTAL_CHARS:
                self._forget_answers()
            found = self._answers[key] = compute(element)
            self._chars += len(element.text)
        return found

    def _forget_answers(self) -> None:
        self._answers.clear()
        self._chars = 0


_MEMOS: weakref.WeakKeyDictionary[Registry, ElementMemo] = weakref.WeakKeyDictionary()


def memo_for(registry: Registry) -> ElementMemo:
    """The memo of ``registry`` as it is now (a changed registry starts a new one)."""
    memo = _MEMOS.get(registry)
    if memo is None or memo.version != registry.version:
        memo = _MEMOS[registry] = ElementMemo(registry.version)
    return memo
