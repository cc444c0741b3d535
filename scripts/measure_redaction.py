"""Moved into the package: ``phidetect measure-redaction`` (phidetect.measure). This file only
re-exports it for tests/test_redact_synthetic.py, which loads it by path; delete it once that
test imports phidetect.measure."""
import sys

from phidetect.cli import main
from phidetect.measure import SECRET, measure_run  # noqa: F401  (what tests/test_redact_synthetic.py uses)

if __name__ == "__main__":
    sys.exit(main(["measure-redaction", *sys.argv[1:]]))
