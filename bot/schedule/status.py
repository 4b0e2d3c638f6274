"""A slot's lifecycle. The states are stored, so the enum lives with the tables
(`storage.status`); the domain reads it from here."""

from __future__ import annotations

from storage.status import SlotStatus

__all__ = ["SlotStatus"]
