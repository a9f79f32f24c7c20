"""The main window's navigation areas, in order. Each is created lazily from `module:Class`, a QWidget subclass
taking `(ctx: AppContext, parent)`. A factory that does not resolve (a renamed module or class) raises."""

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
    icon: str  # resources/icons/<icon>.svg, shown in the navigation list


AREAS: tuple[AreaSpec, ...] = (
    AreaSpec("tasks", "Tasks", "Ctrl+1", "ui.tasks.area:TasksArea", "nav-tasks"),
    AreaSpec("plans", "Plans", "Ctrl+2", "ui.planning.area:PlanningArea", "nav-plans"),
    AreaSpec("inspections", "Inspections", "Ctrl+3", "ui.inspection.area:InspectionArea", "nav-inspections"),
    AreaSpec("documents", "Documents", "Ctrl+4", "ui.documents.area:DocumentsArea", "nav-documents"),
    AreaSpec("stats", "Statistics", "Ctrl+5", "ui.stats.area:StatsArea", "nav-stats"),
    AreaSpec("sync", "Sync", "Ctrl+6", "ui.syncview.area:SyncArea", "nav-sync"),
    AreaSpec("cases", "Cases", "Ctrl+7", "ui.cases.area:CasesArea", "nav-cases"),
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


def load_area_class(spec: AreaSpec) -> Callable[[AppContext, QWidget | None], QWidget]:
    """The area's class (a QWidget subclass constructed as `cls(ctx, parent)`), imported now."""
    module_name, _, cls_name = spec.factory.partition(":")
    cls = getattr(importlib.import_module(module_name), cls_name)
    if not (isinstance(cls, type) and issubclass(cls, QWidget)):
        raise TypeError(f"area {spec.key}: {spec.factory} is not a QWidget subclass")
    return cls
