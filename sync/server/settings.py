"""`ServerSettings`: where the reference platform keeps its data and how long tokens and tombstones live."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

DB_FILE_NAME = "platform.db"
ENV_SETTINGS = "LXT_PLATFORM_SETTINGS"  # JSON settings handed to worker processes


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
    busy_timeout_ms: int = 30_000  # SQLite busy_timeout (writers queue behind sqlite_gate before it applies)
    login_failures_per_account: int = 10  # failed sign-ins per account per window before 429
    login_failures_per_address: int = 100  # … per client address (a township office shares one)
    login_window: int = 15 * 60  # seconds
    login_slots: int = 0  # sign-ins hashed at once per process; 0 = half the cores (auth.login_slots)
    upload_max_age: int = 7 * 24 * 3600  # seconds an unfinished upload may sit idle before it is swept
    upload_lease: int = 10 * 60  # seconds one PATCH may hold an upload (a crashed worker's lease expires)
    maintenance_interval: float = 300.0  # seconds between sweeps (expired sessions, uploads, rate limits)

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)

    def to_env(self) -> str:
        """These settings as the JSON a worker process reads back with `from_env`."""
        return json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()})

    @classmethod
    def from_env(cls) -> ServerSettings:
        raw = os.environ.get(ENV_SETTINGS)
        if not raw:
            raise RuntimeError(f"{ENV_SETTINGS} is not set (start the platform with python -m sync.server)")
        return cls(**json.loads(raw))

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
