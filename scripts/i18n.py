#!/usr/bin/env python3
"""Update and compile the UI's Qt translation files.

Each sub-package of ui/ has its own catalogue, `resources/i18n/<package>_zh_CN.ts` (top-level ui/*.py files go to
`shell_zh_CN.ts`), so that areas developed in parallel never edit the same file. Source strings are English;
Simplified Chinese is shipped and is the default. Translators edit `resources/i18n/<package>_zh_CN.json`
(English source → Chinese); this script runs lupdate over the sources, fills the .ts from the JSON and
compiles the .qm that the app loads with QTranslator.

    python scripts/i18n.py            # lupdate every catalogue from the sources, then lrelease to .qm
    python scripts/i18n.py --check    # exit 1 if any source string lacks a finished zh_CN translation

Qt's own zh_CN catalogue (qtbase_zh_CN.qm, loaded first) lags its sources: a few dialog labels changed their
source text (QFileDialog's "&Look in:") and fall back to English. `qtgaps_zh_CN.json` ({context: {source:
translation}}) fills those; it compiles to `qtgaps_zh_CN.qm`, installed after qtbase so it takes precedence.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "ui"
I18N = ROOT / "resources" / "i18n"
LOCALE = "zh_CN"


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(f"pyside6-{name}")
    found = shutil.which(str(exe)) or shutil.which(f"pyside6-{name}")
    if not found:
        raise SystemExit(f"pyside6-{name} not found; run scripts/setup.sh")
    return found


def catalogues() -> dict[str, list[Path]]:
    """catalogue name → its Python source files."""
    out: dict[str, list[Path]] = {"shell": sorted(UI.glob("*.py"))}
    for pkg in sorted(p for p in UI.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        out[pkg.name] = sorted(pkg.rglob("*.py"))
    return out


def ts_path(name: str) -> Path:
    return I18N / f"{name}_{LOCALE}.ts"


def lupdate(sources: list[Path], ts: Path) -> None:
    ts.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([_tool("lupdate"), "-silent", "-no-obsolete", "-locations", "none",
                    *map(str, sources), "-ts", str(ts)], check=True)
    tree = ET.parse(ts)
    tree.getroot().set("language", LOCALE)
    tree.write(ts, encoding="utf-8", xml_declaration=True)


def fill(ts: Path, translations: dict[str, str]) -> None:
    """Write the JSON translations into the .ts (numerus messages get the one form Chinese needs)."""
    tree = ET.parse(ts)
    for msg in tree.getroot().iter("message"):
        source = msg.findtext("source") or ""
        tr = msg.find("translation")
        if tr is None:
            tr = ET.SubElement(msg, "translation")
        if source not in translations:
            continue
        text = translations[source]
        tr.attrib.pop("type", None)
        if msg.get("numerus") == "yes":
            for child in list(tr):
                tr.remove(child)
            tr.text = None
            ET.SubElement(tr, "numerusform").text = text
        else:
            tr.text = text
    tree.write(ts, encoding="utf-8", xml_declaration=True)


def load_json(name: str) -> dict[str, str]:
    path = ts_path(name).with_suffix(".json")
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def lrelease(ts: Path) -> None:
    subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


def missing_translations(ts: Path) -> list[str]:
    problems: list[str] = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        cname = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.get("type") in ("vanished", "obsolete"):
                continue
            text = "".join(tr.itertext()).strip() if tr is not None else ""
            if tr is None or tr.get("type") == "unfinished" or not text:
                problems.append(f"{ts.name}: [{cname}] {msg.findtext('source')!r}")
    return problems


QT_GAPS = "qtgaps"


def qt_gaps() -> Path:
    """Compile the hand-kept supplement to Qt's own catalogue (contexts of Qt's dialogs) into .ts and .qm."""
    data: dict[str, dict[str, str]] = json.loads(ts_path(QT_GAPS).with_suffix(".json").read_text("utf-8"))
    root = ET.Element("TS", version="2.1", language=LOCALE)
    for context, messages in data.items():
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = context
        for source, text in messages.items():
            msg = ET.SubElement(ctx, "message")
            ET.SubElement(msg, "source").text = source
            ET.SubElement(msg, "translation").text = text
    ts = ts_path(QT_GAPS)
    ET.ElementTree(root).write(ts, encoding="utf-8", xml_declaration=True)
    lrelease(ts)
    return ts


def check() -> list[str]:
    """Scan the sources into temp catalogues merged with the shipped translations; list what is untranslated."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, sources in catalogues().items():
            if not sources:
                continue
            shipped = ts_path(name)
            probe = Path(tmp) / shipped.name
            lupdate(sources, probe)
            fill(probe, load_json(name))
            problems += missing_translations(probe)
            if shipped.exists() and not shipped.with_suffix(".qm").exists():
                problems.append(f"{shipped.with_suffix('.qm').name} not compiled")
    if not ts_path(QT_GAPS).with_suffix(".qm").exists():
        problems.append(f"{QT_GAPS}_{LOCALE}.qm not compiled")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("names", nargs="*", help="catalogues to update (default: all)")
    args = ap.parse_args()
    if args.check:
        problems = check()
        for p in problems:
            print(p)
        return 1 if problems else 0
    for name, sources in catalogues().items():
        if (args.names and name not in args.names) or not sources:
            continue
        ts = ts_path(name)
        lupdate(sources, ts)
        fill(ts, load_json(name))
        lrelease(ts)
        left = missing_translations(ts)
        print(f"{ts.relative_to(ROOT)}: {len(left)} untranslated")
    if not args.names or QT_GAPS in args.names:
        print(f"{qt_gaps().relative_to(ROOT)}: Qt's own dialogs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
