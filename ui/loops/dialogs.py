"""The loop dialogs: 干预留痕 (record an intervention, or a correction of one), urgent check-in (响应 / 出发 /
到达, with a typed location or the laptop's), reply to a complainant, and confirming a grid's patrol tier."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from app.loops.complaints import ComplaintService
from app.loops.interventions import CHANNELS, InterventionInput, InterventionService
from app.loops.urgent import UrgentService
from app.planning.patrols import GridTierService
from app.rules.response import Stage
from ui.context import AppContext
from ui.loops.base import SaveDialog, channel_combo, text_box, time_edit


def _aware(edit: Any) -> Any:
    return edit.dateTime().toPython().astimezone()


class InterventionDialog(SaveDialog):
    """干预留痕 in under a minute: name, post, time (now), how (1–5), what was asked, how you answered."""

    def __init__(self, ctx: AppContext, subject_label: str, *, inspection_id: str | None = None,
                 task_id: str | None = None, case_id: str | None = None, corrects: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setWindowTitle(self.tr("Correct an intervention record") if corrects else self.tr("Record an intervention"))
        self.intro.setText(self.tr(
            "Record any intervention in %1 by a leader or anyone outside the procedure. Records cannot be "
            "edited or deleted; a correction is saved as a new record."
        ).replace("%1", subject_label))
        self.subject = {"inspection_id": inspection_id, "task_id": task_id, "case_id": case_id}
        self.corrects_id = corrects.id if corrects else None
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("e.g. 李某"))
        self.post = QLineEdit(self)
        self.post.setPlaceholderText(self.tr("post and unit, e.g. 某局副局长"))
        self.when = time_edit(self)
        self.channel = channel_combo(self, CHANNELS)
        self.request = text_box(self, self.tr("what was asked or suggested"))
        self.response = text_box(self, self.tr("how you answered"))
        self.form.addRow(self.tr("&Who:"), self.name)
        self.form.addRow(self.tr("&Post / unit:"), self.post)
        self.form.addRow(self.tr("W&hen:"), self.when)
        self.form.addRow(self.tr("H&ow:"), self.channel)
        self.form.addRow(self.tr("&What was asked:"), self.request)
        self.form.addRow(self.tr("&Your response:"), self.response)
        if corrects is not None:
            self.name.setText(corrects.intervener_name)
            self.post.setText(corrects.intervener_post)
            self.when.setDateTime(QDateTime(corrects.occurred_at.astimezone()))
            self.channel.setCurrentIndex(max(0, self.channel.findData(corrects.channel)))
            self.request.setPlainText(corrects.request)
            self.response.setPlainText(corrects.response)
        for a, b in ((self.name, self.post), (self.post, self.when), (self.when, self.channel),
                     (self.channel, self.request), (self.request, self.response)):
            QWidget.setTabOrder(a, b)
        self.name.setFocus()

    def job(self) -> Callable[[], Any]:
        value = InterventionInput(
            intervener_name=self.name.text(), intervener_post=self.post.text(), occurred_at=_aware(self.when),
            channel=str(self.channel.currentData()), request=self.request.toPlainText(),
            response=self.response.toPlainText(), corrects_id=self.corrects_id, **self.subject,
        )
        service = InterventionService(self.ctx.store, self.ctx.user)
        return lambda: service.record(value)


def device_location() -> str:
    """The laptop's position if Qt Positioning has a source with a recent fix, else "" (never blocks)."""
    try:
        from PySide6.QtPositioning import QGeoPositionInfoSource
    except ImportError:
        return ""
    source = QGeoPositionInfoSource.createDefaultSource(None)  # type: ignore[call-overload]  # no parent: Python owns and frees it
    if source is None:
        return ""
    info = source.lastKnownPosition()
    if not info.isValid():
        return ""
    c = info.coordinate()
    return f"{c.latitude():.5f}, {c.longitude():.5f}"


class CheckinDialog(SaveDialog):
    """One stage of the urgent response; the time is now (the timer runs from dispatch)."""

    def __init__(self, ctx: AppContext, task_id: str, stage: Stage, task_label: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        labels = {Stage.RESPOND: self.tr("Respond"), Stage.DEPART: self.tr("Depart"), Stage.ARRIVE: self.tr("Arrive")}
        self.setWindowTitle(self.tr("Check in: %1").replace("%1", labels[stage]))
        self.intro.setText(self.tr("Check in for the urgent instruction %1 now.").replace("%1", task_label))
        self.task_id, self.stage = task_id, stage
        self.source = "typed"
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.location = QLineEdit(row)
        self.location.setPlaceholderText(self.tr("optional, e.g. 城南路88号"))
        self.locate = QPushButton(self.tr("From this &laptop"), row)
        line.addWidget(self.location, 1)
        line.addWidget(self.locate)
        self.form.addRow(self.tr("&Location:"), row)
        self.locate.clicked.connect(self._locate)
        self.location.textEdited.connect(lambda _t: setattr(self, "source", "typed"))
        self.location.setFocus()

    def _locate(self) -> None:
        where = device_location()
        if not where:
            self.show_error(self.tr("This laptop has no position available; please type the location."))
            return
        self.location.setText(where)
        self.source = "device"

    def job(self) -> Callable[[], Any]:
        service = UrgentService(self.ctx.store, self.ctx.user)
        location, source, stage, task_id = self.location.text(), self.source, self.stage, self.task_id
        return lambda: service.check_in(task_id, stage, location=location, location_source=source)


class ComplaintReplyDialog(SaveDialog):
    def __init__(self, ctx: AppContext, task_id: str, task_label: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setWindowTitle(self.tr("Reply to the complainant"))
        self.intro.setText(self.tr("Record the reply given to the complainant of %1.").replace("%1", task_label))
        self.task_id = task_id
        self.when = time_edit(self)
        self.channel = channel_combo(self, CHANNELS)
        self.content = text_box(self, self.tr("what the complainant was told"), 96)
        self.form.addRow(self.tr("W&hen:"), self.when)
        self.form.addRow(self.tr("H&ow:"), self.channel)
        self.form.addRow(self.tr("&Content:"), self.content)
        QWidget.setTabOrder(self.when, self.channel)
        QWidget.setTabOrder(self.channel, self.content)
        self.when.setFocus()

    def job(self) -> Callable[[], Any]:
        service = ComplaintService(self.ctx.store, self.ctx.user)
        when, channel, content = _aware(self.when), str(self.channel.currentData()), self.content.toPlainText()
        task_id = self.task_id
        return lambda: service.record_reply(task_id, replied_at=when, channel=channel, content=content)


class TierDialog(SaveDialog):
    """Confirm a grid's patrol tier (the suggested one preselected) and produce next month's patrol plans."""

    def __init__(self, ctx: AppContext, grid_id: str, grid_name: str, current: int | None, suggested: int,
                 tiers: list[tuple[int, str]], score: float, period: tuple[Any, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setWindowTitle(self.tr("Confirm patrol frequency"))
        self.intro.setText(self.tr(
            "Grid %1: current tier %2, suggested tier %3 (score %4). Confirming changes the grid's patrol "
            "frequency and produces next month's patrol plans at that frequency."
        ).replace("%1", grid_name).replace("%2", str(current or "—")).replace("%3", str(suggested))
            .replace("%4", f"{score:.1f}"))
        self.grid_id, self.score, self.period = grid_id, score, period
        self.tier = QComboBox(self)
        for tier, label in tiers:
            self.tier.addItem(f"{tier} {label}", tier)
        self.tier.setCurrentIndex(max(0, self.tier.findData(suggested)))
        self.reason = text_box(self, self.tr("why, e.g. 近三月违法 6 起"))
        self.reason.setPlainText(self.tr("Analysis suggests tier %1 (score %2)").replace("%1", str(suggested))
                                 .replace("%2", f"{score:.1f}"))
        self.form.addRow(self.tr("&Tier:"), self.tier)
        self.form.addRow(self.tr("&Reason:"), self.reason)
        QWidget.setTabOrder(self.tier, self.reason)
        self.tier.setFocus()

    def job(self) -> Callable[[], Any]:
        service = GridTierService(self.ctx.store, self.ctx.user)
        tier, reason, grid_id, score, period = (int(self.tier.currentData()), self.reason.toPlainText(),
                                                self.grid_id, self.score, self.period)
        return lambda: service.apply(grid_id, tier, reason, score=score, period=period)
