"""SQLite engine set-up and Alembic migrations for the local store."""
