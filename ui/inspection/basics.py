"""The record's basics: start and end time, place, the officers (with the two-certified-officers and recusal
rule shown live as officers are ticked), the statements 出示证件 / 告知回避权利, the on-site responsible person,
witnesses and free observations. Every edit is emitted as `field_changed(name, value)` for the autosaver."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import timefmt
from app.inspections import party as parties
from app.inspections.view import InspectionSnapshot, local_day
from app.rules.officers import OfficerRef, check_team, eligible_inspectors
from ui.inspection.party import FieldRow
from ui.widgets.common import Card

UNSET = QDateTime(2000, 1, 1, 0, 0, 0, 0, QTimeZone(8 * 3600))


def office_qzone() -> QTimeZone:
    """The office zone (app.timefmt) as a QTimeZone; its fixed offset now when Qt lacks the IANA id."""
    zone = QTimeZone(timefmt.office_zone_name().encode())
    if zone.isValid():
        return zone
    offset = timefmt.now_office().utcoffset()
    return QTimeZone(int(offset.total_seconds()) if offset else 8 * 3600)
WITNESS_ROWS = 2


def to_qt(moment: datetime | None) -> QDateTime:
    if moment is None:
        return UNSET
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), office_qzone())


def from_qt(value: QDateTime) -> datetime | None:
    if value <= UNSET:
        return None
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


class TimeEdit(QWidget):
    """A date-time editor (office time zone) that may be empty (未填写), with a 现在 button."""

    changed = Signal(object)

    def __init__(self, name: str, now_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QDateTimeEdit(self)
        self.edit.setObjectName(name)
        self.edit.setTimeZone(office_qzone())
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.edit.setMinimumDateTime(UNSET)
        self.edit.setSpecialValueText(self.tr("not filled in"))
        self.edit.setCalendarPopup(True)
        self.edit.setDateTime(UNSET)
        self.now = QPushButton(now_text, self)
        self.now.setObjectName(name + ".now")
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.now)
        self.edit.dateTimeChanged.connect(lambda v: self.changed.emit(from_qt(v)))
        self.now.clicked.connect(lambda: self.edit.setDateTime(QDateTime.currentDateTime().toTimeZone(office_qzone())))

    def set_value(self, moment: datetime | None) -> None:
        self.edit.blockSignals(True)
        self.edit.setDateTime(to_qt(moment))
        self.edit.blockSignals(False)

    def value(self) -> datetime | None:
        return from_qt(self.edit.dateTime())


class BasicsSection(QWidget):
    field_changed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.refs: dict[str, OfficerRef] = {}
        self.snapshot: InspectionSnapshot | None = None
        self._loading = False
        outer = QHBoxLayout(self)
        left, right = QVBoxLayout(), QVBoxLayout()
        outer.addLayout(left, 1)
        outer.addLayout(right, 1)
        when = Card(self.tr("Time and place"), self)
        form = QFormLayout()
        self.start = TimeEdit("started_at", self.tr("Now"), self)
        self.end = TimeEdit("ended_at", self.tr("&Now"), self)
        self.place = QLineEdit(self)
        self.place.setObjectName("place")
        for label, w in ((self.tr("&Started:"), self.start), (self.tr("&Ended:"), self.end),
                         (self.tr("P&lace:"), self.place)):
            lab = QLabel(label, self)
            lab.setBuddy(w.edit if isinstance(w, TimeEdit) else w)
            form.addRow(lab, w)
        when.add(form)
        left.addWidget(when)
        team = Card(self.tr("Officers"), self)
        self.officers = QListWidget(self)
        self.officers.setObjectName("officers")
        self.officers.setMaximumHeight(120)
        team.add(self.officers)
        self.rule = QLabel(self)
        self.rule.setWordWrap(True)
        self.rule.setTextFormat(Qt.TextFormat.RichText)
        team.add(self.rule)
        self.certificates = QCheckBox(self.tr("&Certificates shown to the party (Art. 55)"), self)
        self.certificates.setObjectName("certificates_shown")
        self.recusal = QCheckBox(self.tr("Party told of the right to ask for &recusal"), self)
        self.recusal.setObjectName("recusal_told")
        team.add(self.certificates)
        team.add(self.recusal)
        left.addWidget(team)
        left.addStretch(1)
        people = Card(self.tr("On-site person and witnesses"), self)
        grid = QGridLayout()
        for col, head in enumerate((self.tr("Name"), self.tr("Phone"), self.tr("ID number"),
                                    self.tr("Position / address")), start=1):
            lab = QLabel(head, self)
            lab.setObjectName("muted")
            grid.addWidget(lab, 0, col)
        self.onsite: dict[str, FieldRow] = {}
        self.witness_rows: list[dict[str, FieldRow]] = []
        rows_spec = [(self.tr("On-site &person:"), "onsite", ("name", "phone", "id_number", "position"))]
        rows_spec += [(self.tr("&Witness %1:").replace("%1", str(i + 1)) if i == 0 else
                       self.tr("Witness %1:").replace("%1", str(i + 1)), f"witness.{i}",
                       ("name", "phone", "id_number", "address")) for i in range(WITNESS_ROWS)]
        for r, (label, prefix, keys) in enumerate(rows_spec, start=1):
            rows: dict[str, FieldRow] = {}
            for col, key in enumerate(keys, start=1):
                edit = QLineEdit(self)
                edit.setObjectName(f"{prefix}.{key}")
                rows[key] = FieldRow(edit, self)
                grid.addWidget(rows[key], r, col)
                target = "onsite_person" if prefix == "onsite" else "witnesses"
                edit.textEdited.connect(lambda _t, t=target: self._people_edited(t))
            lab = QLabel(label, self)
            lab.setBuddy(rows["name"].editor)
            grid.addWidget(lab, r, 0)
            if prefix == "onsite":
                self.onsite = rows
            else:
                self.witness_rows.append(rows)
        people.add(grid)
        right.addWidget(people)
        notes = Card(self.tr("Observations on site"), self)
        self.observations = QPlainTextEdit(self)
        self.observations.setObjectName("observations")
        self.observations.setTabChangesFocus(True)
        self.observations.setPlaceholderText(self.tr("What was seen on site besides the checklist…"))
        notes.add(self.observations)
        right.addWidget(notes, 1)
        self.start.changed.connect(lambda v: self._emit("started_at", v))
        self.end.changed.connect(lambda v: self._emit("ended_at", v))
        self.place.textEdited.connect(lambda t: self._emit("place", t))
        self.certificates.toggled.connect(lambda v: self._emit("certificates_shown", v))
        self.recusal.toggled.connect(lambda v: self._emit("recusal_told", v))
        self.observations.textChanged.connect(lambda: self._emit("observations", self.observations.toPlainText()))
        self.officers.itemChanged.connect(lambda _i: self._officers_edited())

    # ---- loading -----------------------------------------------------------------------------------------

    def set_officer_refs(self, refs: list[OfficerRef]) -> None:
        self.refs = {r.id: r for r in refs}

    def load(self, snap: InspectionSnapshot) -> None:
        self._loading = True
        try:
            self.snapshot = snap
            self.start.set_value(snap.started_at)
            self.end.set_value(snap.ended_at)
            self.place.setText(snap.place)
            self.certificates.setChecked(snap.certificates_shown)
            self.recusal.setChecked(snap.recusal_told)
            self.observations.setPlainText(snap.observations)
            for key, row in self.onsite.items():
                row.line.setText(str(snap.onsite_person.get(key) or ""))
            for i, rows in enumerate(self.witness_rows):
                w = snap.witnesses[i] if i < len(snap.witnesses) else {}
                for key, row in rows.items():
                    row.line.setText(str(w.get(key) or ""))
            self.officers.clear()
            for info in snap.officers:
                self.refs.setdefault(info.id, info.ref)
            order = list(dict.fromkeys([*snap.officer_ids, *self.refs]))
            for oid in order:
                ref = self.refs.get(oid)
                label = f"{ref.name}（{ref.certificate_no or '无执法证'}）" if ref else oid
                item = QListWidgetItem(label, self.officers)
                item.setData(Qt.ItemDataRole.UserRole, oid)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if oid in snap.officer_ids else Qt.CheckState.Unchecked)
            self._show_rule()
            self._validate_people()
            self.set_read_only(snap.finalised)
        finally:
            self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        for w in (self.place, *[r.line for r in self.onsite.values()],
                  *[r.line for rows in self.witness_rows for r in rows.values()]):
            w.setReadOnly(read_only)
        self.observations.setReadOnly(read_only)
        for control in (self.start, self.end, self.certificates, self.recusal, self.officers):
            control.setEnabled(not read_only)

    # ---- values ------------------------------------------------------------------------------------------

    def officer_ids(self) -> list[str]:
        return [self.officers.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.officers.count())
                if self.officers.item(i).checkState() == Qt.CheckState.Checked]

    def onsite_value(self) -> dict[str, Any]:
        return {k: r.line.text() for k, r in self.onsite.items()}

    def witnesses_value(self) -> list[dict[str, Any]]:
        return [{k: r.line.text() for k, r in rows.items()} for rows in self.witness_rows]

    def _emit(self, name: str, value: Any) -> None:
        if not self._loading:
            self.field_changed.emit(name, value)
            if name == "started_at":
                self._show_rule()

    def _officers_edited(self) -> None:
        if self._loading:
            return
        self._show_rule()
        self.field_changed.emit("officer_ids", self.officer_ids())

    def _people_edited(self, name: str) -> None:
        if self._loading:
            return
        self._validate_people()
        self.field_changed.emit(name, self.onsite_value() if name == "onsite_person" else self.witnesses_value())

    def _validate_people(self) -> None:
        day = local_day(self.start.value())
        _p, problems = parties.clean_onsite(self.onsite_value(), today=day)
        for key, row in self.onsite.items():
            row.set_error(problems.get(key))
        for i, rows in enumerate(self.witness_rows):
            _w, probs = parties.clean_person(self.witnesses_value()[i], parties.WITNESS_FIELDS, today=day)
            for key, row in rows.items():
                row.set_error(probs.get(key))

    def _show_rule(self) -> None:
        """The team check, computed here from the officers' certificates and declared interests."""
        snap = self.snapshot
        refs = [self.refs[o] for o in self.officer_ids() if o in self.refs]
        check = check_team(refs, local_day(self.start.value()), snap.target_id if snap else None,
                           matter_fields=snap.matter_fields if snap else frozenset())
        lines = [f"<span style='color:#c62828'>✖ {r}</span>" for r in check.refusals]
        lines += [f"<span style='color:#a86400'>! {w}</span>" for w in check.warnings]
        if check.ok:
            n = len(eligible_inspectors(refs, local_day(self.start.value()), snap.target_id if snap else None))
            text = self.tr("%1 certified officers: the team may inspect").replace("%1", str(n))
            lines.insert(0, f"<span style='color:#2e7d32'>✔ {text}</span>")
        self.rule.setText("<br>".join(lines))
        self.team_check = check
