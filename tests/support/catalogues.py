"""`chinese_catalogues(app)`: the shipped Simplified Chinese catalogues installed on a QApplication for a block,
removed again after it — what the suite's `chinese` fixture and the UI packages' wider-scoped fixtures use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def chinese_catalogues(app: Any) -> Iterator[None]:
    from ui.i18n import install_translators

    installed = install_translators(app)
    try:
        yield
    finally:
        for translator in installed:
            app.removeTranslator(translator)
