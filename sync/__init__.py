"""Sync with the district command platform: protocol schemas, HTTP transport, sync engine, evidence uploads.

Imports no Qt. `sync.server` is the reference platform (FastAPI) sharing `sync.protocol` and `app.rules`.
"""
