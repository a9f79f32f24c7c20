"""`EvidenceGallery`: the evidence of an inspection as thumbnails, with import (file dialog, drag and drop, a
whole folder), preview and — before finalisation — delete, after it only 作废 with a reason.

A photo taken far from the inspection time shows a warning icon on its thumbnail and the reason in its tooltip
and preview. Import results (imported, 该文件已导入, too large …) are shown in a line under the gallery, never in
a blocking box.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.evidence_store import DEFAULT_MAX_BYTES
from app.inspections import InspectionService
from app.inspections.evidence import DEFAULT_EXIF_TOLERANCE
from app.inspections.view import EvidenceInfo, InspectionSnapshot
from ui.context import AppContext
from ui.evidence.importer import EvidenceImporter, ImportSummary, progress_dialog
from ui.evidence.model import EvidenceModel, EvidenceRole, WarningRole, warning_icon
from ui.evidence.preview import EvidencePreviewDialog
from ui.evidence.thumbnails import ThumbnailCache
from ui.widgets import file_dialogs
from ui.widgets.common import EmptyHint

FILE_FILTER = "证据文件 (*.jpg *.jpeg *.png *.heic *.webp *.mp4 *.mov *.avi *.3gp *.mp3 *.m4a *.wav *.amr *.pdf *.doc *.docx);;所有文件 (*)"


TOLERANCE_KEY = "evidence/exif_tolerance_hours"  # UI setting: how far EXIF time may be from the inspection


def exif_tolerance(ctx: AppContext) -> timedelta:
    """The configured tolerance (hours, default 2) between a photo's EXIF time and the inspection time."""
    raw = ctx.settings.value(TOLERANCE_KEY, None) if ctx.settings is not None else None
    try:
        hours = float(raw) if raw not in (None, "") else DEFAULT_EXIF_TOLERANCE.total_seconds() / 3600
    except (TypeError, ValueError):
        hours = DEFAULT_EXIF_TOLERANCE.total_seconds() / 3600
    return timedelta(hours=max(0.1, hours))


class _WarningDelegate(QStyledItemDelegate):
    """Draws the warning icon over the thumbnail of a photo taken far from the inspection time."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
              ) -> None:
        super().paint(painter, option, index)
        if index.data(WarningRole):
            r: QRect = option.rect
            warning_icon().paint(painter, QRect(r.right() - 26, r.top() + 4, 22, 22))


class EvidenceGallery(QWidget):
    """Signals: `changed()` after evidence was imported, deleted or voided; `message(str)`."""

    changed = Signal()
    message = Signal(str)

    def __init__(self, ctx: AppContext, service: InspectionService, parent: QWidget | None = None,
                 *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        super().__init__(parent)
        self.ctx, self.service, self.max_bytes = ctx, service, max_bytes
        self.snapshot: InspectionSnapshot | None = None
        self.importer: EvidenceImporter | None = None
        self.last_summary: ImportSummary | None = None
        self.thumbs = ThumbnailCache(ctx, self)
        self.model = EvidenceModel(self.thumbs, self)
        self.model.tolerance = exif_tolerance(ctx)
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.import_button = QPushButton(self.tr("&Import files…"), self)
        self.import_button.setToolTip("Ctrl+I")
        self.folder_button = QPushButton(self.tr("Import a &folder…"), self)
        self.folder_button.setToolTip(self.tr("A whole camera card: photos, videos, recordings and documents"))
        self.preview_button = QPushButton(self.tr("&Preview"), self)
        self.remove_button = QPushButton(self.tr("&Delete"), self)
        self.count = QLabel(self)
        self.count.setObjectName("muted")
        for w in (self.import_button, self.folder_button, self.preview_button, self.remove_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.count)
        layout.addLayout(bar)
        self.view = QListView(self)
        self.view.setObjectName("evidenceGallery")
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setIconSize(QSize(120, 120))
        self.view.setGridSize(QSize(150, 156))
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setModel(self.model)
        self.view.setItemDelegate(_WarningDelegate(self.view))
        self.view.setAcceptDrops(False)  # drops go up to the gallery, which imports them
        layout.addWidget(self.view, 1)
        self.empty_hint = EmptyHint(
            self.view,
            self.tr("No evidence yet"),
            self.tr("Drag photos, videos or recordings here, or click Import files… (Ctrl+I); a camera card: "
                    "Import a folder…"),
        )
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setObjectName("muted")
        layout.addWidget(self.note)
        self.import_button.clicked.connect(self.choose_files)
        self.folder_button.clicked.connect(self.choose_folder)
        self.preview_button.clicked.connect(self.preview_current)
        self.remove_button.clicked.connect(self.remove_current)
        self.view.activated.connect(lambda _i: self.preview_current())
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        QShortcut(QKeySequence("Ctrl+I"), self, activated=self.choose_files,  # type: ignore[call-overload]  # stubs lack activated=; a positional slot drops context
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self.view, activated=self.preview_current,  # type: ignore[call-overload]  # stubs lack activated=; a positional slot drops context
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view, activated=self.remove_current,  # type: ignore[call-overload]  # stubs lack activated=; a positional slot drops context
                  context=Qt.ShortcutContext.WidgetShortcut)
        self._update_buttons()

    # ---- state -------------------------------------------------------------------------------------------

    def set_snapshot(self, snap: InspectionSnapshot) -> None:
        current = self.current()
        self.snapshot = snap
        names = {a.finding_id: a.check_point for a in [*snap.answers.values(), *snap.extra_findings]}
        self.model.set_rows(snap.evidence, snap.started_at, names)
        if current is not None and (row := self.model.row_of(current.id)) >= 0:
            self.view.setCurrentIndex(self.model.index(row))
        live = [e for e in self.model.rows if not e.voided]
        self.count.setText(self.tr("%1 items").replace("%1", str(len(live))))
        self._update_buttons()

    def current(self) -> EvidenceInfo | None:
        idx = self.view.currentIndex()
        return idx.data(EvidenceRole) if idx.isValid() else None

    def _update_buttons(self) -> None:
        final = self.snapshot is not None and self.snapshot.finalised
        has = self.current() is not None
        self.import_button.setEnabled(self.snapshot is not None and not final)
        self.folder_button.setEnabled(self.snapshot is not None and not final)
        self.preview_button.setEnabled(has)
        self.remove_button.setText(self.tr("&Void…") if final else self.tr("&Delete"))
        cur = self.current()
        self.remove_button.setEnabled(has and cur is not None and not cur.voided)

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.message.emit(text)

    # ---- import ------------------------------------------------------------------------------------------

    def choose_files(self) -> None:
        if not self.import_button.isEnabled():
            return
        files = file_dialogs.open_files(self, self.tr("Import evidence"), FILE_FILTER)
        if files:
            self.import_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        if not self.folder_button.isEnabled():
            return
        folder = file_dialogs.open_folder(self, self.tr("Import a folder (camera card)"))
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path], *, item_key: str | None = None) -> EvidenceImporter | None:
        """Start importing `paths` (files and folders) into the record; returns the importer."""
        if self.snapshot is None or self.snapshot.finalised:
            self._say(self.tr("The record is finalised: no more evidence can be added."))
            return None
        if self.importer is not None and self.importer.running:
            self._say(self.tr("An import is still running."))
            return None
        self.importer = EvidenceImporter(self.ctx, self.service, self.snapshot.id, item_key=item_key,
                                         max_bytes=self.max_bytes, parent=self)
        self.importer.finished.connect(self._import_finished)
        self.importer.imported.connect(lambda _id: self.changed.emit())
        progress_dialog(self.importer, self.window())
        self.importer.start(paths)
        return self.importer

    def _import_finished(self, summary: ImportSummary) -> None:
        self.last_summary = summary
        self._say(summary.message())
        self.changed.emit()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.import_button.isEnabled():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # ---- preview, delete, void ---------------------------------------------------------------------------

    def preview_current(self) -> EvidencePreviewDialog | None:
        ev = self.current()
        if ev is None:
            return None
        item = self.model.item_names.get(ev.finding_id or "", "")
        dlg = EvidencePreviewDialog(self.ctx, ev, self.model.warning(ev), self, item_name=item)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def remove_current(self) -> None:
        ev = self.current()
        if ev is None or ev.voided or self.snapshot is None:
            return
        if self.snapshot.finalised:
            reason, ok = QInputDialog.getText(self, self.tr("Void evidence"),
                                              self.tr("The record is finalised: the evidence is kept and marked "
                                                      "void. Reason:"))
            if ok and reason.strip():
                self._run(lambda: self.service.void_evidence(ev.id, reason.strip()), self.tr("Evidence voided."))
            elif ok:
                self._say(self.tr("A reason is required to void evidence."))
            return
        answer = QMessageBox.question(self, self.tr("Delete evidence"),
                                      self.tr("Remove “%1” from this record?").replace("%1", ev.original_name))
        if answer == QMessageBox.StandardButton.Yes:
            self._run(lambda: self.service.delete_evidence(ev.id), self.tr("Evidence removed."))

    def _run(self, fn: Callable[[], object], done_text: str) -> None:
        def ok(_r: object) -> None:
            self._say(done_text)
            self.changed.emit()

        self.ctx.runner.run_store("evidence change", lambda _j: fn(), on_done=ok,
                                  on_error=lambda exc: self._say(str(exc)))
