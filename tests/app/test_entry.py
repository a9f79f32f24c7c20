"""The command line lives in the composition root: `python -m lianxuntong` answers, `python -m app` points there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app import __version__

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_composition_root_answers() -> None:
    res = _run("-m", "lianxuntong", "--version")
    assert res.returncode == 0 and res.stdout.strip().endswith(__version__)


def test_the_old_entry_says_where_the_command_line_went() -> None:
    res = _run("-m", "app", "--demo")
    assert res.returncode == 2 and "python -m lianxuntong" in res.stderr
