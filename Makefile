# Two entry points: `make demo` and `make test`. Both set up .venv on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: setup demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

# Scan real DICOMs with planted and real PHI (pseudo-PHI samples, deid-data), print the summary.
# phidetect exits 1 when it finds PHI, which is the expected outcome here.
demo: $(STAMP)
	@mkdir -p out
	@deid=$$($(BIN)/python -c "from phidetect.datasets.packaged import package_folder as f; print(f('deid_data'))"); \
	$(BIN)/phidetect scan tests/data/pseudo-phi-samples/*.dcm $$deid/ultrasounds/*.dcm $$deid/humans/*.dcm \
		$$deid/dicom-cookies/*.dcm --out out/demo-findings.csv --no-progress; status=$$?; [ $$status -le 1 ]
	@echo "findings written to out/demo-findings.csv (errors: out/demo-findings.errors.csv)"

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scan_tags.py

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
