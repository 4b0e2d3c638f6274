"""Drafts, processed events and replies waiting for a slot."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Draft, PendingReply, ProcessedEvent, Slot
from storage.repositories.once import added_once


def latest_version(session: Session, slot_id: int) -> int:
    found = session.exec(select(func.max(Draft.version)).where(Draft.slot_id == slot_id)).one()
    return int(found or 0)


def by_source(session: Session, source_key: str) -> Draft | None:
    return session.exec(select(Draft).where(Draft.source_key == source_key)).first()


def first_time(session: Session, event_id: str, now: datetime) -> bool:
    """Record an Events API delivery; False when it was seen before (a Slack retry)."""
    return added_once(session, ProcessedEvent(event_id=event_id, received_at=now))


def drafts_by(session: Session, user_id: str, limit: int) -> Sequence[tuple[Draft, Slot]]:
    return session.exec(
        select(Draft, Slot)
        .join(Slot, col(Slot.id) == Draft.slot_id)
        .where(Draft.author_id == user_id)
        .order_by(col(Draft.created_at).desc())
        .limit(limit)
    ).all()


def pending(session: Session, pending_id: int) -> PendingReply | None:
    return session.get(PendingReply, pending_id)
