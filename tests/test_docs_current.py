"""Generated docs stay true to the code: the profile CSV is what profile_table() says."""

from pathlib import Path

import pandas as pd

from phidetect.dicom.profile import profile_table

DOCS = Path(__file__).parent.parent / "docs"


def test_profile_attributes_csv_matches_the_code() -> None:
    written = pd.read_csv(DOCS / "profile-attributes.csv", keep_default_na=False, dtype=str)
    current = profile_table()
    assert len(written) == len(current) > 600
    by_tag = dict(zip(written["tag"], zip(written["category"], written["phi_type"], strict=True), strict=True))
    for row in current.itertuples():
        assert by_tag[row.tag] == (row.category, row.phi_type), f"{row.tag}: run scripts/make_profile_docs.py"


def test_schema_doc_lists_every_column() -> None:
    from phidetect import COLUMNS

    text = (DOCS / "findings-schema.md").read_text()
    for column in COLUMNS:
        assert f"`{column}`" in text, column
