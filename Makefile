# Two entry points: `make demo` and `make test`. Both set up .venv on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-all

.PHONY: setup system-packages demo test test-quick lint bench clean

# Debian's tesseract-ocr is the second OCR engine and chromium checks the HTML report in a real
# browser; installed when we may (root with apt-get).
system-packages:
	@if ! command -v tesseract >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				tesseract-ocr tesseract-ocr-eng chromium) >/dev/null \
			|| echo "warning: could not install tesseract-ocr/chromium; their tests will be skipped"; \
		else echo "note: tesseract-ocr or chromium missing (apt-get install tesseract-ocr chromium); their tests will be skipped"; fi; \
	fi

# easyocr brings torch: not pinned, pip takes the build this machine offers.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,ocr,synth,plots,notebooks]"
	touch $(STAMP)

setup: $(STAMP) system-packages

# Scan real DICOMs with planted and real PHI (pseudo-PHI samples, deid-data): headers and
# burned-in text (easyocr on the CPU), print the summary and write the HTML report.
# phidetect exits 1 when it finds PHI, which is the expected outcome here.
demo: $(STAMP) system-packages
	@mkdir -p out
	@deid=$$($(BIN)/python -c "from phidetect.datasets.packaged import package_folder as f; print(f('deid_data'))"); \
	$(BIN)/phidetect scan tests/data/pseudo-phi-samples/*.dcm $$deid/ultrasounds/*.dcm $$deid/humans/*.dcm \
		$$deid/dicom-cookies/*.dcm --ocr --out out/demo-findings.csv --no-progress; status=$$?; [ $$status -le 1 ]
	@$(BIN)/phidetect report out/demo-findings.csv --out out/demo-report.html --title "phidetect demo"
	@echo "findings: out/demo-findings.csv (errors: out/demo-findings.errors.csv); report: out/demo-report.html"

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) system-packages
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# Everything but OCR and slow tests, for a quick local loop.
test-quick: $(STAMP)
	$(BIN)/python -m pytest -q -m "not ocr and not slow"

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scan_tags.py

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
