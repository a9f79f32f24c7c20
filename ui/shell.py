"""`Shell`: the life cycle between the sign-in dialog and the main window.

* A remembered session (token in the keyring, user in the store) opens the main window straight away, offline;
  the status bar says so and the first sync starts in the background.
* Otherwise the sign-in dialog; on success the main window opens and the first sync starts.
* 退出登录 revokes the token, closes the window and shows the sign-in dialog again.
* An expired session during a sync asks for the password again over the main window (nothing is lost); a
  different user signing in there gets a fresh main window.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QDialog

from app.store import Store
from sync.auth import AuthClient
from ui import session as sess
from ui.context import AppContext, ChangeBus
from ui.dialogs.signin import SignInDialog
from ui.main_window import MainWindow
from ui.runner import TaskRunner
from ui.settings import Settings
from ui.sync_controller import SyncController
from ui.widgets import file_dialogs

log = logging.getLogger(__name__)


class Shell(QObject):
    """Signals: `window_opened(MainWindow)`, `signin_shown(SignInDialog)`, `quit_requested()`."""

    window_opened = Signal(object)
    signin_shown = Signal(object)
    quit_requested = Signal()

    def __init__(
        self,
        store: Store,
        settings: Settings,
        runner: TaskRunner,
        bus: ChangeBus,
        *,
        server_url: str,
        demo: bool = False,
        demo_login: tuple[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.runner = runner
        self.bus = bus
        self.server_url = sess.normalise_url(server_url)
        self.demo = demo
        self.demo_login = demo_login
        self.window: MainWindow | None = None
        self.controller: SyncController | None = None
        self.ctx: AppContext | None = None
        self.dialog: SignInDialog | None = None
        self.remember = settings.remember
        settings.apply_office_zone()
        file_dialogs.use_settings(settings)
        self._switching = False
        self.recovery_dialog: QDialog | None = None
        self.wiped_box: QDialog | None = None

    # ---- start -------------------------------------------------------------------------------------------

    def start(self) -> None:
        auth = None
        if not self.demo:
            auth = sess.resume(self.store, self.server_url, ca_bundle=self.settings.ca_bundle)
            if auth is not None and not self.settings.remember:
                sess.forget_tokens(auth)  # left behind by a crash: "remember me" was off
                auth = None
        if auth is not None:
            log.info("resuming the remembered session offline")
            self.open_main(auth, sync_first=False)
        else:
            self.show_signin()

    def show_signin(self, message: str = "") -> SignInDialog:
        remembered = sess.remembered(self.store)
        username, password = self.settings.username or (remembered.username if remembered else ""), ""
        if self.demo and self.demo_login:
            username, password = self.demo_login
        dlg = SignInDialog(
            self.store,
            self.runner,
            server_url=self.server_url,
            username=username,
            password=password,
            remember=self.settings.remember,
            message=message,
            demo=self.demo,
            ca_bundle=self.settings.ca_bundle,
        )
        dlg.accepted.connect(lambda: self._signed_in(dlg))
        dlg.rejected.connect(self._signin_rejected)
        self.dialog = dlg
        dlg.show()
        dlg.raise_()
        self.signin_shown.emit(dlg)
        return dlg

    def _signed_in(self, dlg: SignInDialog) -> None:
        self.dialog = None
        client = dlg.client
        assert client is not None
        self._remember_choice(dlg)
        window = self.open_main(client, sync_first=True)
        dlg.deleteLater()
        from ui.dialogs.keys import offer_recovery_passphrase

        self.recovery_dialog = offer_recovery_passphrase(self.store, self.runner, window)

    def _remember_choice(self, dlg: SignInDialog) -> None:
        self.server_url = sess.normalise_url(dlg.server.text())
        self.remember = dlg.remember_me
        self.settings.server_url = self.server_url
        self.settings.username = dlg.username.text().strip()
        self.settings.remember = self.remember
        self.settings.sync()

    def _signin_rejected(self) -> None:
        self.dialog = None
        if self.window is None:
            self.quit_requested.emit()

    # ---- main window -------------------------------------------------------------------------------------

    def open_main(self, auth: AuthClient, *, sync_first: bool) -> MainWindow:
        user = auth.current_user()
        controller = SyncController(
            self.store,
            self.runner,
            self.bus,
            auth,
            self.server_url,
            interval_s=self.settings.sync_interval_s,
            ca_bundle=self.settings.ca_bundle,
            parent=self,
        )
        ctx = AppContext(
            store=self.store,
            user=user,
            runner=self.runner,
            bus=self.bus,
            sync=controller,
            settings=self.settings,
            demo=self.demo,
        )
        window = MainWindow(ctx)
        window.sign_out_requested.connect(self.sign_out)
        window.closing.connect(self._window_closing)
        controller.session_expired.connect(self.relogin)
        controller.device_wiped.connect(self.device_wiped)
        controller.finished.connect(self._learn_after_sync)  # a bound slot: a lambda here crashed PySide
        self.learn_names()
        self.window, self.controller, self.ctx = window, controller, ctx
        window.show()
        controller.start(sync_first=sync_first)
        if not sync_first:
            window.statusBar().showMessage(
                QCoreApplication.translate(
                    "Shell",
                    "Working offline on this laptop's data; connecting to the platform in the background…",
                ),
                10000,
            )
            controller.probe()
        self.window_opened.emit(window)
        return window

    def _close_main(self) -> None:
        if self.controller is not None:
            self.controller.stop()
        if self.window is not None:
            self._switching = True
            self.window.close()
            self.window.deleteLater()
            self._switching = False
        self.window = None
        self.ctx = None
        if self.controller is not None:
            self.controller.deleteLater()
            self.controller = None

    def _window_closing(self) -> None:
        if not self._switching:
            self.quit_requested.emit()

    def learn_names(self) -> None:
        """Teach the log scrubber the party names of the store (`app.privacy`), on the io pool."""
        from app import privacy

        store = self.store
        self.runner.run_io("privacy-names", lambda _j: privacy.remember_names(privacy.names_in(store)))

    def _learn_after_sync(self, _report: object) -> None:
        self.learn_names()

    def device_wiped(self, message: str) -> None:
        """The platform revoked this device; its data is wiped (`sync.revocation`): close, say so, quit."""
        from ui.dialogs.keys import show_wiped

        self._close_main()
        box = show_wiped(None)
        self.wiped_box = box
        box.finished.connect(self._wiped_acknowledged)
        del message

    def _wiped_acknowledged(self, _code: int) -> None:
        self.quit_requested.emit()

    def sign_out(self) -> None:
        """Revoke and delete the token, return to the sign-in dialog (the local data stays)."""
        controller = self.controller
        auth = controller.auth if controller is not None else None
        self._close_main()
        if auth is not None:
            self.runner.run_net("sign-out", lambda _c: sess.sign_out(auth))
        self.show_signin()

    def relogin(self, message: str = "") -> None:
        """The platform ended the session: ask for the password again over the main window."""
        if self.dialog is not None or self.window is None:
            return
        if self.controller is not None:
            self.controller.stop()
        text = QCoreApplication.translate("Shell", "Your session has expired. Please sign in again.")
        dlg = SignInDialog(
            self.store,
            self.runner,
            server_url=self.server_url,
            username=self.ctx.user.username if self.ctx else self.settings.username,
            remember=self.remember,
            message=text,
            demo=self.demo,
            ca_bundle=self.settings.ca_bundle,
            parent=self.window,
        )
        dlg.finished.connect(lambda code: self._relogged(dlg, code))
        self.dialog = dlg
        dlg.open()
        self.signin_shown.emit(dlg)
        del message

    def _relogged(self, dlg: SignInDialog, code: int) -> None:
        self.dialog = None
        if code != QDialog.DialogCode.Accepted or dlg.client is None:
            if self.window is not None:
                self.window.status.set_online(
                    False,
                    QCoreApplication.translate(
                        "Shell", "session expired — use Account → Sign out to sign in"
                    ),
                )
            return
        self._remember_choice(dlg)
        client = dlg.client
        same_user = (
            self.ctx is not None
            and client.user is not None
            and client.user.username == self.ctx.user.username
        )
        if same_user and self.controller is not None:
            self.controller.set_auth(client)
            self.controller.start(sync_first=True)
        else:
            self._close_main()
            self.open_main(client, sync_first=True)

    # ---- exit --------------------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop syncing, flush the UI, drop the token if "remember me" is off."""
        auth = self.controller.auth if self.controller is not None else None
        if self.window is not None:
            self.window.prepare_close()
        if self.controller is not None:
            self.controller.stop()
        if auth is not None and (not self.remember or self.demo):
            sess.forget_tokens(auth)
