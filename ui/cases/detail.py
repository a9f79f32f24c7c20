"""The case view: number, body and party; the stage on the procedure line; the next legal step (and what blocks
it today); every statutory clock with its due date marked due / overdue in words, not colour alone; the case's
documents in order; who reviewed it and with what opinion."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.cases.service import CaseView
from app.documents.lifecycle import DocStatus
from app.rules.case_states import MAIN_LINE, CaseStage
from app.rules.clocks import ClockState
from app.rules.numbering import doc_type_name

STATE_COLOURS = {ClockState.OVERDUE: "#b00020", ClockState.DUE_TODAY: "#b26a00", ClockState.RUNNING: "#1f4e79",
                 ClockState.MET: "#2e7d32"}


class CaseDetail(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.stage_line = QLabel()
        self.next_step = QLabel()
        self.clocks = QLabel()
        self.documents = QLabel()
        self.reviews = QLabel()
        self.warnings = QLabel()
        self.warnings.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        for label in (self.heading, self.stage_line, self.warnings, self.next_step, self.clocks, self.documents,
                      self.reviews):
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addStretch(1)
        self.show_view(None, date.today())

    def show_view(self, view: CaseView | None, today: date) -> None:
        if view is None:
            self.heading.setText(self.tr("Select a case."))
            for label in (self.stage_line, self.next_step, self.clocks, self.documents, self.reviews, self.warnings):
                label.clear()
            return
        case = view.case
        # tr() calls stay outside the f-strings: lupdate does not see a string spelled inside one
        body_word, party_word, rep_word = self.tr("Enforcing body"), self.tr("Party"), self.tr("legal representative")
        self.heading.setText(
            f"<b>{escape(case.number)}</b>　{escape(case.title)}<br>"
            f"{body_word}：{escape(case.body_legal_name)}（{escape(case.body_reason)}）<br>"
            f"{party_word}：{escape(case.party_name)}"
            + (f"（{rep_word} {escape(case.party_legal_rep)}）" if case.party_legal_rep else "")
        )
        line = []
        current = view.stage
        for stage in MAIN_LINE:
            text = escape(stage.label)
            line.append(f"<b>【{text}】</b>" if stage is current else text)
        if current not in MAIN_LINE:
            line.append(f"<b>【{escape(current.label)}】</b>")
        self.stage_line.setText(self.tr("Stage") + "：" + " → ".join(line))
        refused_word = self.tr("Refused by the platform")
        refused = [f"{refused_word}：{escape(r)}" for r in view.refused]
        self.warnings.setText("<br>".join([*(escape(w) for w in view.warnings), *refused]))
        if view.next_step is None or current in (CaseStage.CLOSED,):
            self.next_step.setText(self.tr("Next legal step: none (the case is closed)"))
        else:
            action, blocked = view.next_step
            text = self.tr("Next legal step") + f"：<b>{escape(action.label)}</b>"
            if blocked:
                text += f"<br><span style='color:#b00020'>{escape(blocked)}</span>"
            self.next_step.setText(text)
        rows = []
        for clock in view.clocks:
            state = clock.state(today)
            left = clock.days_left(today)
            when = (self.tr("%1 days left").replace("%1", str(left)) if state is ClockState.RUNNING else "")
            rows.append(
                f"<tr><td>{escape(clock.name)}</td><td>{clock.due.isoformat()}</td>"
                f"<td style='color:{STATE_COLOURS[state]}'><b>{escape(state.label)}</b> {when}</td>"
                f"<td>{escape(clock.basis)}</td></tr>"
            )
        owed_word, clocks_word, draft_word = (self.tr("Late-payment surcharge owed"), self.tr("Clocks"),
                                              self.tr("(draft)"))
        surcharge = (f"<br>{owed_word}：{escape(view.surcharge)} 元" if view.surcharge not in ("0", "0.00") else "")
        self.clocks.setText(f"<b>{clocks_word}</b><table cellspacing='6'>{''.join(rows)}</table>{surcharge}")
        docs = [
            f"{i}. {escape(doc_type_name(d.doc_type))}　{escape(d.number or draft_word)}　"
            f"[{escape(DocStatus(d.status).label)}]"
            for i, d in enumerate(view.documents, 1)
        ]
        self.documents.setText("<b>" + self.tr("Documents") + "</b><br>" + ("<br>".join(docs) or self.tr("none")))
        reviews = [f"{escape(str(r['on']))}　{escape(r['reviewer'])}：<b>{escape(str(r['opinion']))}</b>"
                   + (f"　{escape(r['text'])}" if r.get("text") else "") for r in view.reviews]
        self.reviews.setText("<b>" + self.tr("Legality review") + "</b><br>" + ("<br>".join(reviews) or self.tr("none")))
