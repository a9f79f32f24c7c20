"""The law is one authority: no module but the jurisdiction authority reads the catalogue's empowerment rows or
editions, or calls the pure rule's deciding functions, to decide an enforcing body."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AUTHORITY = "app/law/jurisdiction.py"
#: who may name the rows: the authority, the models and registry that define them, migrations, demo seeding,
#: and the platform (sync/server publishes editions; it never decides a body for a document)
ALLOWED = (
    AUTHORITY,
    "app/rules/enforcing_body.py",
    "app/models/",
    "app/entities.py",
    "app/db/migrations/",
    "app/demo/",
    "app/documents/samples.py",
    "sync/server/",
)
ROWS = re.compile(r"\b(MatterEmpowerment|CatalogueVersion|matter_empowerments|catalogue_versions)\b")
DECIDING = {"Catalogue", "CatalogueRow", "resolve", "enforcing_body", "township_body", "department_body"}


def _sources() -> list[tuple[str, str]]:
    out = []
    for top in ("app", "ui", "sync"):
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            out.append((rel, path.read_text(encoding="utf-8")))
    return out


def test_only_the_authority_reads_empowerment_rows_and_editions() -> None:
    offenders = [
        f"{rel}: {sorted(set(ROWS.findall(text)))}"
        for rel, text in _sources()
        if not rel.startswith(ALLOWED) and ROWS.search(text)
    ]
    assert offenders == [], "decide the body through app.law.jurisdiction, not from the rows: " + "; ".join(offenders)


def test_only_the_authority_calls_the_pure_rule_to_decide() -> None:
    offenders = []
    for rel, text in _sources():
        if rel in (AUTHORITY, "app/rules/enforcing_body.py"):
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module == "app.rules.enforcing_body":
                bad = sorted({a.name for a in node.names} & DECIDING)
                if bad:
                    offenders.append(f"{rel}: {bad}")
            elif isinstance(node, ast.Attribute) and node.attr == "from_empowerments":
                offenders.append(f"{rel}: from_empowerments")
    assert offenders == [], "; ".join(offenders)


def test_the_scan_sees_what_it_forbids(tmp_path: Path) -> None:
    """The patterns match the ways the old copies read the rows (so the scan is not vacuous)."""
    samples = [
        "select(m.MatterEmpowerment.empowered)",
        "from app.models import CatalogueVersion",
        "SELECT * FROM matter_empowerments",
    ]
    assert all(ROWS.search(s) for s in samples)
    tree = ast.parse("from app.rules.enforcing_body import Catalogue, resolve\nCatalogue.from_empowerments({}, [])")
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert names & DECIDING == {"Catalogue", "resolve"}
