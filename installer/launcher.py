"""Entry script of the frozen app: the same composition root as `python -m lianxuntong`."""

import multiprocessing
import sys

from lianxuntong.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
