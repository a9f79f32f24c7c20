"""Filling the detail panel's cards: the target, the matters with their enforcing body, evidence, and the
status timeline. Record text is HTML-escaped before it goes into rich-text labels."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from app import timefmt
from app.readmodels.task_detail import EventInfo, EvidenceInfo, MatterInfo, TargetInfo
from ui.widgets.common import Card, form_label, value_label
from ui.widgets.qtypes import clear_layout


def _e(text: str) -> str:
    return html.escape(text or "")


def _rich(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def fill_target(card: Card, target: TargetInfo | None, parent: QWidget) -> None:
    clear_layout(card.body)
    if target is None:
        card.add(
            value_label(
                QCoreApplication.translate(
                    "TaskDetailView", "This instruction names no target (a place or an area)."
                ),
                parent,
            )
        )
        return
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
    form.setHorizontalSpacing(14)
    rows = (
        (
            QCoreApplication.translate("TaskDetailView", "Name"),
            f"{target.name}（{target.kind}）" if target.kind else target.name,
        ),
        (QCoreApplication.translate("TaskDetailView", "Credit code"), target.credit_code),
        (QCoreApplication.translate("TaskDetailView", "Address"), target.address),
        (QCoreApplication.translate("TaskDetailView", "Legal representative"), target.legal_rep),
        (
            QCoreApplication.translate("TaskDetailView", "Contact"),
            " ".join(p for p in (target.contact_name, target.contact_phone) if p),
        ),
        (
            QCoreApplication.translate("TaskDetailView", "Industry / risk"),
            " · ".join(
                p for p in (target.industry, f"{target.risk_grade} 级" if target.risk_grade else "") if p
            ),
        ),
    )
    for label, value in rows:
        form.addRow(form_label(label, parent), value_label(value, parent))
    card.add(form)


def fill_matters(card: Card, matters: list[MatterInfo], township_mode: str, parent: QWidget) -> None:
    clear_layout(card.body)
    if not matters:
        card.add(
            value_label(
                QCoreApplication.translate(
                    "TaskDetailView", "No catalogue matters are attached to this instruction."
                ),
                parent,
            )
        )
        return
    body_label = _e(QCoreApplication.translate("TaskDetailView", "Enforcing body:"))
    for mt in matters:
        if mt.body_kind == "township":
            how = QCoreApplication.translate(
                "TaskDetailView", "in the township's own name (empowered matter)"
            )
        elif mt.body_kind == "department":
            how = (
                QCoreApplication.translate(
                    "TaskDetailView", "in the district department's name (dispatched township)"
                )
                if (mt.reason or township_mode) == "dispatched"
                else QCoreApplication.translate(
                    "TaskDetailView", "in the district department's name (not empowered)"
                )
            )
        else:
            how = ""
        field = f" <span style='color:#5f6b7a'>［{_e(mt.field)}］</span>" if mt.field else ""
        body = (
            (
                f"<br><span style='color:#5f6b7a'>{body_label}</span> "
                f"<b>{_e(mt.body)}</b> <span style='color:#5f6b7a'>{_e(how)}"
                f"{'，' + _e(mt.edition) if mt.edition else ''}</span>"
            )
            if mt.body
            else ""
        )
        note = f"<br><span style='color:#b3261e'>{_e(mt.note)}</span>" if mt.note else ""
        card.add(_rich(f"<b>{_e(mt.code)}</b> {_e(mt.name)}{field}{body}{note}", parent))


def fill_evidence(card: Card, evidence: list[EvidenceInfo], parent: QWidget) -> None:
    clear_layout(card.body)
    card.setVisible(bool(evidence))
    for ev in evidence:
        size = f"{ev.size / 1024:.0f} KB" if ev.size < 1024 * 1024 else f"{ev.size / 1024**2:.1f} MB"
        state = (
            QCoreApplication.translate("TaskDetailView", "uploaded")
            if ev.uploaded
            else QCoreApplication.translate("TaskDetailView", "not uploaded yet")
        )
        card.add(_rich(f"{_e(ev.name)} <span style='color:#5f6b7a'>· {size} · {_e(state)}</span>", parent))


def fill_timeline(card: Card, events: list[EventInfo], parent: QWidget) -> None:
    clear_layout(card.body)
    if not events:
        card.add(value_label(QCoreApplication.translate("TaskDetailView", "No status changes yet."), parent))
        return
    not_synced = _e(QCoreApplication.translate("TaskDetailView", "not synced yet"))
    reason_label = _e(QCoreApplication.translate("TaskDetailView", "Reason:"))
    report_label = _e(QCoreApplication.translate("TaskDetailView", "Report:"))
    for ev in reversed(events):
        when = timefmt.fmt(ev.at)
        unsynced = "" if ev.synced else (f" <span style='color:#a86400'>（{not_synced}）</span>")
        lines = [
            f"<span style='color:#5f6b7a'>{when}</span> &nbsp;<b>{_e(ev.action)}</b> &nbsp;"
            f"{_e(ev.from_status)} → {_e(ev.to_status)}{unsynced}",
            f"<span style='color:#5f6b7a'>{_e(ev.actor)}</span>",
        ]
        if ev.reason:
            lines.append(f"{reason_label} {_e(ev.reason)}")
        if ev.feedback:
            lines.append(f"{report_label} {_e(ev.feedback)}")
        card.add(_rich("<br>".join(lines), parent))
