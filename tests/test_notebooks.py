"""The notebooks' code runs: each code cell executed in order, in one namespace."""

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_code_runs(notebook: Path) -> None:
    cells = json.loads(notebook.read_text())["cells"]
    namespace: dict = {}
    code_cells = [c for c in cells if c["cell_type"] == "code"]
    assert code_cells, f"{notebook.name} has no code"
    for cell in code_cells:
        assert not cell.get("outputs"), f"{notebook.name}: commit notebooks without outputs"
        exec(compile("".join(cell["source"]), f"{notebook.name}", "exec"), namespace)
    assert len(namespace["result"]) > 0
