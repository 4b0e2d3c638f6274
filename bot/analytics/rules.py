"""Who may import analytics: the people accountable for the measures."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.organisation.roles import Roles


class Refusal(StrEnum):
    NOT_A_COORDINATOR = "not_a_coordinator"


@dataclass(frozen=True)
class Decision:
    ok: bool
    reason: Refusal | None = None


def decide_import(roles: Roles) -> Decision:
    """Overall coordinators and department coordinators (not backups or contributors)."""
    if roles.overall or roles.coordinates:
        return Decision(True)
    return Decision(False, Refusal.NOT_A_COORDINATOR)
