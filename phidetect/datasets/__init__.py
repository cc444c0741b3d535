"""Data sets with known PHI: the real DICOM files that ship in PyPI packages (``packaged``),
labels made for them (``packaged_labels``), loaders of public answer keys (``presidio``,
``pseudo_phi``, ``midib``) and the synthetic generator (``synthetic``). Nothing here downloads."""
