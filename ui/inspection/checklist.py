"""The merged checklist as a keyboard-driven table: arrows move, 1 / 2 / 3 answer 符合 / 不符合 / 不适用 (and
move to the next item), Enter edits the 违法事实 of a violation (the officer's statement of what was found, not
the check point) or the note of any other item, Ctrl+E imports evidence for the item.

`ChecklistModel` shows one row per check item — department (on the first item of each group), the point, the
conclusion, the facts found, the note, the evidence count and the enforcing body — and emits
`answered(key, result)`, `stated(key, fact)` and `noted(key, note)`; the form hands those to the autosaver.
Answers show at once (optimistically).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.inspections.checklist import ChecklistItem
from app.inspections.view import RESULT_LABELS, InspectionSnapshot

COLUMNS = ("Department", "Check item", "Result", "Facts found", "Note", "Evidence", "Enforcing body")
COL_DEPT, COL_ITEM, COL_RESULT, COL_FACT, COL_NOTE, COL_EVIDENCE, COL_BODY = range(7)
KEY_RESULTS = {Qt.Key.Key_1: "compliant", Qt.Key.Key_2: "violation", Qt.Key.Key_3: "not_applicable"}
RESULT_COLORS = {"compliant": QColor("#2e7d32"), "violation": QColor("#c62828"), "not_applicable": QColor("#5f6b7a")}
Index = QModelIndex | QPersistentModelIndex


class ChecklistModel(QAbstractTableModel):
    answered = Signal(str, str)
    noted = Signal(str, str)
    stated = Signal(str, str)  # 违法事实 of a violation

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[ChecklistItem] = []
        self.first_of_group: set[int] = set()
        self.results: dict[str, str] = {}
        self.notes: dict[str, str] = {}
        self.facts: dict[str, str] = {}
        self.evidence: dict[str, int] = {}
        self.locked = False
        self._headers = [self.tr("Department"), self.tr("Check item"), self.tr("Result"), self.tr("Facts found"),
                         self.tr("Note"), self.tr("Evidence"), self.tr("Enforcing body")]

    def load(self, snap: InspectionSnapshot, overlay: dict[str, dict[str, Any]] | None = None) -> None:
        """Show the snapshot; `overlay` holds answers typed but not yet committed (they win). The same items as
        before are updated in place (selection and scroll position stay); a new checklist resets the model."""
        items: list[ChecklistItem] = []
        first: set[int] = set()
        for group in snap.groups:
            first.add(len(items))
            items.extend(group.items)
        results = {k: a.result for k, a in snap.answers.items()}
        notes = {k: a.note for k, a in snap.answers.items()}
        facts = {k: a.fact for k, a in snap.answers.items()}
        for key, values in (overlay or {}).items():
            if "result" in values:
                results[key] = values["result"]
            if "note" in values:
                notes[key] = values["note"]
            if "fact" in values:
                facts[key] = values["fact"]
        by_finding = {a.finding_id: k for k, a in snap.answers.items()}
        evidence: dict[str, int] = {}
        for ev in snap.evidence:
            item = by_finding.get(ev.finding_id or "")
            if item and not ev.voided:
                evidence[item] = evidence.get(item, 0) + 1
        same = [i.key for i in items] == [i.key for i in self.items] and self.locked == snap.finalised
        if not same:
            self.beginResetModel()
        self.items, self.first_of_group = items, first
        self.results, self.notes, self.facts, self.evidence = results, notes, facts, evidence
        self.locked = snap.finalised
        if same:
            if items:
                self.dataChanged.emit(self.index(0, 0), self.index(len(items) - 1, len(COLUMNS) - 1))
        else:
            self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_NOTE and not self.locked:
            base |= Qt.ItemFlag.ItemIsEditable
        if index.column() == COL_FACT and not self.locked and self.is_violation(index.row()):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def is_violation(self, row: int) -> bool:
        return 0 <= row < len(self.items) and self.results.get(self.items[row].key) == "violation"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        col = index.column()
        result = self.results.get(item.key, "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == COL_DEPT:
                return item.department_name if index.row() in self.first_of_group else ""
            if col == COL_ITEM:
                return item.text
            if col == COL_RESULT:
                return RESULT_LABELS.get(result, result)
            if col == COL_NOTE:
                return self.notes.get(item.key, "")
            if col == COL_FACT:
                return self.facts.get(item.key, "") if result == "violation" else ""
            if col == COL_EVIDENCE:
                n = self.evidence.get(item.key, 0)
                return str(n) if n else ""
            if col == COL_BODY:
                return item.body_label
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_RESULT:
            return RESULT_COLORS.get(result, QColor("#a86400"))
        if role == Qt.ItemDataRole.BackgroundRole and col == COL_FACT and result == "violation" and not (
            self.facts.get(item.key, "").strip()
        ):
            return QColor("#fdecea")  # a violation still waiting for its statement of facts
        if role == Qt.ItemDataRole.FontRole and (col == COL_RESULT or (col == COL_DEPT and index.row()
                                                                      in self.first_of_group)):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            matters = "\n".join(f"· {c} {n}" for c, n in zip(item.matter_codes, item.matter_names, strict=True))
            label_matters = self.tr("Matters:")
            label_body = self.tr("In the name of:")
            return f"{item.text}\n{label_matters}\n{matters}\n{label_body} {item.body_label}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{item.text}：{RESULT_LABELS.get(result, result)}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.locked:
            return False
        key = self.items[index.row()].key
        text = str(value or "")
        if index.column() == COL_FACT and self.is_violation(index.row()):
            if self.facts.get(key, "") == text:
                return False
            self.facts[key] = text
            self.dataChanged.emit(index, index)
            self.stated.emit(key, text)
            return True
        if index.column() != COL_NOTE:
            return False
        if self.notes.get(key, "") == text:
            return False
        self.notes[key] = text
        self.dataChanged.emit(index, index)
        self.noted.emit(key, text)
        return True

    def set_result(self, row: int, result: str) -> None:
        if self.locked or not 0 <= row < len(self.items):
            return
        key = self.items[row].key
        self.results[key] = result
        idx = self.index(row, COL_RESULT)
        self.dataChanged.emit(idx, idx)
        self.answered.emit(key, result)

    def key_at(self, row: int) -> str | None:
        return self.items[row].key if 0 <= row < len(self.items) else None

    def answered_count(self) -> int:
        return sum(1 for i in self.items if self.results.get(i.key))


class ChecklistView(QTableView):
    """Keys: 1 符合, 2 不符合, 3 不适用 (then the next item), Enter to edit the facts found (violation) or the
    note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklist")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        self.setToolTip(
            self.tr("Keys: 1 compliant · 2 violation · 3 not applicable · Enter: facts found (violation) or note")
        )

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(COL_DEPT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_ITEM, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_RESULT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_FACT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_NOTE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_EVIDENCE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_BODY, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(COL_FACT, 240)
        self.setColumnWidth(COL_NOTE, 160)
        self.setColumnWidth(COL_BODY, 190)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() == QAbstractItemView.State.EditingState:
            return  # Return from the note editor, which the delegate commits (queued): not a new edit
        model = self.model()
        row = self.currentIndex().row()
        if isinstance(model, ChecklistModel) and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                                                       Qt.KeyboardModifier.KeypadModifier):
            key = Qt.Key(event.key())
            if key in KEY_RESULTS and row >= 0:
                model.set_result(row, KEY_RESULTS[key])
                if row + 1 < model.rowCount():
                    self.setCurrentIndex(model.index(row + 1, COL_RESULT))
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and row >= 0 and not model.locked:
                idx = model.index(row, COL_FACT if model.is_violation(row) else COL_NOTE)
                self.setCurrentIndex(idx)
                self.edit(idx)
                return
        super().keyPressEvent(event)
