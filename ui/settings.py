"""UI preferences in an INI file inside the data dir (never the user's real profile, never a secret): the last
server URL and username, "remember me", the sync interval, the office time zone, the last folders used in file
dialogs, window geometry and table column layouts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ui.widgets.qtypes import setting_int

DEFAULT_SYNC_INTERVAL_S = 120
FILE_NAME = "ui-settings.ini"


class Settings:
    """A thin typed wrapper over `QSettings(path, IniFormat)`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    @classmethod
    def in_data_dir(cls, root: Path) -> Settings:
        return cls(Path(root) / FILE_NAME)

    # ---- account -------------------------------------------------------------------------------------------

    @property
    def server_url(self) -> str:
        return str(self.qs.value("account/server_url", "") or "")

    @server_url.setter
    def server_url(self, value: str) -> None:
        self.qs.setValue("account/server_url", value)

    @property
    def username(self) -> str:
        return str(self.qs.value("account/username", "") or "")

    @username.setter
    def username(self, value: str) -> None:
        self.qs.setValue("account/username", value)

    @property
    def remember(self) -> bool:
        return _bool(self.qs.value("account/remember", True))

    @remember.setter
    def remember(self, value: bool) -> None:
        self.qs.setValue("account/remember", bool(value))

    @property
    def ca_bundle(self) -> str | None:
        """A CA bundle (PEM file) to trust for the platform's certificate, when the district uses its own CA."""
        value = str(self.qs.value("account/ca_bundle", "") or "").strip()
        return value or None

    # ---- sync ----------------------------------------------------------------------------------------------

    @property
    def sync_interval_s(self) -> int:
        return max(15, setting_int(self.qs, "sync/interval_s", DEFAULT_SYNC_INTERVAL_S))

    @sync_interval_s.setter
    def sync_interval_s(self, value: int) -> None:
        self.qs.setValue("sync/interval_s", int(value))

    # ---- display -------------------------------------------------------------------------------------------

    @property
    def office_zone(self) -> str:
        """The IANA zone every time is shown in (`display/office_zone`, default Asia/Shanghai; app.timefmt)."""
        from app.timefmt import DEFAULT_ZONE

        return str(self.qs.value("display/office_zone", DEFAULT_ZONE) or DEFAULT_ZONE).strip()

    @office_zone.setter
    def office_zone(self, value: str) -> None:
        self.qs.setValue("display/office_zone", value)

    def apply_office_zone(self) -> str:
        """Make `office_zone` the zone of every time on screen; returns the zone in use."""
        from app.timefmt import set_office_zone

        return set_office_zone(self.office_zone)

    # ---- files ---------------------------------------------------------------------------------------------

    def last_dir(self, kind: str) -> str:
        """The folder the user last chose for `kind` ("export", "evidence", …), or "" when none is known."""
        value = str(self.qs.value(f"files/last_dir_{kind}", "") or "")
        return value if value and Path(value).is_dir() else ""

    def set_last_dir(self, kind: str, folder: str) -> None:
        self.qs.setValue(f"files/last_dir_{kind}", folder)

    # ---- layout --------------------------------------------------------------------------------------------

    def bytes_value(self, key: str) -> QByteArray | None:
        value = self.qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_bytes(self, key: str, value: QByteArray) -> None:
        self.qs.setValue(key, value)

    def header_state(self, table: str) -> QByteArray | None:
        return self.bytes_value(f"tables/{table}")

    def set_header_state(self, table: str, state: QByteArray) -> None:
        self.set_bytes(f"tables/{table}", state)

    def value(self, key: str, default: object = None) -> object:
        return self.qs.value(key, default)

    def set_value(self, key: str, value: object) -> None:
        self.qs.setValue(key, value)

    def sync(self) -> None:
        self.qs.sync()


def _bool(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
