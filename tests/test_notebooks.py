"""Every notebook runs top to bottom in a real Jupyter kernel (nbclient), from a fresh
working folder, with its default parameters: the packaged, offline data."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
#: Seconds one cell may take: OCR on two CPU cores is the slow part.
CELL_TIMEOUT = 900


def test_every_notebook_is_listed() -> None:
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean_with_a_parameter_cell(notebook: Path) -> None:
    book = nbformat.read(notebook, as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code, f"{notebook.name} has no code"
    assert "parameters" in code[0].metadata.get("tags", []), f"{notebook.name}: first code cell is not tagged parameters"
    for cell in code:
        assert not cell.get("outputs") and cell.get("execution_count") is None, \
            f"{notebook.name}: commit notebooks without outputs"


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(notebook: Path, tmp_path: Path, record_property) -> None:
    book = nbformat.read(notebook, as_version=4)
    client = NotebookClient(book, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    started = time.perf_counter()
    client.execute()  # raises CellExecutionError naming the cell that failed
    seconds = time.perf_counter() - started
    record_property("seconds", round(seconds, 1))
    print(f"{notebook.name}: {seconds:.1f} s")
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
