"""Regenerates the application icon: `lianxuntong.svg` (a badge-shaped shield with "巡", the glyph stored as
outline paths so the SVG renders the same without any CJK font), PNG renditions and a Windows .ico.

    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/icons/build_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPainterPath
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SHIELD = "M128 14 C166 30 196 36 226 36 C226 128 214 196 128 242 C42 196 30 128 30 36 C60 36 90 30 128 14 Z"


def glyph_path(char: str, box: QRectF) -> str:
    family = next(
        (
            f
            for f in ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "AR PL UMing CN")
            if f in QFontDatabase.families()
        ),
        "",
    )
    font = QFont(family)
    font.setPixelSize(200)
    font.setBold(True)
    path = QPainterPath()
    path.addText(QPointF(0, 0), font, char)
    r = path.boundingRect()
    scale = min(box.width() / r.width(), box.height() / r.height())
    out: list[str] = []
    for i in range(path.elementCount()):
        e = path.elementAt(i)
        x = box.center().x() + (e.x - r.center().x()) * scale
        y = box.center().y() + (e.y - r.center().y()) * scale
        if e.type == QPainterPath.ElementType.MoveToElement:
            out.append(f"M{x:.1f} {y:.1f}")
        elif e.type == QPainterPath.ElementType.LineToElement:
            out.append(f"L{x:.1f} {y:.1f}")
        elif e.type == QPainterPath.ElementType.CurveToElement:
            out.append(f"C{x:.1f} {y:.1f}")
        else:  # CurveToDataElement: the remaining control points of a cubic
            out.append(f"{x:.1f} {y:.1f}")
    return " ".join(out)


def build_svg() -> str:
    glyph = glyph_path("巡", QRectF(74, 72, 108, 108))
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <defs>
    <linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2f7bc4"/><stop offset="1" stop-color="#1b4f86"/>
    </linearGradient>
  </defs>
  <path d="{SHIELD}" fill="url(#g)" stroke="#163f6b" stroke-width="6" stroke-linejoin="round"/>
  <path d="M128 34 C160 47 186 53 208 54 C207 130 196 184 128 222 C60 184 49 130 48 54 C70 53 96 47 128 34 Z"
        fill="none" stroke="#ffffff" stroke-opacity="0.35" stroke-width="4"/>
  <path d="{glyph}" fill="#ffffff" fill-rule="nonzero"/>
</svg>
"""


def render(svg: bytes, size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    painter = QPainter(img)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(QByteArray(svg)).render(painter, QRectF(0, 0, size, size))
    painter.end()
    return img


def main() -> int:
    _app = QGuiApplication(sys.argv)
    svg = build_svg()
    (HERE / "lianxuntong.svg").write_text(svg, encoding="utf-8")
    for size in SIZES:
        render(svg.encode(), size).save(str(HERE / f"lianxuntong-{size}.png"))
    try:
        from PIL import Image

        Image.open(HERE / "lianxuntong-256.png").save(
            HERE / "lianxuntong.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)]
        )
    except ImportError:
        pass
    print(f"wrote {HERE / 'lianxuntong.svg'} and {len(SIZES)} PNGs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
