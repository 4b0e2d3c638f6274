"""A clock that stands still until told to move: for tests and the demo."""

from __future__ import annotations

from datetime import datetime, timedelta


class FixedClock:
    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.value = now

    def __call__(self) -> datetime:
        return self.value

    def set(self, now: datetime) -> None:
        self.value = now

    def advance(self, delta: timedelta) -> None:
        self.value += delta
