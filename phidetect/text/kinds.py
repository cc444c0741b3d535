"""The sets of text kinds (see recognizer.TEXT_KINDS) that pattern rules read, shared by the
modules that hold them."""

from __future__ import annotations

from phidetect.text.recognizer import OCR

#: Free text, OCR lines and short values: what e-mail, phone and ID shapes can stand in.
FREE_AND_CODED = frozenset({"free", "coded", "name", OCR})
#: Where an address or a postcode can stand: free text, short codes and OCR lines (not PN).
ADDRESS_KINDS = frozenset({"free", "coded", OCR})
