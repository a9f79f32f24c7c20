"""Every user-visible source string of ui/ has a finished Simplified Chinese translation, and every catalogue
is compiled: `scripts/i18n.py --check` reports nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_ui_string_is_translated_to_chinese() -> None:
    res = subprocess.run([sys.executable, "scripts/i18n.py", "--check"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr


def test_chinese_is_what_the_app_shows(qapp) -> None:
    from PySide6.QtCore import QCoreApplication

    from ui.i18n import install_translators

    translators = install_translators(qapp)
    try:
        assert QCoreApplication.translate("Areas", "Tasks") == "任务"
    finally:
        for tr in translators:
            qapp.removeTranslator(tr)


def _tr_calls() -> list[tuple[str, str, str]]:
    """(file:line, context, source) of every `self.tr("…")` (context: the enclosing class, as lupdate and Qt
    use it) and `QCoreApplication.translate("ctx", "…")` with literal arguments in ui/."""
    import ast

    found: list[tuple[str, str, str]] = []

    def visit(node: ast.AST, cls: str | None, where: Path) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name, where)
                continue
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
                args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                        for a in child.args]
                place = f"{where.relative_to(ROOT)}:{child.lineno}"
                if child.func.attr == "tr" and cls and args and args[0] is not None:
                    found.append((place, cls, args[0]))
                elif child.func.attr == "translate" and len(args) >= 2 and None not in args[:2]:
                    found.append((place, str(args[0]), str(args[1])))
            visit(child, cls, where)

    for path in sorted((ROOT / "ui").rglob("*.py")):
        visit(ast.parse(path.read_text(encoding="utf-8")), None, path)
    return found


def test_every_string_the_code_translates_is_in_a_catalogue() -> None:
    """lupdate silently skips some spellings (a single-quoted `tr('…')` inside an f-string): such a string is in
    no catalogue, so `--check` cannot see it, and the person reads English. Read the calls from the code."""
    import xml.etree.ElementTree as ET

    have: set[tuple[str, str]] = set()
    for ts in (ROOT / "resources" / "i18n").glob("*_zh_CN.ts"):
        for context in ET.parse(ts).getroot().iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                translation = message.find("translation")
                if translation is None or translation.get("type") is not None:
                    continue  # unfinished or obsolete
                texts = [translation.text, *(form.text for form in translation.iter("numerusform"))]
                if any(t and t.strip() for t in texts):
                    have.add((name, message.findtext("source") or ""))
    calls = _tr_calls()
    assert len(calls) > 500  # the walk finds the code's calls at all
    missing = [f"{place} {ctx}: {src!r}" for place, ctx, src in calls if (ctx, src) not in have]
    assert not missing, "not in any catalogue:\n" + "\n".join(missing)
