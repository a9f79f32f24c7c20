"""Bring a platform database written by an earlier version up to the current tables (the platform's schema is
not Alembic-managed: `init_db` creates what is missing and this module adapts what changed).

- `changes` keyed by `seq` (v1) → keyed by `id` with `seq` assigned at commit: the rows are copied with
  id = seq, so every cursor a laptop holds stays valid.
- `uploads` gains `touched_at`, `lease_token`, `lease_until`; `sessions` gains its expiry index.
Absolute blob paths of v1 keep working (the blob store resolves an absolute key as it is).
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text


def upgrade_legacy_schema(engine: Engine) -> None:
    """Idempotent; does nothing on a new or current database."""
    from sync.server.storage import ChangeRow, DeviceSession, Upload

    names = set(inspect(engine).get_table_names())
    if "changes" in names and "id" not in {c["name"] for c in inspect(engine).get_columns("changes")}:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE changes RENAME TO changes_v1"))
            for index in inspect(conn).get_indexes("changes_v1"):
                if index["name"] and not index["name"].startswith("sqlite_"):
                    conn.execute(text(f'DROP INDEX IF EXISTS "{index["name"]}"'))
            if engine.dialect.name == "postgresql":
                conn.execute(text("ALTER TABLE changes_v1 DROP CONSTRAINT IF EXISTS changes_pkey"))
                conn.execute(
                    text(
                        "ALTER TABLE changes_v1 DROP CONSTRAINT IF EXISTS "
                        "changes_entity_entity_id_township_key_key"
                    )
                )
            ChangeRow.__table__.create(conn)
            cols = "entity, entity_id, township_id, township_key, op, version, at"
            conn.execute(text(f"INSERT INTO changes (id, seq, {cols}) SELECT seq, seq, {cols} FROM changes_v1"))
            conn.execute(text("DROP TABLE changes_v1"))
            if engine.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT setval(pg_get_serial_sequence('changes', 'id'), COALESCE(MAX(id), 1)) FROM changes")
                )
    if "uploads" in names:
        have = {c["name"] for c in inspect(engine).get_columns("uploads")}
        with engine.begin() as conn:
            for column in ("touched_at", "lease_token", "lease_until"):
                if column not in have:
                    kind = Upload.__table__.c[column].type.compile(engine.dialect)
                    conn.execute(text(f"ALTER TABLE uploads ADD COLUMN {column} {kind}"))
            if "touched_at" not in have:
                conn.execute(text("UPDATE uploads SET touched_at = created_at"))
    if "sessions" in names:
        for wanted in DeviceSession.__table__.indexes | Upload.__table__.indexes:
            wanted.create(engine, checkfirst=True)
