"""The import direction: app/ and sync/ never import Qt; app/ never imports requests."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_app_and_sync_source_never_import_qt() -> None:
    for package in ("app", "sync"):
        offenders = {
            f for f, mods in _imported_modules(package).items() if mods & {"PySide6", "shiboken6", "ui"}
            and f != "app/cli.py"  # the composition root reaches ui lazily, by design
        }
        assert not offenders, offenders


def test_app_source_never_imports_requests_or_sync() -> None:
    offenders = {
        f for f, mods in _imported_modules("app").items() if mods & {"requests", "urllib3"}
        or ("sync" in mods and f != "app/cli.py")
    }
    assert not offenders, offenders


def test_importing_every_app_and_sync_module_loads_no_qt() -> None:
    """Import every module of app/ and sync/ in a fresh interpreter; PySide6 must stay unloaded."""
    modules = []
    for package in ("app", "sync"):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            if "migrations" in rel.parts or rel.name == "__main__":
                continue
            modules.append(".".join(rel.parts).removesuffix(".__init__"))
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n    importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "app_req = 'requests' in sys.modules\n"
        "print(bad)\nsys.exit(1 if bad else 0)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr


def test_importing_app_loads_no_requests() -> None:
    modules = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        if "migrations" in rel.parts or rel.name in ("__main__", "cli"):
            continue
        modules.append(".".join(rel.parts).removesuffix(".__init__"))
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n    importlib.import_module(m)\n"
        "sys.exit(1 if 'requests' in sys.modules or 'sync' in sys.modules else 0)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
