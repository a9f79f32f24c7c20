"""`EvidenceModel`: the evidence of one inspection as a list model for the gallery (icon mode).

Rows are `EvidenceInfo` snapshots; items deleted before finalisation are left out, voided ones are shown
greyed with 已作废. Decoration is the cached thumbnail (photos, signatures) or an icon for the kind; a photo whose
EXIF time is far from the inspection time carries a warning (text, tooltip and `WarningRole`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from app import timefmt
from app.inspections.evidence import DEFAULT_EXIF_TOLERANCE, exif_time_warning, is_deleted
from app.inspections.view import EvidenceInfo
from ui.evidence.thumbnails import ThumbnailCache

EvidenceRole = Qt.ItemDataRole.UserRole + 1
WarningRole = Qt.ItemDataRole.UserRole + 2
KIND_LABELS = {"photo": "照片", "video": "视频", "audio": "录音", "document": "文档", "signature": "签名"}
KIND_ICONS = {
    "video": QStyle.StandardPixmap.SP_MediaPlay, "audio": QStyle.StandardPixmap.SP_MediaVolume,
    "document": QStyle.StandardPixmap.SP_FileIcon, "photo": QStyle.StandardPixmap.SP_FileDialogContentsView,
    "signature": QStyle.StandardPixmap.SP_DialogApplyButton,
}
Index = QModelIndex | QPersistentModelIndex


def local_text(moment: datetime | None) -> str:
    return timefmt.fmt(moment, "seconds", empty="—")


def gps_text(lat: float | None, lon: float | None) -> str:
    if lat is None or lon is None:
        return "—"
    return f"{'北纬' if lat >= 0 else '南纬'} {abs(lat):.5f}°，{'东经' if lon >= 0 else '西经'} {abs(lon):.5f}°"


def size_text(size: int) -> str:
    return f"{size / 1024**2:.1f} MB" if size >= 1024**2 else f"{max(1, size // 1024)} KB"


class EvidenceModel(QAbstractListModel):
    def __init__(self, thumbs: ThumbnailCache, parent: Any = None) -> None:
        super().__init__(parent)
        self.thumbs = thumbs
        self.rows: list[EvidenceInfo] = []
        self.inspection_time: datetime | None = None
        self.tolerance: timedelta = DEFAULT_EXIF_TOLERANCE
        self.item_names: dict[str, str] = {}  # finding id → check point, for tooltips
        self._ready: set[str] = set()
        self._ready_timer = QTimer(self)
        self._ready_timer.setSingleShot(True)
        self._ready_timer.setInterval(60)
        self._ready_timer.timeout.connect(self._flush_ready)
        thumbs.ready.connect(self._thumb_ready)

    def set_rows(self, rows: list[EvidenceInfo], inspection_time: datetime | None,
                 item_names: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self.rows = [r for r in rows if not _hidden(r)]
        self.inspection_time = inspection_time
        self.item_names = item_names or {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def evidence(self, row: int) -> EvidenceInfo:
        return self.rows[row]

    def warning(self, ev: EvidenceInfo) -> str | None:
        if ev.kind != "photo":
            return None
        return exif_time_warning(ev.exif_time, self.inspection_time, self.tolerance)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        ev = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            name = ev.original_name if len(ev.original_name) <= 18 else ev.original_name[:8] + "…" + ev.original_name[-8:]
            return f"{name}\n{self.caption(ev)}"
        if role == Qt.ItemDataRole.DecorationRole:
            pm = self.thumbs.pixmap(ev.sha256, ev.kind)
            return pm if pm is not None else kind_pixmap(ev.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(ev)
        if role == Qt.ItemDataRole.ForegroundRole:
            if ev.voided:
                return QColor("#9aa4b1")
            if self.warning(ev):
                return QColor("#a86400")
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{KIND_LABELS.get(ev.kind, ev.kind)} {ev.original_name}"
        if role == EvidenceRole:
            return ev
        if role == WarningRole:
            return self.warning(ev)
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(150, 150)
        return None

    def caption(self, ev: EvidenceInfo) -> str:
        """The second line under a thumbnail: void, time warning, when the photo was taken, or the kind."""
        if ev.voided:
            return "已作废"
        if self.warning(ev):
            return "拍摄时间偏差，请核实"
        if ev.kind == "photo" and ev.exif_time is not None:
            return "拍摄 " + timefmt.fmt(ev.exif_time, "short")
        return KIND_LABELS.get(ev.kind, ev.kind)

    def tooltip(self, ev: EvidenceInfo) -> str:
        lines = [f"{KIND_LABELS.get(ev.kind, ev.kind)}：{ev.original_name}（{size_text(ev.size)}）",
                 f"导入时间：{local_text(ev.imported_at)}"]
        if ev.kind == "photo":
            lines.append(f"拍摄时间（EXIF）：{local_text(ev.exif_time)}")
            lines.append(f"拍摄位置：{gps_text(ev.gps_lat, ev.gps_lon)}")
        if ev.finding_id and ev.finding_id in self.item_names:
            lines.append(f"检查项：{self.item_names[ev.finding_id]}")
        warning = self.warning(ev)
        if warning:
            lines.append(f"注意：{warning}")
        if ev.voided:
            lines.append(f"已作废：{ev.void_reason or ''}")
        lines.append("已上传平台并校验" if ev.uploaded else "待上传平台")
        return "\n".join(lines)

    def _thumb_ready(self, sha256: str) -> None:
        """Thumbnails arrive one by one from the io pool; repaint them in batches."""
        self._ready.add(sha256)
        if not self._ready_timer.isActive():
            self._ready_timer.start()

    def _flush_ready(self) -> None:
        rows = [r for r, ev in enumerate(self.rows) if ev.sha256 in self._ready]
        self._ready.clear()
        if rows:
            self.dataChanged.emit(self.index(min(rows)), self.index(max(rows)), [Qt.ItemDataRole.DecorationRole])

    def row_of(self, evidence_id: str) -> int:
        return next((i for i, ev in enumerate(self.rows) if ev.id == evidence_id), -1)


def _hidden(ev: EvidenceInfo) -> bool:
    return is_deleted(ev)


_KIND_PIXMAPS: dict[str, QPixmap] = {}


def kind_pixmap(kind: str) -> QPixmap:
    """The placeholder for a kind without a thumbnail, rendered once at thumbnail size (a QIcon made per call
    would be rescaled on every paint)."""
    pm = _KIND_PIXMAPS.get(kind)
    if pm is None:
        icon = QApplication.style().standardIcon(KIND_ICONS.get(kind, QStyle.StandardPixmap.SP_FileIcon))
        pm = _KIND_PIXMAPS[kind] = icon.pixmap(QSize(64, 64))
    return pm


def warning_icon() -> QIcon:
    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
