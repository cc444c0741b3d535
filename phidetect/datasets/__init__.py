"""Data sets: the real DICOM files that ship in PyPI packages (and, later, generators
and loaders of labelled data)."""
