"""The CJK font embedded in every rendered document.

Qt's PDF writer builds the text layer from the font's reverse character map. With Noto CJK the extracted text
comes back with Kangxi radicals (⼈ for 人, ⺠ for 民) and loses digits inside Latin runs; AR PL UMing (a Song/Ming
face, proper for official documents) and WenQuanYi Micro Hei come back exact (DESIGN.md, "Documents"). So the
renderer registers AR PL UMing explicitly — first from `resources/fonts/` (where the installer bundles
`uming.ttc`, see docs/documents/README.md), then from the system path — and never lets Qt pick a Noto face.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

from app.resources import resource_dir

CANDIDATES: tuple[tuple[str, str], ...] = (
    ("uming.ttc", "AR PL UMing CN"),
    ("wqy-microhei.ttc", "WenQuanYi Micro Hei"),
)
SYSTEM_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/arphic"),
    Path("/usr/share/fonts/truetype/wqy"),
    Path("/usr/share/fonts/arphic"),
    Path("/usr/share/fonts/wqy-microhei"),
)


class FontMissing(RuntimeError):
    """No suitable CJK font: documents cannot be rendered with a correct text layer."""

    def __init__(self) -> None:
        super().__init__(
            "未找到文书字体（AR PL UMing 或文泉驿微米黑），无法生成文书 PDF。请重新安装本软件或安装 "
            "fonts-arphic-uming。"
        )


_lock = threading.Lock()
_family: str | None = None


def font_files() -> list[tuple[Path, str]]:
    """Existing candidate font files, bundled ones first."""
    found: list[tuple[Path, str]] = []
    for name, family in CANDIDATES:
        for directory in (resource_dir("fonts"), *SYSTEM_DIRS):
            path = directory / name
            if path.is_file():
                found.append((path, family))
                break
    return found


def document_family() -> str:
    """Register the document font once (thread-safe) and return its family name."""
    global _family
    with _lock:
        if _family is not None:
            return _family
        for path, family in font_files():
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                continue
            families = QFontDatabase.applicationFontFamilies(font_id)
            if family in families:
                _family = family
                return family
            if families:
                _family = families[0]
                return _family
        raise FontMissing()


def document_font(point_size: float = 12.0, *, bold: bool = False) -> QFont:
    font = QFont(document_family())
    font.setPointSizeF(point_size)
    font.setBold(bold)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)  # never substitute a Noto glyph
    return font
