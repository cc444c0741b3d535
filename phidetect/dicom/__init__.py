"""DICOM-specific parts: reading files, walking elements, the PS3.15 profile, identity values."""
