"""Hand-checked truth tables for the real DICOM files phidetect's tests use (see README.md
here for how each was made); load them with ``phidetect.datasets.packaged_labels``."""
