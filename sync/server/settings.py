"""`ServerSettings`: where the reference platform keeps its data and how long tokens and tombstones live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DB_FILE_NAME = "platform.db"


@dataclass
class ServerSettings:
    """Everything `create_app` needs. `db_url` defaults to a SQLite file `platform.db` inside `data_dir`."""

    data_dir: Path
    db_url: str | None = None
    access_ttl: int = 15 * 60  # seconds an access token lives
    refresh_ttl: int = 30 * 24 * 3600  # seconds a refresh token lives
    #: tombstone horizon policy: when set, tombstones older than the last N change sequences are dropped (and
    #: the horizon raised) each time the app starts; None keeps every tombstone until `admin compact` runs.
    tombstone_keep_last: int | None = None
    max_upload_size: int = 4 * 1024**3  # bytes, one evidence file
    max_chunk_size: int = 16 * 1024**2  # bytes, one PATCH body
    busy_timeout_ms: int = 10_000  # SQLite busy_timeout

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{(self.data_dir / DB_FILE_NAME).as_posix()}"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def upload_dir(self) -> Path:
        return self.data_dir / "uploads"

    def ensure_dirs(self) -> None:
        for path in (self.data_dir, self.blob_dir, self.upload_dir):
            path.mkdir(parents=True, exist_ok=True)
