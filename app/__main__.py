"""`python -m app`: the composition root (see app.cli)."""

import sys

from app.cli import main

sys.exit(main())
