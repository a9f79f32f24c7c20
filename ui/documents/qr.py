"""QR codes drawn as vector squares (crisp at any print resolution, byte-identical on every render)."""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath


def qr_matrix(text: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(text.encode("utf-8"))
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(painter: QPainter, rect: QRectF, text: str) -> None:
    """Draw the QR code for `text` filling the square `rect` (dark modules as one path)."""
    matrix = qr_matrix(text)
    n = len(matrix)
    cell = min(rect.width(), rect.height()) / n
    path = QPainterPath()
    for y, row in enumerate(matrix):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                path.addRect(QRectF(rect.x() + start * cell, rect.y() + y * cell, (x - start) * cell, cell))
            else:
                x += 1
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    painter.drawPath(path)
    painter.restore()


