"""Alembic migration environment of the local store (run programmatically by app.db.migrate)."""
