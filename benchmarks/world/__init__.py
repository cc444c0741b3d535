"""A multinational header free-text test set for ``benchmarks/bench_world.py``.

People's names come from Faker's locales (and mimesis for Turkey when installed), never
from the lists phidetect's detection reads; national IDs are checked with python-stdnum,
phone numbers with phonenumbers; the medical look-alikes are this package's own lists.

Modules: ``lookalikes`` (vocabulary that is not PHI), ``people`` (regions and their names),
``identifiers`` (IDs, phones, dates, addresses), ``compose`` (text built piece by piece
with exact spans), ``templates`` (the clinical sentences), ``build`` (DICOM files and the
truth table) and ``score`` (the numbers the benchmark prints).
"""
