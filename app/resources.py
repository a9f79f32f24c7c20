"""Locating bundled resources (icons, fonts, translations, templates) in a checkout and in a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir(*parts: str) -> Path:
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1]))
    return base.joinpath("resources", *parts)
