"""How figures are rounded and written, in one place: the text is written from the very values
that report.json holds, so every number a reader sees can be found there."""

from __future__ import annotations


def pct(rate: float | None) -> float | None:
    """A share (0.0312) as a percentage rounded to 2 decimals (3.12)."""
    return None if rate is None else round(rate * 100, 2) + 0.0


def change_pct(now: float | None, before: float | None) -> float | None:
    if now is None or not before:
        return None
    return round((now / before - 1) * 100, 1) + 0.0


def one(value: float | None) -> float | None:
    return None if value is None else round(value, 1) + 0.0  # + 0.0: never "-0.0"


def show(value: object) -> str:
    """An int with thousands separators; a float exactly as stored (str of the rounded value)."""
    if value is None:
        return "no data"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float) and value == int(value) and abs(value) >= 1000:
        return f"{int(value):,}"
    return str(value)


def signed(value: float | None, unit: str = "%") -> str:
    if value is None:
        return "no comparison"
    return f"{'+' if value > 0 else ''}{show(value)}{unit}"
