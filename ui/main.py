"""`run_gui(data_dir, demo, server) -> int`: the desktop application's entry (called by `python -m lianxuntong`).

Order of things: the QApplication (high-DPI, Fusion, palette, CJK font, icon) and the zh_CN translators; the
scrubbed rotating log in the data dir; the store opened and migrated before any window (a store written by a
newer release is refused with a clear message and left untouched); then the sign-in dialog or, with a
remembered session, the main window offline.

Demo mode (`--demo`) uses a throwaway data dir (removed on exit) and starts the reference platform in-process
on a free localhost port, seeded with the demo district; the sign-in dialog is pre-filled with its address and
a demo account.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox, QSplashScreen

from app import APP_NAME, __version__
from app.diagnostics import setup_logging, shutdown_logging
from app.errors import StoreError
from app.paths import DataPaths, resolve_data_dir
from app.store import Store
from ui import session as sess
from ui import theme
from ui.context import ChangeBus
from ui.i18n import install_translators
from ui.runner import JobControl, TaskRunner
from ui.settings import Settings

log = logging.getLogger(__name__)
_IMPORTED_AT = time.time()

DEMO_USER = ("xindeng.leader", "demo2026")


def open_store(paths: DataPaths, runner: TaskRunner | None = None) -> Store | None:
    """Open and migrate the store; on failure show why (in Chinese) and return None. A damaged file comes
    with the offer to restore the newest backup (the damaged file is kept aside, the backup is copied); a key
    the keyring cannot give comes with the recovery passphrase (`ui.dialogs.keys.RecoveryUnlockDialog`)."""
    try:
        return Store.open(paths)
    except StoreError as exc:
        log.error("store could not be opened: %s", exc.code)
        title = QCoreApplication.translate("Startup", "Cannot open the local data")
        if exc.code == "damaged" and offer_restore(paths, title, exc.message):
            return open_store(paths, runner)
        if runner is not None:
            from ui.dialogs.keys import RECOVERABLE, RecoveryUnlockDialog

            if exc.code in RECOVERABLE:
                dlg = RecoveryUnlockDialog(paths, runner, exc.message)
                return dlg.store if dlg.exec() == QDialog.DialogCode.Accepted else None
        QMessageBox.critical(None, title, exc.message)
        return None


def offer_restore(paths: DataPaths, title: str, message: str) -> bool:
    """Ask whether to restore the newest backup; True once it has been restored."""
    from app.db.restore import newest_usable_backup, restore_newest_backup

    if newest_usable_backup(paths.backups) is None:
        return False
    box = QMessageBox(QMessageBox.Icon.Critical, title, message)
    restore = box.addButton(QCoreApplication.translate("Startup", "Restore the newest backup"),
                            QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QCoreApplication.translate("Startup", "Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    try:
        restored = restore_newest_backup(paths)
    except StoreError as err:
        QMessageBox.critical(None, title, err.message)
        return False
    log.warning("store restored from backup %s; damaged file kept aside", restored.backup.name)
    return True


def start_demo_platform(runner: TaskRunner, directory: Path) -> Any:
    """Start the embedded reference platform on the network pool while a splash screen shows progress."""
    from sync.server.embedded import start_server

    splash = QSplashScreen(theme.app_icon().pixmap(256, 256))
    splash.showMessage(
        QCoreApplication.translate("Startup", "Starting the demo platform…"),
        Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter,
    )
    splash.show()
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def job(_control: JobControl) -> Any:
        return start_server(directory, port=0, seed_demo=True, demo_loops=True)

    def done(server: Any) -> None:
        outcome["server"] = server
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    runner.run_net("demo-platform", job, on_done=done, on_error=failed)
    loop.exec()
    splash.close()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["server"]


def quit_on_signals(app: QCoreApplication) -> QTimer:
    """Ctrl+C / SIGTERM end the event loop normally, so the demo platform stops and its directory is removed.
    (Python runs signal handlers only between bytecodes: a short timer gives it the chance.)"""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    pulse = QTimer(app)
    pulse.timeout.connect(lambda: None)
    pulse.start(300)
    return pulse


def run_gui(data_dir: str | None = None, demo: bool = False, server: str | None = None) -> int:
    app = theme.make_application()
    app.setQuitOnLastWindowClosed(False)
    _pulse = quit_on_signals(app)
    translators = install_translators(app)
    demo_dir: Path | None = None
    platform: Any = None
    if demo:
        demo_dir = Path(tempfile.mkdtemp(prefix="lianxuntong-demo-"))
        paths = DataPaths(demo_dir / "client")
    else:
        paths = resolve_data_dir(data_dir)
    log_file = setup_logging(paths.logs)
    log.info("%s %s starting (demo=%s, data dir %s)", APP_NAME, __version__, demo, paths.root)
    runner = TaskRunner(app)
    store: Store | None = None
    try:
        if demo:
            assert demo_dir is not None
            try:
                platform = start_demo_platform(runner, demo_dir / "platform")
            except Exception as exc:
                log.exception("demo platform failed to start")
                QMessageBox.critical(
                    None,
                    APP_NAME,
                    QCoreApplication.translate(
                        "Startup", "The demo platform could not be started: %1"
                    ).replace("%1", str(exc)),
                )
                return 3
            server = platform.url
        store = open_store(paths, runner)
        if store is None:
            return 2
        settings = Settings.in_data_dir(paths.root)
        url = server or settings.server_url or _remembered_url(store) or sess.DEFAULT_SERVER
        from ui.shell import Shell

        shell = Shell(
            store,
            settings,
            runner,
            ChangeBus(),
            server_url=url,
            demo=demo,
            demo_login=DEMO_USER if demo else None,
        )
        shell.quit_requested.connect(app.quit)
        app.aboutToQuit.connect(shell.shutdown)
        if os.environ.get("LXT_STARTUP_PROBE"):
            shell.signin_shown.connect(lambda _dlg: _report_startup(app))
        shell.start()
        log.info("log file: %s", log_file)
        return int(app.exec())
    finally:
        runner.cancel_all()
        runner.wait(15_000)
        if store is not None:
            store.close()
        if platform is not None:
            with contextlib.suppress(Exception):
                platform.stop()
        log.info("exit")
        shutdown_logging()
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)
        del translators, _pulse


def _report_startup(app: QCoreApplication) -> None:
    """LXT_STARTUP_PROBE (installer/build.py, benchmarks): once the sign-in dialog has been painted, print the
    seconds since the process started and quit."""

    def report() -> None:
        print(f"startup-probe signin-shown {time.time() - _process_start():.3f}", flush=True)
        app.quit()

    QTimer.singleShot(0, report)


def _process_start() -> float:
    """Process start time (wall clock) from /proc where available, else this module's import time."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime"))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return _IMPORTED_AT


def _remembered_url(store: Store) -> str | None:
    remembered = sess.remembered(store)
    return remembered.server_url if remembered else None


def main() -> int:  # `python -m ui.main` for development
    import argparse

    parser = argparse.ArgumentParser(prog="python -m ui.main")
    parser.add_argument("--data-dir")
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--server")
    args = parser.parse_args()
    return run_gui(args.data_dir, args.demo, args.server)


if __name__ == "__main__":
    sys.exit(main())
