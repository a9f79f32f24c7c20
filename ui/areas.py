"""The main window's navigation areas, in order. Each is created lazily from `module:Class`, a QWidget subclass
taking `(ctx: AppContext, parent)`. An area whose module is not shipped shows an honest empty state."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ui.context import AppContext


@dataclass(frozen=True)
class AreaSpec:
    key: str
    title: str  # English source; shown through QCoreApplication.translate("Areas", …)
    shortcut: str
    factory: str  # "package.module:Class"


AREAS: tuple[AreaSpec, ...] = (
    AreaSpec("tasks", "Tasks", "Ctrl+1", "ui.tasks.area:TasksArea"),
    AreaSpec("plans", "Plans", "Ctrl+2", "ui.planning.area:PlanningArea"),
    AreaSpec("inspections", "Inspections", "Ctrl+3", "ui.inspection.area:InspectionArea"),
    AreaSpec("documents", "Documents", "Ctrl+4", "ui.documents.area:DocumentsArea"),
    AreaSpec("stats", "Statistics", "Ctrl+5", "ui.stats.area:StatsArea"),
    AreaSpec("sync", "Sync", "Ctrl+6", "ui.syncview.area:SyncArea"),
    AreaSpec("cases", "Cases", "Ctrl+7", "ui.cases.area:CasesArea"),
)


def area_title(spec: AreaSpec) -> str:
    return QCoreApplication.translate("Areas", spec.title)


def _titles_for_lupdate() -> tuple[str, ...]:
    """Never called: lets lupdate see the area titles, which are translated at runtime by `area_title`."""
    # spelled out in full: lupdate does not follow an alias such as `tr = QCoreApplication.translate`
    return (
        QCoreApplication.translate("Areas", "Tasks"), QCoreApplication.translate("Areas", "Plans"),
        QCoreApplication.translate("Areas", "Inspections"), QCoreApplication.translate("Areas", "Documents"),
        QCoreApplication.translate("Areas", "Statistics"), QCoreApplication.translate("Areas", "Sync"),
        QCoreApplication.translate("Areas", "Cases"),
    )


def load_area_class(spec: AreaSpec) -> Callable[[AppContext, QWidget | None], QWidget] | None:
    module_name, _, cls_name = spec.factory.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise
    return getattr(module, cls_name)


def create_area(spec: AreaSpec, ctx: AppContext, parent: QWidget | None = None) -> QWidget | None:
    cls = load_area_class(spec)
    return None if cls is None else cls(ctx, parent)
