"""Dialogs of encryption at rest (`app.crypto.keys`): opening the data with the recovery passphrase when the
keyring cannot give the key, setting that passphrase at first sign-in, rotating the keyring's wrapping key, and
the message of a device the platform revoked and wiped.

scrypt and the store's opening run on the io pool; the dialogs only show progress and the Chinese result.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.crypto import keys
from app.errors import StoreError
from app.paths import DataPaths
from app.store import Store
from ui.inspection.party import error_label
from ui.runner import TaskRunner

log = logging.getLogger(__name__)

#: the StoreError codes after which the recovery passphrase can open the data
RECOVERABLE = frozenset({"keyring_unavailable", "key_missing", "wrong_key"})


def _password_field(parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(260)
    return field


def _buttons(dialog: QDialog, layout: QVBoxLayout, accept: str, reject: str) -> tuple[QPushButton, QPushButton]:
    box = QDialogButtonBox(dialog)
    ok = QPushButton(accept, dialog)
    ok.setDefault(True)
    box.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
    cancel = box.addButton(reject, QDialogButtonBox.ButtonRole.RejectRole)
    layout.addWidget(box)
    cancel.clicked.connect(dialog.reject)
    return ok, cancel


class RecoveryUnlockDialog(QDialog):
    """Why the data cannot be opened (the Chinese `StoreError` message) and the recovery route: the passphrase
    set at first sign-in. On acceptance `store` is the opened store; when the keyring works again the key is
    put back into it (a new wrapping key), so the next start needs no passphrase."""

    def __init__(self, paths: DataPaths, runner: TaskRunner, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.runner = runner
        self.store: Store | None = None
        self.rekeyed = False
        self.setWindowTitle(self.tr("Unlock the local data — %1").replace("%1", APP_NAME))
        layout = QVBoxLayout(self)
        self.explanation = QLabel(message, self)
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.has_recovery = keys.has_recovery(paths)
        form = QFormLayout()
        self.passphrase = _password_field(self)
        form.addRow(self.tr("Recovery passphrase:"), self.passphrase)
        layout.addLayout(form)
        if not self.has_recovery:
            self.passphrase.setEnabled(False)
        self.error = error_label(self)
        layout.addWidget(self.error)
        if not self.has_recovery:
            self.error.setText(keys.NO_RECOVERY)
            self.error.show()
        self.open_button, self.quit_button = _buttons(self, layout, self.tr("Open with the passphrase"),
                                                      self.tr("Quit"))
        self.open_button.setEnabled(self.has_recovery)
        self.open_button.clicked.connect(self.unlock)

    def unlock(self) -> None:
        phrase = self.passphrase.text()
        if not phrase:
            self._show_error(self.tr("Enter the recovery passphrase."))
            return
        self.open_button.setEnabled(False)
        self.error.setText(self.tr("Checking the passphrase…"))
        self.error.show()
        paths = self.paths

        def work(_job: Any) -> tuple[Store, bool]:
            store = Store.open(paths, passphrase=phrase)
            try:
                keys.rotate(paths, keys.keys_for(paths.root))  # the keyring item again, when it works
                return store, True
            except StoreError:
                return store, False

        self.runner.run_io("unlock", work, on_done=self._opened, on_error=self._failed)

    def _opened(self, result: tuple[Store, bool]) -> None:
        self.store, self.rekeyed = result
        log.info("local data opened with the recovery passphrase (keyring item restored: %s)", self.rekeyed)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.open_button.setEnabled(True)
        self.passphrase.selectAll()
        self.passphrase.setFocus()
        self._show_error(exc.message if isinstance(exc, StoreError) else str(exc))

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class SetRecoveryDialog(QDialog):
    """Set (or replace) the recovery passphrase: typed twice, checked (`keys.check_passphrase`), then wrapped
    around the data key on the io pool. "Later" asks again at the next sign-in."""

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.saved = False
        self.setWindowTitle(self.tr("Recovery passphrase"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "The data on this laptop is encrypted; its key is kept in the system keyring. Set a recovery "
            "passphrase so that the data can still be opened if the keyring is lost or unavailable. Keep it "
            "somewhere safe: it cannot be recovered if forgotten."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.first = _password_field(self)
        self.second = _password_field(self)
        form.addRow(self.tr("Passphrase:"), self.first)
        form.addRow(self.tr("Repeat:"), self.second)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        self.save_button, self.later_button = _buttons(self, layout, self.tr("Set passphrase"), self.tr("Later"))
        self.save_button.clicked.connect(self.save)

    def save(self) -> None:
        phrase = self.first.text()
        reason = keys.check_passphrase(phrase)
        if reason is None and phrase != self.second.text():
            reason = self.tr("The two passphrases differ.")
        if reason:
            self.error.setText(reason)
            self.error.show()
            return
        self.save_button.setEnabled(False)
        paths = self.store.paths
        self.runner.run_io("recovery", lambda _j: keys.set_recovery(paths, keys.keys_for(paths.root), phrase),
                           on_done=self._saved, on_error=self._failed)

    def _saved(self, _result: object) -> None:
        self.saved = True
        log.info("recovery passphrase set")
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(exc.message if isinstance(exc, StoreError) else str(exc))
        self.error.show()


def offer_recovery_passphrase(store: Store, runner: TaskRunner, parent: QWidget | None = None) -> QDialog | None:
    """At sign-in: the dialog to set the recovery passphrase when none is set yet (shown, not blocking)."""
    if keys.has_recovery(store.paths):
        return None
    dlg = SetRecoveryDialog(store, runner, parent)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg


def rotate_key(store: Store, runner: TaskRunner, parent: QWidget | None = None,
               *, confirm: bool = True) -> bool:
    """Menu action: replace the keyring's wrapping key (the data key and the passphrase stay). Runs on the io
    pool; the result is shown in a (non-blocking) message box. False when the person declined."""
    title = QCoreApplication.translate("Keys", "Rotate the key")
    if confirm:
        question = QCoreApplication.translate(
            "Keys", "Replace the key that protects this laptop's data in the system keyring? The data stays as "
            "it is; the recovery passphrase keeps working.")
        if QMessageBox.question(parent, title, question) != QMessageBox.StandardButton.Yes:
            return False
    paths = store.paths

    def done(generation: int) -> None:
        log.info("store key rotated (generation %d)", generation)
        _note(parent, QMessageBox.Icon.Information, title,
              QCoreApplication.translate("Keys", "The key in the system keyring has been replaced."))

    def failed(exc: BaseException) -> None:
        _note(parent, QMessageBox.Icon.Critical, title, exc.message if isinstance(exc, StoreError) else str(exc))

    runner.run_io("rotate-key", lambda _j: keys.rotate(paths, keys.keys_for(paths.root)), on_done=done,
                  on_error=failed)
    return True


def _note(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("keyNote")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def show_wiped(parent: QWidget | None = None, message: str = keys.WIPED) -> QMessageBox:
    """The platform revoked this device and its data was wiped: say so (non-blocking; the app then quits)."""
    return _note(parent, QMessageBox.Icon.Critical, QCoreApplication.translate("Keys", "Device revoked"), message)
