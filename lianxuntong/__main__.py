"""`python -m lianxuntong`: the composition root (see lianxuntong.cli)."""

import sys

from lianxuntong.cli import main

sys.exit(main())
