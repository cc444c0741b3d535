"""Recognizers over plain text: no DICOM inside, so header values and OCR lines share them."""
