"""Burned-in text reading: OCR engines behind one small interface, plus classical text
detection that decides which frames and regions are worth an OCR call."""
