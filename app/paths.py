"""Where data lives: the per-user data dir from platformdirs, overridable by --data-dir or LXT_DATA_DIR."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

from app import APP_ID

ENV_DATA_DIR = "LXT_DATA_DIR"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def db(self) -> Path:
        return self.root / "lianxuntong.db"

    @property
    def evidence(self) -> Path:
        return self.root / "evidence"

    @property
    def thumbnails(self) -> Path:
        return self.root / "cache" / "thumbnails"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def documents(self) -> Path:
        return self.root / "documents"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    def ensure(self) -> DataPaths:
        for p in (self.root, self.evidence, self.backups, self.logs, self.documents):
            p.mkdir(parents=True, exist_ok=True)
        return self


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> DataPaths:
    """--data-dir wins, then the environment, then the platform's per-user data dir."""
    if explicit:
        return DataPaths(Path(explicit).expanduser().resolve())
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return DataPaths(Path(env).expanduser().resolve())
    return DataPaths(user_data_path(APP_ID, appauthor=False))
