"""The import direction, with no exceptions: app → sync → ui → lianxuntong (each layer imports only those before
it). app/ imports neither Qt, nor sync/ui, nor any network client; sync/ never imports Qt or ui; ui/ never
touches SQLAlchemy (read models live in app/readmodels); only the composition root (lianxuntong/) sees all."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

QT = {"PySide6", "shiboken6"}
#: network clients and servers, by module (a dotted name forbids that module and everything under it)
NETWORK = {
    "requests", "urllib3", "httpx", "aiohttp", "websocket", "websockets", "socket", "ssl", "selectors",
    "asyncio", "http", "urllib.request", "urllib.error", "ftplib", "smtplib", "xmlrpc", "uvicorn", "fastapi",
    "starlette",
}
DATABASE = {"sqlalchemy", "alembic", "sqlite3"}
#: what each layer may not import (besides the layers above it)
FORBIDDEN: dict[str, set[str]] = {
    "app": QT | NETWORK | {"sync", "ui", "lianxuntong"},
    "sync": QT | {"ui", "lianxuntong"},
    "ui": DATABASE | {"lianxuntong"},
}


def _imports(tree: ast.AST) -> set[str]:
    """Every module a file imports, dotted in full, wherever the import statement is (lazy ones included)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative imports hide the layer they reach"
            if node.module:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _hits(module: str, forbidden: set[str]) -> bool:
    return any(module == f or module.startswith(f + ".") for f in forbidden)


def _offenders(package: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        if package == "sync" and "server" in path.relative_to(ROOT / package).parts:
            continue  # the reference platform is its own program (FastAPI, its own storage): checked below
        bad = sorted(m for m in _imports(ast.parse(path.read_text(encoding="utf-8"))) if _hits(m, FORBIDDEN[package]))
        if bad:
            out[str(path.relative_to(ROOT))] = bad
    return out


def test_the_forbidden_checks_see_lazy_and_dotted_imports() -> None:
    tree = ast.parse("def f():\n    import urllib.request\n    from sqlalchemy.orm import Session\n")
    names = _imports(tree)
    assert _hits("urllib.request", NETWORK) and not _hits("urllib.parse", NETWORK)
    assert any(_hits(m, DATABASE) for m in names) and any(_hits(m, NETWORK) for m in names)


def test_app_imports_no_qt_no_network_and_no_upper_layer() -> None:
    assert _offenders("app") == {}


def test_sync_imports_no_qt_and_no_ui() -> None:
    assert _offenders("sync") == {}


def test_ui_never_touches_sqlalchemy() -> None:
    assert _offenders("ui") == {}


def test_ui_never_runs_a_query_itself() -> None:
    """No `session.execute/scalars/scalar/query` in ui/: a view asks a read model or a service."""
    sql_calls = {"execute", "scalars", "scalar", "query"}
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in sql_calls:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_reference_platform_never_imports_the_client_or_qt() -> None:
    for path in sorted((ROOT / "sync" / "server").rglob("*.py")):
        bad = [m for m in _imports(ast.parse(path.read_text(encoding="utf-8")))
               if _hits(m, QT | {"ui", "lianxuntong", "app.store", "app.db"})]
        assert not bad, (path, bad)


def _modules(package: str) -> list[str]:
    modules = []
    for path in sorted((ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        if "migrations" in rel.parts or rel.name == "__main__":
            continue
        modules.append(".".join(rel.parts).removesuffix(".__init__"))
    return modules


def _loaded_after_importing(modules: list[str], watched: tuple[str, ...]) -> list[str]:
    """Import `modules` in a fresh interpreter; which of `watched` (and their submodules) got loaded."""
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n    importlib.import_module(m)\n"
        f"watched = {watched!r}\n"
        "print(sorted({m for m in sys.modules if any(m == w or m.startswith(w + '.') for w in watched)}))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stderr
    return list(ast.literal_eval(res.stdout.strip().splitlines()[-1]))


def test_importing_every_app_module_loads_no_qt_no_upper_layer_and_no_network_client() -> None:
    # urllib.request and http.client are not watched here: keyring's jaraco helpers load them; the static
    # check above keeps app's own code off them
    watched = ("PySide6", "shiboken6", "sync", "ui", "lianxuntong", "requests", "urllib3", "httpx")
    assert _loaded_after_importing(_modules("app"), watched) == []


def test_importing_every_sync_module_loads_no_qt_and_no_ui() -> None:
    assert _loaded_after_importing(_modules("sync"), ("PySide6", "shiboken6", "ui", "lianxuntong")) == []


def test_the_command_line_loads_neither_qt_nor_the_network_for_help() -> None:
    res = subprocess.run(
        [sys.executable, "-c", "import sys\nfrom lianxuntong.cli import build_parser\nbuild_parser()\n"
         "print(sorted(m for m in ('PySide6', 'requests', 'ui', 'sync') if m in sys.modules))"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"


def test_no_test_skips_itself_when_an_import_fails() -> None:
    """Every dependency is installed by the setup script: a test that skips when an import fails would turn a
    missing dependency or a renamed module into a quiet skip. An import that fails must fail the run."""
    skipping = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "tests").rglob("*.py"))
                if path != Path(__file__) and "importorskip" in path.read_text(encoding="utf-8")]
    assert not skipping, skipping
