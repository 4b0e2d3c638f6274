"""Reading one cell: counts written as text or floats, dates as the platforms write them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from bot.analytics.records import CellError

MAX_COUNT = 10**15
BLANK = ("", "-", "--", "n/a", "N/A")


def text(value: Any) -> str:
    """Any cell as text, without NUL bytes (which PostgreSQL refuses)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\x00", "").strip()


def count(value: Any) -> int | None:
    """A count: 12, "12", "1,234", "1777.0" (old X exports); blank or "-" is unknown."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"{value!r} is not a whole number")
        number = int(value)
    else:
        raw = str(value).strip()
        if raw in BLANK:
            return None
        cleaned = raw.replace(",", "").replace("\u00a0", "").replace(" ", "")
        try:
            number = int(cleaned)
        except ValueError:
            try:
                as_float = float(cleaned)
            except ValueError:
                raise CellError(f"{_show(raw)} is not a number") from None
            if not as_float.is_integer():
                raise CellError(f"{_show(raw)} is not a whole number") from None
            number = int(as_float)
    if number < 0:
        raise CellError(f"{number} is negative")
    if number > MAX_COUNT:
        raise CellError(f"{number} is too large to be a count")
    return number


def mdy(value: Any) -> date:
    """MM/DD/YYYY or M/D/YYYY as text (LinkedIn), or a spreadsheet date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    parts = raw.split("/")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
        try:
            return date(int(parts[2]), int(parts[0]), int(parts[1]))
        except ValueError:
            pass
    raise CellError(f"{_show(raw)} is not a date like 11/30/2026")


def mdy_hm(value: Any) -> datetime:
    """`MM/DD/YYYY HH:MM` (Meta's publish time), naive: in the account's local time."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    raw = text(value)
    day_part, _, time_part = raw.partition(" ")
    hours, _, minutes = time_part.strip().partition(":")
    if hours.isdigit() and minutes.isdigit():
        try:
            return datetime.combine(mdy(day_part), time(int(hours), int(minutes)))
        except (CellError, ValueError):
            pass
    raise CellError(f"{_show(raw)} is not a time like 09/01/2026 14:30")


def iso_day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CellError(f"{_show(raw)} is not a date like 2026-09-01") from None


def utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _show(raw: str) -> str:
    return repr(raw[:40] + ("…" if len(raw) > 40 else ""))
