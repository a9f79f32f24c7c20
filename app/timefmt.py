"""One clock on screen: every stored time is UTC; every time a person sees is in the office's zone.

The office zone is Asia/Shanghai unless the settings name another IANA zone (`set_office_zone`); the laptop's
own system zone never enters (a laptop set to UTC shows the same times as one set to Beijing time). Every view
formats through `fmt()` (and `relative()` for "today 14:05"), so the status bar, sync history, inspection
times, autosave, signatures, draws and the documents list agree. Qt-free: ui and app both use it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"
_FIXED = {DEFAULT_ZONE: timezone(timedelta(hours=8), "CST")}  # when the OS has no tz database (tzdata)

STYLES = {
    "datetime": "%Y-%m-%d %H:%M",
    "seconds": "%Y-%m-%d %H:%M:%S",
    "date": "%Y-%m-%d",
    "time": "%H:%M",
    "time_s": "%H:%M:%S",
    "short": "%m-%d %H:%M",
    "cn_date": "%Y年%m月%d日",
    "cn_datetime": "%Y年%m月%d日 %H:%M",
}


def _load(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _FIXED.get(name)


_zone_name = DEFAULT_ZONE
_zone: tzinfo = _load(DEFAULT_ZONE) or _FIXED[DEFAULT_ZONE]


def set_office_zone(name: str | None) -> str:
    """Use the IANA zone `name` (empty or unknown → Asia/Shanghai); returns the zone in use."""
    global _zone, _zone_name
    zone = _load(name.strip()) if name and name.strip() else None
    if zone is None:
        name, zone = DEFAULT_ZONE, _load(DEFAULT_ZONE) or _FIXED[DEFAULT_ZONE]
    _zone_name, _zone = str(name).strip(), zone
    return _zone_name


def office_zone() -> tzinfo:
    return _zone


def office_zone_name() -> str:
    return _zone_name


def utc(moment: datetime) -> datetime:
    """`moment` as aware UTC (a naive value is taken as UTC, the way the store keeps it)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def to_office(moment: datetime) -> datetime:
    return utc(moment).astimezone(_zone)


def now_office() -> datetime:
    return datetime.now(UTC).astimezone(_zone)


def fmt(moment: datetime | None, style: str = "datetime", empty: str = "") -> str:
    """`moment` in the office zone, in one of STYLES (or a strftime pattern); `empty` for None."""
    if moment is None:
        return empty
    return to_office(moment).strftime(STYLES.get(style, style))


def relative(moment: datetime, now: datetime | None = None, today_word: str = "今天") -> str:
    """"今天 14:05" for today (office zone), else "03-02 14:05" (with the year when it is another year)."""
    local, ref = to_office(moment), to_office(now or datetime.now(UTC))
    if local.date() == ref.date():
        return f"{today_word} {local:%H:%M}"
    return local.strftime("%m-%d %H:%M" if local.year == ref.year else "%Y-%m-%d %H:%M")
