"""Declarative base, shared column types and mixins for every stored entity."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Integer, MetaData, String, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.dbcommon import UTCDateTime, utcnow

__all__ = ["NAMING", "Base", "IdMixin", "UTCDateTime", "VersionedMixin", "new_id", "utcnow"]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """A globally unique id for records created offline on any laptop."""
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    __table__: ClassVar[Table]  # every model maps one Table (SQLAlchemy types it as any FromClause)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class IdMixin:
    """String primary key: server-issued for platform records, uuid4 for records made on a laptop."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)


class VersionedMixin(IdMixin):
    """A record that syncs: `version` is the platform's version (0 = never acknowledged by the platform)."""

    version: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
