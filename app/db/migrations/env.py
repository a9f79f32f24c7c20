"""Alembic environment: runs migrations on the connection handed over by app.db.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from app.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from app.db.engine import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url", "").removeprefix("sqlite:///"))
        with engine.connect() as conn:
            _migrate(conn)
        return
    _migrate(connection)


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
