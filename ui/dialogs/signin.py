"""The sign-in dialog: platform address, username, password, "remember me".

Signing in runs on the network pool with a busy bar and a cancel button; the token goes to the OS keyring
through `sync.auth.AuthClient` and is never shown or logged. Errors get a clear Chinese message and nothing
typed is lost (after a wrong password the password is selected for retyping, not cleared).
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.store import Store
from sync.auth import AuthClient, LoginFailed, SessionExpired
from sync.credentials import CredentialError
from sync.transport import NetworkError, ProtocolError, ServerError, SyncError, TlsError
from ui import session as sess
from ui import theme
from ui.qt_guard import alive
from ui.runner import JobControl, JobHandle, TaskRunner
from ui.widgets.common import BusyBar

log = logging.getLogger(__name__)


class SignInDialog(QDialog):
    """`exec()`/`open()`; on acceptance `client` is the signed-in `AuthClient` and `remember` the choice."""

    def __init__(
        self,
        store: Store,
        runner: TaskRunner,
        *,
        server_url: str = "",
        username: str = "",
        password: str = "",
        remember: bool = True,
        message: str = "",
        demo: bool = False,
        ca_bundle: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.ca_bundle = ca_bundle
        self.client: AuthClient | None = None
        self._job: JobHandle | None = None
        self._cancel: threading.Event | None = None
        self._generation = 0
        self.setWindowTitle(self.tr("Sign in — %1").replace("%1", APP_NAME))
        self.setWindowIcon(theme.app_icon())
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(26, 22, 26, 18)
        layout.setSpacing(12)

        head = QHBoxLayout()
        logo = QLabel(self)
        logo.setPixmap(theme.app_icon().pixmap(QSize(56, 56)))
        head.addWidget(logo)
        titles = QVBoxLayout()
        name = QLabel(APP_NAME, self)
        name.setObjectName("pageTitle")
        sub = QLabel(self.tr("Township joint patrol and enforcement · sign in to the command platform"), self)
        sub.setObjectName("muted")
        sub.setWordWrap(True)
        titles.addWidget(name)
        titles.addWidget(sub)
        head.addLayout(titles, 1)
        layout.addLayout(head)
        if demo:
            note = QLabel(
                self.tr(
                    "Demo mode: a practice platform runs on this computer; data is discarded "
                    "when the program exits."
                ),
                self,
            )
            note.setWordWrap(True)
            note.setStyleSheet(
                "background:#eef5ff; border:1px solid #bcd4f0; border-radius:6px; padding:6px;"
            )
            layout.addWidget(note)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(10)
        self.server = QLineEdit(server_url or sess.DEFAULT_SERVER, self)
        self.server.setPlaceholderText("https://…")
        self.username = QLineEdit(username, self)
        self.username.setPlaceholderText(self.tr("e.g. xindeng.leader"))
        self.password = QLineEdit(password, self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Keep me signed in on this computer"), self)
        self.remember.setChecked(remember)
        form.addRow(self.tr("Platform address"), self.server)
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.remember)
        layout.addLayout(form)

        self.error = QLabel(message, self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setVisible(bool(message))
        layout.addWidget(self.error)
        self.busy = BusyBar(self)
        self.busy.cancel_clicked.connect(self.cancel_login)
        self.busy.hide()
        layout.addWidget(self.busy)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.quit_button = QPushButton(self.tr("Exit"), self)
        self.quit_button.clicked.connect(self.reject)
        self.login_button = QPushButton(self.tr("Sign in"), self)
        self.login_button.setObjectName("primary")
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.start_login)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.login_button)
        layout.addLayout(buttons)
        (self.password if username else self.username).setFocus()

    # ---- signing in --------------------------------------------------------------------------------------

    @property
    def busy_now(self) -> bool:
        return self._job is not None

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def start_login(self) -> None:
        if self._job is not None:
            return
        url, user, password = self.server.text().strip(), self.username.text().strip(), self.password.text()
        if not sess.valid_url(url):
            self.show_error(
                self.tr(
                    "Please enter the platform address, starting with https:// (or http:// for a "
                    "local test platform)."
                )
            )
            self.server.setFocus()
            return
        if not user:
            self.show_error(self.tr("Please enter your username."))
            self.username.setFocus()
            return
        if not password:
            self.show_error(self.tr("Please enter your password."))
            self.password.setFocus()
            return
        self.show_error("")
        self._generation += 1
        generation = self._generation
        cancel = threading.Event()
        self._cancel = cancel
        store, ca_bundle = self.store, self.ca_bundle

        def job(_control: JobControl) -> AuthClient:
            return sess.login(store, url, user, password, cancel=cancel, ca_bundle=ca_bundle)

        self._set_busy(True)
        self._job = self.runner.run_net(
            "login",
            job,
            on_done=lambda c: self._succeeded(generation, c),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def cancel_login(self) -> None:
        """Give the form back at once; a late answer is ignored (and a late success signed out again)."""
        if self._cancel is not None:
            self._cancel.set()
        self._generation += 1
        self._job = None
        self._set_busy(False)
        self.show_error(self.tr("Sign-in cancelled."))

    def _succeeded(self, generation: int, client: AuthClient) -> None:
        if not alive(self) or generation != self._generation:
            self.runner.run_net("late-logout", lambda _c: sess.sign_out(client))
            return
        self._job = None
        self._set_busy(False)
        self.client = client
        log.info("signed in as role %s", client.user.role if client.user else "?")
        self.accept()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not alive(self) or generation != self._generation:
            return
        self._job = None
        self._set_busy(False)
        self.show_error(self.message_for(exc))
        if isinstance(exc, LoginFailed):
            self.password.setFocus()
            self.password.selectAll()
        elif isinstance(exc, NetworkError | TlsError):
            self.server.setFocus()

    def message_for(self, exc: BaseException) -> str:
        if isinstance(exc, LoginFailed):
            return self.tr("Wrong username or password. Please check and try again.")
        if isinstance(exc, SessionExpired):
            return self.tr("Your session has expired. Please sign in again.")
        if isinstance(exc, TlsError):
            return self.tr(
                "The platform's certificate could not be verified, so the connection was stopped to "
                "protect your data. Check the address or ask the administrator for the certificate."
            )
        if isinstance(exc, NetworkError):
            return self.tr(
                "Cannot reach the platform at %1. Check the network connection and the address, then "
                "try again."
            ).replace("%1", sess.normalise_url(self.server.text()))
        if isinstance(exc, ServerError):
            return self.tr("The platform cannot handle the sign-in right now. Please try again later.")
        if isinstance(exc, CredentialError | ProtocolError | SyncError):
            return str(exc)
        log.warning("sign-in failed: %s", type(exc).__name__)
        return self.tr("Sign-in failed: %1").replace("%1", str(exc) or type(exc).__name__)

    def _set_busy(self, busy: bool) -> None:
        for w in (self.server, self.username, self.password, self.remember, self.login_button):
            w.setEnabled(not busy)
        if busy:
            self.busy.start(self.tr("Signing in…"))
        else:
            self.busy.stop()

    def reject(self) -> None:
        if self._job is not None:
            self.cancel_login()
            return
        super().reject()

    @property
    def remember_me(self) -> bool:
        return self.remember.isChecked()
