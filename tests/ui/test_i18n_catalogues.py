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
