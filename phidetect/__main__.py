"""``python -m phidetect`` runs the command line."""

import sys

from phidetect.cli import main

sys.exit(main())
