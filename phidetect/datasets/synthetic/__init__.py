"""Synthetic labelled DICOM files: realistic headers and pixels with planted PHI, and a
truth table (docs/truth-schema.md) that says exactly where every piece went.

``generate(outdir, n, seed)`` writes the files and ``outdir/truth.csv``. See
docs/synthetic-data.md. Nothing here imports phidetect's detection code or its word
lists, so scores measured on this data are not circular.
"""

from phidetect.datasets.synthetic.generate import BuiltFile, build_file, generate
from phidetect.datasets.synthetic.kinds import KINDS, Kind

__all__ = ["KINDS", "BuiltFile", "Kind", "build_file", "generate"]
