"""The main window: left navigation over the areas of `ui.areas` (Ctrl+1…7), a stack of lazily created areas
(an area whose construction fails shows an error state and logs why), the permanent sync status, and the menus
文件 (导出诊断信息…, 退出) · 账户 (立即同步, 退出登录) · 帮助 (关于). Geometry and layouts are remembered."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app import APP_NAME, __version__
from app.rules.task_states import Role
from ui import theme
from ui.areas import AREAS, AreaSpec, area_title, load_area_class
from ui.context import AppContext
from ui.responsive import tune_for_gui
from ui.status_bar import SyncStatusBar
from ui.widgets import file_dialogs
from ui.widgets.common import EmptyState
from ui.widgets.qtypes import setting_int

log = logging.getLogger(__name__)

class MainWindow(QMainWindow):
    """Signals: `sign_out_requested()` (the shell signs out and shows the sign-in dialog); `closing()`."""

    sign_out_requested = Signal()
    closing = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.areas: dict[str, QWidget] = {}
        self.conflicts_dialog: QWidget | None = None
        user = ctx.user
        role = Role(user.role).label if user.role else ""
        demo = self.tr(" (demo)") if ctx.demo else ""
        # ends with the app's name, so Qt does not append its display name a second time
        self.setWindowTitle(f"{user.name}（{role}）{demo} — {APP_NAME}")
        self.setWindowIcon(theme.app_icon())
        self.setMinimumSize(QSize(1024, 640))

        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.nav = QListWidget(central)
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFixedWidth(124)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget(central)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.placeholders: dict[str, QWidget] = {}
        for spec in AREAS:
            item = QListWidgetItem(theme.icon(spec.icon), area_title(spec))
            item.setToolTip(f"{area_title(spec)}（{spec.shortcut}）")
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
            holder = QWidget(self.stack)
            self.placeholders[spec.key] = holder
            self.stack.addWidget(holder)
        self.nav.currentRowChanged.connect(self._nav_changed)

        self.status = SyncStatusBar(self)
        self.statusBar().addPermanentWidget(self.status, 1)
        self.statusBar().setSizeGripEnabled(True)
        self._build_menus()
        self._connect_sync()
        self._restore()
        tune_for_gui()  # see ui.responsive: no GC or GIL stalls of the window while a sync runs

    # ---- menus -------------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.export_action = QAction(self.tr("Export diagnostics…"), self)
        self.export_action.triggered.connect(self.export_diagnostics)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("E&xit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        account = self.menuBar().addMenu(self.tr("&Account"))
        self.sync_action = QAction(theme.icon("sync-now"), self.tr("Sync now"), self)
        self.sync_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.sync_action.triggered.connect(self.sync_now)
        account.addAction(self.sync_action)
        self.conflicts_action = QAction(self.tr("Resolve conflicts…"), self)
        self.conflicts_action.triggered.connect(self.show_conflicts)
        account.addAction(self.conflicts_action)
        self.recovery_action = QAction(self.tr("Set recovery passphrase…"), self)
        self.recovery_action.triggered.connect(self.set_recovery_passphrase)
        account.addAction(self.recovery_action)
        self.rotate_key_action = QAction(self.tr("Rotate the data key…"), self)
        self.rotate_key_action.triggered.connect(self.rotate_key)
        account.addAction(self.rotate_key_action)
        account.addSeparator()
        self.sign_out_action = QAction(self.tr("Sign out"), self)
        self.sign_out_action.triggered.connect(self.sign_out_requested)
        account.addAction(self.sign_out_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.shortcuts_action = QAction(self.tr("Keyboard shortcuts…"), self)
        self.shortcuts_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        help_menu.addAction(self.shortcuts_action)
        about = QAction(self.tr("About %1").replace("%1", APP_NAME), self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

        for i, spec in enumerate(AREAS):
            action = QAction(self.tr("Go to %1").replace("%1", area_title(spec)), self)
            action.setShortcut(QKeySequence(spec.shortcut))
            action.triggered.connect(lambda _=False, row=i: self.nav.setCurrentRow(row))
            self.addAction(action)

    def _connect_sync(self) -> None:
        sync = self.ctx.sync
        self.status.conflicts_clicked.connect(self.show_conflicts)
        self.status.parked_clicked.connect(lambda: self.show_area("sync"))
        if sync is None:
            self.status.sync_button.setEnabled(False)
            return
        self.status.sync_clicked.connect(self.sync_now)
        self.status.cancel_clicked.connect(sync.cancel)
        sync.started.connect(self._sync_started)
        sync.progress.connect(self.status.set_progress)
        sync.finished.connect(self._sync_finished)
        sync.failed.connect(self._sync_failed)
        sync.online_changed.connect(self.status.set_online)
        sync.status_changed.connect(self.status.set_status)
        self.status.set_online(sync.online)
        if sync.status:
            self.status.set_status(sync.status)

    def sync_now(self) -> None:
        if self.ctx.sync is not None and not self.ctx.sync.sync_now("manual"):
            self.statusBar().showMessage(self.tr("A sync is already running; another will follow it."), 4000)

    def _sync_started(self) -> None:
        self.status.set_running(True)

    def _sync_finished(self, report: object) -> None:
        self.status.set_running(False)
        pulled = getattr(report, "pulled", 0)
        pushed = getattr(report, "pushed", 0)
        conflicts = getattr(report, "conflicts", 0)
        text = (
            self.tr("Sync finished: %1 sent, %2 received")
            .replace("%1", str(pushed))
            .replace("%2", str(pulled))
        )
        if conflicts:
            text += self.tr(", %1 conflicts to decide").replace("%1", str(conflicts))
        self.statusBar().showMessage(text, 8000)

    def _sync_failed(self, message: str) -> None:
        self.status.set_running(False)
        self.statusBar().showMessage(message, 12000)

    # ---- areas -------------------------------------------------------------------------------------------

    def show_area(self, key: str) -> QWidget | None:
        for i, spec in enumerate(AREAS):
            if spec.key == key:
                self.nav.setCurrentRow(i)
                return self.areas.get(key)
        return None

    def inspect_task(self, task_id: str) -> None:
        """Open the 检查 area on the inspection based on `task_id` (started now, or the open draft)."""
        area = self.show_area("inspections")
        if area is not None and hasattr(area, "start_from_task"):
            area.start_from_task(task_id)

    def _nav_changed(self, row: int) -> None:
        if not 0 <= row < len(AREAS):
            return
        spec = AREAS[row]
        if spec.key not in self.areas:
            self.areas[spec.key] = self._create_area(spec)
            holder = self.placeholders[spec.key]
            index = self.stack.indexOf(holder)
            self.stack.insertWidget(index, self.areas[spec.key])
            self.stack.removeWidget(holder)
            holder.deleteLater()
        self.stack.setCurrentWidget(self.areas[spec.key])

    def _create_area(self, spec: AreaSpec) -> QWidget:
        cls = load_area_class(spec)  # a renamed module or class fails loudly, here
        try:
            area = cls(self.ctx, self.stack)
            if hasattr(area, "inspect_requested"):  # the task detail's 开始检查
                area.inspect_requested.connect(self.inspect_task)
            return area
        except Exception:
            log.exception("area %s failed to load", spec.key)
            return EmptyState(
                self.tr("This area could not be opened"),
                self.tr("An error was written to the log. Export diagnostics and send them to support."),
                self.stack,
            )

    # ---- dialogs -----------------------------------------------------------------------------------------

    def set_recovery_passphrase(self) -> QDialog:
        from ui.dialogs.keys import SetRecoveryDialog

        dlg = SetRecoveryDialog(self.ctx.store, self.ctx.runner, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def rotate_key(self, *, confirm: bool = True) -> bool:
        from ui.dialogs.keys import rotate_key

        return rotate_key(self.ctx.store, self.ctx.runner, self, confirm=confirm)

    def show_conflicts(self) -> None:
        from ui.dialogs.conflicts import ConflictsDialog

        if self.conflicts_dialog is None:
            dlg = ConflictsDialog(self.ctx, self)
            dlg.finished.connect(lambda _c: setattr(self, "conflicts_dialog", None))
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.conflicts_dialog = dlg
        self.conflicts_dialog.show()
        self.conflicts_dialog.raise_()
        self.conflicts_dialog.activateWindow()

    def export_diagnostics(self, path: str | None = None) -> Path | None:
        from app.diagnostics import export_diagnostics
        from ui.qt_info import qt_versions

        if path is None:
            path = file_dialogs.save_file(
                self, self.tr("Export diagnostics"), "lianxuntong-diagnostics.zip", "Zip (*.zip)"
            )
            if not path:
                return None
        info = {
            "role": str(self.ctx.user.role),
            "demo": self.ctx.demo,
            "online": getattr(self.ctx.sync, "online", None),
        }
        try:
            out = export_diagnostics(
                Path(path),
                log_dir=self.ctx.store.paths.logs,
                store=self.ctx.store,
                extra_versions=qt_versions(),
                session_info=info,
            )
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("Export diagnostics"),
                self.tr("The file could not be written: %1").replace("%1", exc.strerror or str(exc)),
            )
            return None
        self.statusBar().showMessage(self.tr("Diagnostics saved to %1").replace("%1", str(out)), 8000)
        return out

    def show_shortcuts(self) -> QWidget:
        from ui.shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About %1").replace("%1", APP_NAME),
            self.tr(
                "<b>%1</b> %2<br>Desktop client for township joint patrol and enforcement teams, "
                "Fuyang district, Hangzhou.<br>Works offline; syncs with the district command platform "
                "when online."
            )
            .replace("%1", APP_NAME)
            .replace("%2", __version__),
        )

    # ---- geometry ----------------------------------------------------------------------------------------

    def _restore(self) -> None:
        settings = self.ctx.settings
        geometry = settings.bytes_value("window/geometry") if settings else None
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1366, 740)
        row = 0
        if settings is not None:
            row = setting_int(settings, "window/area", 0)
        self.nav.setCurrentRow(row if 0 <= row < len(AREAS) else 0)

    def prepare_close(self) -> None:
        for area in self.areas.values():
            hook = getattr(area, "prepare_close", None)
            if callable(hook):
                try:
                    hook()
                except Exception:
                    log.exception("prepare_close failed")
        settings = self.ctx.settings
        if settings is not None:
            settings.set_bytes("window/geometry", self.saveGeometry())
            settings.set_value("window/area", self.nav.currentRow())
            settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.conflicts_dialog is not None:
            self.conflicts_dialog.close()
        self.prepare_close()
        super().closeEvent(event)
        self.closing.emit()
