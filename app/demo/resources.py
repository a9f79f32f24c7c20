"""Loads the curated demo-district JSON files in `resources/demo/` (townships, departments, units, grids,
catalogue, empowerments, name pools). Parsed once per process; callers must not mutate what they get."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

ENV_RESOURCES = "LXT_DEMO_RESOURCES"


def resource_dir() -> Path:
    """`resources/demo` beside the `app` package (or the directory named by LXT_DEMO_RESOURCES)."""
    override = os.environ.get(ENV_RESOURCES)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources" / "demo"


@cache
def load(name: str) -> Any:
    """The parsed content of `resources/demo/<name>.json`."""
    path = resource_dir() / f"{name}.json"
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def townships() -> list[dict[str, Any]]:
    return load("townships")


def departments() -> list[dict[str, Any]]:
    return load("departments")


def units() -> list[dict[str, Any]]:
    return load("units")


def grids() -> list[dict[str, Any]]:
    return load("grids")


def catalogue() -> dict[str, Any]:
    """{"versions": [...], "matters": [...]}; each version lists the matter codes it "added" and "changed"."""
    return load("catalogue")


def empowerments() -> list[dict[str, Any]]:
    return load("empowerments")


def names() -> dict[str, Any]:
    return load("names")
