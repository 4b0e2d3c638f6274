"""A slot's story, as plain values: what `/social history #id` shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.organisation.platforms import Platform
from bot.schedule.status import SlotStatus
from storage.models import Slot
from storage.repositories import slots as repo


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    kind: str
    actor: str
    detail: str


@dataclass(frozen=True)
class SlotHistory:
    slot_id: int
    topic: str
    platform: Platform
    due_at: datetime
    contributor_id: str
    department_id: int
    status: SlotStatus
    events: tuple[HistoryEvent, ...]


def slot_history(session: Session, slot_id: int) -> SlotHistory | None:
    slot = session.get(Slot, slot_id)
    if slot is None:
        return None
    events = tuple(
        HistoryEvent(e.at, e.kind, e.actor, e.detail) for e in repo.history(session, slot_id)
    )
    return SlotHistory(
        slot_id=slot_id,
        topic=slot.topic,
        platform=Platform(slot.platform),
        due_at=slot.due_at,
        contributor_id=slot.contributor_id,
        department_id=slot.department_id,
        status=SlotStatus(slot.status),
        events=events,
    )
