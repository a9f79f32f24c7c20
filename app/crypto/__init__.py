"""Encryption at rest: the store's keys (`keys`), the evidence blob format (`blobs`), the one-time migration of a
plaintext data directory (`migrate`) and the wipe after a platform revocation (`keys.wipe`).

The SQLite store itself is encrypted by SQLCipher (`app.db.engine`); docs/encryption.md explains the design."""
