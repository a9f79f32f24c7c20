"""`InspectionForm`: one inspection record in tabs sized for a 1366×768 laptop — basics, party, the merged
checklist, evidence, signatures and completion — usable with the keyboard alone (mnemonics, Alt+1…5 for the
tabs, 1/2/3 and Enter in the checklist, Ctrl+E evidence for an item, Ctrl+Enter finalise).

Nothing has a save button: every edit goes to the `Autosaver`; the header says 已保存 HH:MM:SS once committed.
A full disk or read-only data dir shows a red banner with the reason and 立即重试 while everything typed stays
on screen. The open record, tab and focused field are remembered (see `restore`) so a crash reopens it there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.inspections import FinaliseRefused, InspectionService, SaveResult
from app.inspections.signing import role_label
from app.inspections.view import InspectionSnapshot, officer_refs, township_officers
from ui.context import AppContext
from ui.evidence.gallery import FILE_FILTER, EvidenceGallery
from ui.inspection import restore
from ui.inspection.autosave import Autosaver
from ui.inspection.basics import BasicsSection
from ui.inspection.checklist import ChecklistModel, ChecklistView
from ui.inspection.followups import FollowUpDialog
from ui.inspection.party import PartySection
from ui.inspection.signing import SigningSection
from ui.loops.dialogs import InterventionDialog
from ui.signature.dialogs import RefusalDialog, SignatureDialog
from ui.widgets import file_dialogs
from ui.widgets.common import Chip

TAB_BASICS, TAB_PARTY, TAB_CHECKLIST, TAB_EVIDENCE, TAB_SIGN = range(5)


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class InspectionForm(QWidget):
    """Signals: `back()` to the list, `loaded(InspectionSnapshot)` after each (re)load."""

    back = Signal()
    loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = InspectionService(ctx.store, ctx.user)
        self.autosaver = Autosaver(ctx, self.service, self)
        self.snapshot: InspectionSnapshot | None = None
        self.inspection_id: str | None = None
        self._restore_focus = ""
        self._refs_loaded = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        head = QHBoxLayout()
        self.back_button = QPushButton(self.tr("← &Back to list"), self)
        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.chip = Chip("", "#5f6b7a", self)
        self.saved_label = QLabel(self)
        self.saved_label.setObjectName("savedLabel")
        for w in (self.back_button, self.title, self.chip):
            head.addWidget(w)
        head.addStretch(1)
        self.intervention_button = QPushButton(self.tr("Record intervention… (Ctrl+Shift+I)"), self)
        self.intervention_button.clicked.connect(self.record_intervention)
        head.addWidget(self.intervention_button)
        head.addWidget(self.saved_label)
        layout.addLayout(head)
        self.banner = QFrame(self)
        self.banner.setObjectName("errorBanner")
        self.banner.setStyleSheet("QFrame#errorBanner { background: #fdecea; border: 1px solid #f5c2c0; "
                                  "border-radius: 6px; } QLabel { color: #8c1d18; }")
        row = QHBoxLayout(self.banner)
        self.banner_text = QLabel(self.banner)
        self.banner_text.setWordWrap(True)
        self.retry_button = QPushButton(self.tr("&Retry now"), self.banner)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.retry_button)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.tabs = QTabWidget(self)
        self.basics = BasicsSection(self)
        self.party = PartySection(self)
        self.checklist_model = ChecklistModel(self)
        self.checklist = ChecklistView(self)
        self.checklist.setModel(self.checklist_model)
        self.gallery = EvidenceGallery(ctx, self.service, self)
        self.signing = SigningSection(self)
        check_page = QWidget(self)
        cl = QVBoxLayout(check_page)
        crow = QHBoxLayout()
        self.progress = QLabel(check_page)
        self.item_evidence = QPushButton(self.tr("&Evidence for this item…"), check_page)
        self.item_evidence.setToolTip("Ctrl+E")
        keys = QLabel(
            self.tr("Keys: 1 compliant · 2 violation · 3 not applicable · Enter: facts found (violation) or note"),
            check_page,
        )
        keys.setObjectName("muted")
        crow.addWidget(self.progress)
        crow.addStretch(1)
        crow.addWidget(keys)
        crow.addWidget(self.item_evidence)
        cl.addLayout(crow)
        cl.addWidget(self.checklist, 1)
        self.tabs.addTab(_scroll(self.basics), self.tr("&1 Basics"))
        self.tabs.addTab(_scroll(self.party), self.tr("&2 Party"))
        self.tabs.addTab(check_page, self.tr("&3 Checklist"))
        self.tabs.addTab(self.gallery, self.tr("&4 Evidence"))
        self.tabs.addTab(_scroll(self.signing), self.tr("&5 Signatures and finalise"))
        layout.addWidget(self.tabs, 1)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(250)
        self.refresh_timer.timeout.connect(self.refresh)
        self._wire()

    def _wire(self) -> None:
        a = self.autosaver
        self.back_button.clicked.connect(self.leave)
        self.basics.field_changed.connect(a.set_field)
        self.party.changed.connect(lambda party: a.set_field("party", party))
        self.checklist_model.answered.connect(lambda key, result: a.set_answer(key, result=result))
        self.checklist_model.noted.connect(lambda key, note: a.set_answer(key, note=note))
        self.checklist_model.stated.connect(lambda key, fact: a.set_answer(key, fact=fact))
        self.checklist_model.answered.connect(lambda *_: self._show_progress())
        a.status.connect(self.saved_label.setText)
        a.saved.connect(self._saved)
        a.failed.connect(self._failed)
        a.recovered.connect(self.banner.hide)
        self.retry_button.clicked.connect(a.retry_now)
        self.gallery.changed.connect(self.refresh_timer.start)
        self.signing.sign_requested.connect(self.ask_signature)
        self.signing.refuse_requested.connect(self.ask_refusal)
        self.signing.finalise_requested.connect(self.finalise)
        self.signing.follow_ups_requested.connect(self.show_follow_ups)
        self.item_evidence.clicked.connect(self.evidence_for_item)
        self.tabs.currentChanged.connect(lambda _i: self._remember())
        QShortcut(QKeySequence("Ctrl+E"), self.checklist, activated=self.evidence_for_item,  # type: ignore[call-overload]  # stubs lack activated=; a positional slot drops context
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.finalise,  # type: ignore[call-overload]  # stubs lack activated=; a positional slot drops context
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Ctrl+Shift+I"), self, activated=self.record_intervention,  # type: ignore[call-overload]  # stubs lack activated=; a positional slot drops context
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QApplication.instance().focusChanged.connect(self._focus_changed)  # type: ignore[union-attr]  # a widget exists only while the QApplication does

    def record_intervention(self) -> None:
        """干预留痕 for this inspection (and its instruction), keyboard-first; see ui.loops.dialogs."""
        snap = self.snapshot
        if snap is None:
            return
        dlg = InterventionDialog(self.ctx, self.tr("the inspection of %1").replace("%1", snap.target_name),
                                 inspection_id=snap.id, task_id=snap.task_id, parent=self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.intervention_dialog = dlg
        dlg.open()

    # ---- opening and loading -----------------------------------------------------------------------------

    def open(self, inspection_id: str, *, tab: int | None = None, focus: str = "") -> None:
        self.autosaver.bind(inspection_id)
        self.inspection_id = inspection_id
        self.snapshot = None
        self._restore_focus = focus
        if tab is not None:
            self.tabs.setCurrentIndex(tab)
        self.saved_label.setText("")
        self.banner.hide()
        restore.save_state(self.ctx, inspection_id, self.tabs.currentIndex(), focus)
        self.refresh(full=True)

    def refresh(self, full: bool = False) -> None:
        iid = self.inspection_id
        if iid is None:
            return
        service, need_refs = self.service, not self._refs_loaded

        def job(_: Any) -> tuple[InspectionSnapshot, list[str], list[Any]]:
            snap = service.load(iid)
            refs: list[Any] = []
            if need_refs:
                with service.store.read() as s:
                    refs = officer_refs(s, [o[0] for o in township_officers(s, service.user.township_id)])
            return snap, service.missing(iid) if not snap.finalised else [], refs

        self.ctx.runner.run_store("load inspection", job, on_done=lambda r: self._loaded(*r, full=full),
                                  on_error=self._load_failed)

    def _loaded(self, snap: InspectionSnapshot, missing: list[str], refs: list[Any], *, full: bool) -> None:
        if snap.id != self.inspection_id:
            return
        first = self.snapshot is None or full
        self.snapshot = snap
        if refs:
            self.basics.set_officer_refs(refs)
            self._refs_loaded = True
        if first:
            self.basics.load(snap)
            self.party.set_value(snap.party)
            self.party.set_read_only(snap.finalised)
        elif snap.finalised:
            self.basics.set_read_only(True)
            self.party.set_read_only(True)
        self.basics.snapshot = snap
        self._load_checklist(snap)
        self.gallery.set_snapshot(snap)
        self.signing.load(snap)
        self.signing.show_missing(missing, snap.finalised)
        self.item_evidence.setEnabled(not snap.finalised)
        self._show_header(snap)
        self._show_progress()
        if first and self._restore_focus:
            self._focus(self._restore_focus)
            self._restore_focus = ""
        self.loaded.emit(snap)

    def _load_checklist(self, snap: InspectionSnapshot) -> None:
        """Refresh the checklist — but never under an open note editor (the reload waits until it closes)."""
        if self.checklist.state() == QAbstractItemView.State.EditingState:
            self.refresh_timer.start()
            return
        current = self.checklist.currentIndex()
        overlay = {i.key: self.autosaver.pending_answer(i.key) for i in snap.items}
        self.checklist_model.load(snap, {k: v for k, v in overlay.items() if v})
        self.checklist.resizeRowsToContents()
        self.checklist.setCurrentIndex(self.checklist_model.index(max(current.row(), 0), max(current.column(), 2)))

    def _load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, DomainError) and exc.code in ("not_found", "forbidden"):
            restore.save_state(self.ctx, None)  # e.g. the remembered record is gone: back to the list
            self.inspection_id = None
            self.autosaver.bind(None)
            self.back.emit()
            return
        self._failed(str(exc))

    def _show_header(self, snap: InspectionSnapshot) -> None:
        self.title.setText(snap.target_name or self.tr("Inspection"))
        if snap.finalised:
            self.chip.setText(self.tr("Finalised"))
            self.chip.set_color("#2e7d32")
        else:
            self.chip.setText(self.tr("Draft"))
            self.chip.set_color("#a86400")

    def _show_progress(self) -> None:
        m = self.checklist_model
        self.progress.setText(self.tr("Checked %1 of %2").replace("%1", str(m.answered_count()))
                              .replace("%2", str(m.rowCount())))

    # ---- saving ------------------------------------------------------------------------------------------

    def _saved(self, result: SaveResult | None, _at: object) -> None:
        self.banner.hide()
        if result is not None:
            party = {k.removeprefix("party."): v for k, v in result.problems.items() if k.startswith("party.")}
            if party:
                self.party.validate()
        self.refresh_timer.start()

    def _failed(self, message: str) -> None:
        self.banner_text.setText(message)
        self.banner.show()

    def leave(self) -> None:
        if self.autosaver.failing:  # the edits live only here until the disk takes them again: stay
            self.banner_text.setText(self.tr("Some edits are not saved yet; they are retried automatically. "
                                             "Please stay on this record until they are saved."))
            self.banner.show()
            return
        self.autosaver.flush()
        restore.save_state(self.ctx, None)
        self.inspection_id = None
        self.autosaver.bind(None)
        self.back.emit()

    # ---- focus memory ------------------------------------------------------------------------------------

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.inspection_id and self.isAncestorOf(new) and new.objectName():
            self._remember(new)

    def _remember(self, widget: QWidget | None = None) -> None:
        if not self.inspection_id:
            return
        widget = widget or QApplication.focusWidget()
        name = widget.objectName() if widget is not None and self.isAncestorOf(widget) else ""
        if name == "checklist":
            name = f"checklist:{max(self.checklist.currentIndex().row(), 0)}"
        restore.save_state(self.ctx, self.inspection_id, self.tabs.currentIndex(), name)

    def _focus(self, name: str) -> None:
        widget_name, _, row = name.partition(":")
        widget = self.findChild(QWidget, widget_name)
        if widget is None:
            return
        if widget is self.checklist and row.isdigit():
            self.checklist.setCurrentIndex(self.checklist_model.index(int(row), 2))
        for i in range(self.tabs.count()):
            if (tab := self.tabs.widget(i)) is not None and tab.isAncestorOf(widget):
                self.tabs.setCurrentIndex(i)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- evidence, signatures, finalisation --------------------------------------------------------------

    def evidence_for_item(self, paths: list[Path] | None = None) -> None:
        key = self.checklist_model.key_at(self.checklist.currentIndex().row())
        if key is None or self.snapshot is None or self.snapshot.finalised:
            return
        if not paths:
            files = file_dialogs.open_files(self, self.tr("Evidence for this item"), FILE_FILTER)
            paths = [Path(f) for f in files]
        if paths:
            self.gallery.import_paths(paths, item_key=key)

    def _who(self, role: str) -> str:
        names = {o.id: o.name for o in self.snapshot.officers} if self.snapshot else {}
        return role_label(role, names)

    def ask_signature(self, role: str) -> SignatureDialog:
        dlg = SignatureDialog(self._who(role), self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self.submit_signature(role, dlg.png))
        dlg.open()
        return dlg

    def submit_signature(self, role: str, png: bytes) -> None:
        iid, service = self.inspection_id, self.service
        if iid is None:  # no record open: nothing to sign
            return
        self.autosaver.flush()
        self.ctx.runner.run_store("signature", lambda _j: service.add_signature(iid, role, png),
                                  on_done=lambda _r: self.refresh_timer.start(), on_error=self._action_failed)

    def ask_refusal(self, role: str) -> RefusalDialog:
        witness = str(self.snapshot.witnesses[0].get("name", "")) if self.snapshot and self.snapshot.witnesses else ""
        dlg = RefusalDialog(self._who(role), self, witness=witness)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self.submit_refusal(role, dlg.reason_text, dlg.witness_text))
        dlg.open()
        return dlg

    def submit_refusal(self, role: str, reason: str, witness: str) -> None:
        iid, service = self.inspection_id, self.service
        if iid is None:  # no record open: nothing to refuse
            return
        self.ctx.runner.run_store("refusal", lambda _j: service.refuse_signature(iid, role, reason, witness),
                                  on_done=lambda _r: self.refresh_timer.start(), on_error=self._action_failed)

    def _action_failed(self, exc: BaseException) -> None:
        if isinstance(exc, DomainError):
            self.signing.missing_title.setText(str(exc))
        else:
            self._failed(str(exc))

    def finalise(self) -> None:
        iid, service = self.inspection_id, self.service
        if self.snapshot is None or self.snapshot.finalised or iid is None:
            return
        self.tabs.setCurrentIndex(TAB_SIGN)

        def go() -> None:
            self.ctx.runner.run_store("finalise", lambda _j: service.finalise(iid), on_done=self._finalised,
                                      on_error=self._finalise_failed)

        self.autosaver.flush(on_done=go)

    def _finalised(self, snap: InspectionSnapshot) -> None:
        if self.ctx.sync is not None and hasattr(self.ctx.sync, "sync_now"):
            self.ctx.sync.sync_now()
        self.refresh(full=True)
        if snap.violations():
            self.show_follow_ups()

    def _finalise_failed(self, exc: BaseException) -> None:
        if isinstance(exc, FinaliseRefused):
            self.signing.show_missing(exc.problems, False)
            self.signing.missing.setFocus()
        else:
            self._action_failed(exc)

    def show_follow_ups(self) -> FollowUpDialog | None:
        if self.inspection_id is None:
            return None
        dlg = FollowUpDialog(self.ctx, self.service, self.inspection_id, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        self.follow_up_dialog = dlg
        return dlg
