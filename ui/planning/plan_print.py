"""Printing of the planner: the notice + merged checklist HTML is built on the store worker
(`app.planning.notice`), then shown in a print preview (GUI thread) or rendered to PDF on an io worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from app.planning.notice import plan_document_html
from ui.planning.printing import print_preview, render_pdf
from ui.widgets import file_dialogs

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.planning.planner import PlanDraft

    _Widget = QWidget  # the mixin is only ever mixed into a widget (JointPlanner)
else:
    _Widget = object


class PlanPrinting(_Widget):
    """Mixin of `JointPlanner`: needs `ctx`, `plan_id`, `draft()`, `status` and `_failed`.

    Its strings are spelled `QCoreApplication.translate("PlanPrinting", …)`: `self.tr` in a mixin looks a string
    up under the class it is mixed into (JointPlanner), where lupdate never puts it, and showed English."""

    ctx: Any
    plan_id: str | None
    status: Any
    plan_title: Any  # () -> str, the plan as a person names it
    if TYPE_CHECKING:
        def draft(self) -> PlanDraft: ...
        def _failed(self, exc: BaseException) -> None: ...

    def _document(self, then: Callable[[str], object]) -> None:
        draft, township = self.draft(), self.ctx.user.township_id or ""
        number = f"计划：{self.plan_title()}" if self.plan_id else None

        def job(_job: object) -> str:
            with self.ctx.store.read() as s:
                return plan_document_html(s, draft, township, number=number)

        self.ctx.runner.run_store("plan document", job, on_done=then, on_error=self._failed)

    def print_preview(self) -> None:
        title = QCoreApplication.translate("PlanPrinting", "Inspection notice and checklist")
        self._document(lambda html: print_preview(html, self, title=title))

    def _ask_pdf(self) -> None:
        path = file_dialogs.save_file(self, QCoreApplication.translate("PlanPrinting", "Export PDF"),
                                      "综合查一次检查通知及检查表.pdf", "PDF (*.pdf)")
        if path:
            self.export_pdf(Path(path))

    def export_pdf(self, path: Path) -> None:
        """HTML from the store on the store worker, then the PDF on an io worker (never the GUI thread)."""
        written = QCoreApplication.translate("PlanPrinting", "PDF written: %1")

        def render(html: str) -> None:
            self.ctx.runner.run_io("plan pdf", lambda job: render_pdf(html, path, title="综合查一次检查通知"),
                                   on_done=lambda p: self.status.setText(written.replace("%1", str(p))),
                                   on_error=self._failed)

        self._document(render)
