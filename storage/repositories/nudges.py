"""Slots as reminders and escalations see them: what is due, what was told already (the
outbox items whose subject is a slot), what a digest about them shows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import literal, update
from sqlalchemy import select as rows  # several columns at once, typed by SQLAlchemy
from sqlmodel import Session, col, select

from storage.models import Account, Department, Digest, OutboxItem, Slot
from storage.repositories.slots import REMINDERS_SENT
from storage.status import SlotStatus

SLOT = "slot"  # the outbox subject of everything about a slot

OPEN_FOR_REMINDERS = (SlotStatus.PLANNED,)


def reminder_candidates(session: Session, *, now: datetime, limit: int) -> Sequence[Any]:
    """Open slots whose next reminder may be due: only these are read, however big the year.
    Their `next_nudge_at` comes too, for the compare-and-set that writes the next one."""
    return session.execute(
        rows(
            col(Slot.id),
            col(Slot.department_id),
            col(Slot.due_at),
            col(Slot.contributor_id),
            col(Slot.snoozed_until),
            col(Slot.next_nudge_at),
        )
        .where(
            col(Slot.next_nudge_at) <= now,
            col(Slot.status).in_(OPEN_FOR_REMINDERS),
        )
        .order_by(col(Slot.next_nudge_at))
        .limit(limit)
    ).all()


def stages_done(session: Session, slot_ids: Iterable[int]) -> dict[int, set[str]]:
    done: dict[int, set[str]] = defaultdict(set)
    ids = list(slot_ids)
    for start in range(0, len(ids), 500):
        rows = session.exec(
            select(OutboxItem.subject_id, OutboxItem.stage).where(
                OutboxItem.subject == SLOT, col(OutboxItem.subject_id).in_(ids[start : start + 500])
            )
        )
        for slot_id, stage in rows:
            done[slot_id].add(stage)
    return done


def record_skipped(session: Session, skipped: Mapping[int, Iterable[str]], now: datetime) -> None:
    for slot_id, stages in skipped.items():
        for stage in stages:
            session.add(
                OutboxItem(
                    subject=SLOT, subject_id=slot_id, stage=stage, state="skipped", created_at=now
                )
            )


def _item_query(*extra: Any) -> Any:
    return (
        rows(
            col(Slot.id),
            col(Department.name),
            col(Slot.due_at),
            col(Slot.platform),
            col(Account.handle),
            col(Slot.topic),
            col(Slot.contributor_id),
            col(Slot.status),
            col(Slot.snoozed_until),
            col(Slot.department_id),
            REMINDERS_SENT,
            *extra,
        )
        .join(Department, col(Department.id) == Slot.department_id)
        .outerjoin(Account, col(Account.id) == Slot.account_id)
    )


def items_of(session: Session, digest_id: int) -> Sequence[Any]:
    """The slots a digest is about, with what a message about them shows."""
    return session.execute(
        _item_query(col(OutboxItem.stage))
        .join(OutboxItem, (col(OutboxItem.subject_id) == Slot.id) & (OutboxItem.subject == SLOT))
        .where(OutboxItem.digest_id == digest_id)
        .order_by(col(Slot.due_at), col(Slot.id))
    ).all()


def item_of_slot(session: Session, slot_id: int) -> Any:
    return session.execute(_item_query(literal("")).where(col(Slot.id) == slot_id)).first()


def overdue_without_draft(session: Session, *, now: datetime) -> Sequence[Any]:
    """(slot id, department id) of slots past due that never got a draft."""
    return session.exec(
        select(Slot.id, Slot.department_id).where(
            col(Slot.due_at) <= now,
            col(Slot.status).in_((SlotStatus.PLANNED, SlotStatus.HANDED_BACK, SlotStatus.LATE)),
        )
    ).all()


def late_since(session: Session, *, before: datetime) -> Sequence[Any]:
    """(slot id, department id) of late slots due before `before`."""
    return session.exec(
        select(Slot.id, Slot.department_id).where(
            col(Slot.due_at) <= before, col(Slot.status) == SlotStatus.LATE
        )
    ).all()


def mark_late(session: Session, slot_ids: Iterable[int]) -> list[int]:
    """Mark open overdue slots late; returns the ones that were not late before."""
    ids = list(slot_ids)
    newly = list(
        session.exec(
            select(Slot.id).where(col(Slot.id).in_(ids), col(Slot.status) != SlotStatus.LATE)
        )
    )
    if newly:
        session.exec(
            update(Slot)
            .where(col(Slot.id).in_(newly))
            .values(status=SlotStatus.LATE, next_nudge_at=None)
            .execution_options(synchronize_session=False)
        )
    return [i for i in newly if i is not None]


def flag_unapproved_past_due(session: Session, *, now: datetime) -> list[int]:
    """Drafts still not approved when their post fell due: flagged late, once. Returns ids."""
    ids = [
        i
        for i in session.exec(
            select(Slot.id).where(
                col(Slot.due_at) <= now,
                col(Slot.late_since).is_(None),
                col(Slot.status).in_(
                    (SlotStatus.DRAFTED, SlotStatus.IN_REVIEW, SlotStatus.CHANGES_REQUESTED)
                ),
            )
        )
        if i is not None
    ]
    if ids:
        session.exec(
            update(Slot)
            .where(col(Slot.id).in_(ids))
            .values(late_since=now)
            .execution_options(synchronize_session=False)
        )
    return ids


def contributor_thread(session: Session, *, slot_id: int, recipient: str) -> tuple[str, str] | None:
    """The latest message this person had about this slot (a reminder, say): their thread."""
    row = session.exec(
        select(Digest.channel, Digest.ts)
        .join(OutboxItem, col(OutboxItem.digest_id) == Digest.id)
        .where(
            OutboxItem.subject == SLOT,
            OutboxItem.subject_id == slot_id,
            Digest.recipient == recipient,
            Digest.state == "sent",
            Digest.kind == "reminder",
        )
        .order_by(col(Digest.sent_at).desc())
    ).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return row[0], row[1]


def never_reminded(session: Session, slot_ids: Sequence[int], *, now: datetime) -> Sequence[Any]:
    """(slot id, department id, due at, contributor) of these slots that wait for a reminder,
    are not yet due, and have had none."""
    query = rows(
        col(Slot.id), col(Slot.department_id), col(Slot.due_at), col(Slot.contributor_id)
    ).where(col(Slot.status) == SlotStatus.PLANNED, col(Slot.due_at) > now, REMINDERS_SENT == 0)
    found: list[Any] = []
    for start in range(0, len(slot_ids), 500):
        chunk = slot_ids[start : start + 500]
        found += session.execute(query.where(col(Slot.id).in_(chunk))).all()
    return sorted(found, key=lambda r: (r[2], r[0]))
