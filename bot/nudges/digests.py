"""What a digest message is about, read back from storage (for sending and re-rendering)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.organisation.platforms import Platform
from bot.schedule.status import SlotStatus
from storage.repositories import nudges as repo
from storage.repositories import outbox


@dataclass(frozen=True)
class DigestItem:
    slot_id: int
    department: str
    due_at: datetime
    platform: Platform
    account: str | None
    topic: str
    contributor_id: str
    status: SlotStatus
    snoozed_until: datetime | None
    department_id: int
    reminded: int  # reminders that reached the contributor
    stage: str


def _item(r: Any) -> DigestItem:
    return DigestItem(
        slot_id=r[0],
        department=r[1],
        due_at=r[2],
        platform=Platform(r[3]),
        account=r[4],
        topic=r[5],
        contributor_id=r[6],
        status=SlotStatus(r[7]),
        snoozed_until=r[8],
        department_id=r[9],
        reminded=r[10],
        stage=r[11],
    )


def digest_items(session: Session, digest_id: int) -> list[DigestItem]:
    return [_item(r) for r in repo.items_of(session, digest_id)]


def slot_item(session: Session, slot_id: int) -> DigestItem | None:
    row = repo.item_of_slot(session, slot_id)
    return _item(row) if row is not None else None


def reminder_at(session: Session, channel: str, ts: str) -> tuple[str, list[DigestItem]] | None:
    """The reminder digest posted as this message: its recipient and what it lists."""
    digest = outbox.by_message(session, channel=channel, ts=ts)
    if digest is None or digest.id is None or digest.kind != "reminder":
        return None
    return digest.recipient, digest_items(session, digest.id)


def contributor_thread(session: Session, slot_id: int, recipient: str) -> tuple[str, str] | None:
    """(channel, ts) of the latest reminder this person had about this slot: their thread."""
    return repo.contributor_thread(session, slot_id=slot_id, recipient=recipient)
