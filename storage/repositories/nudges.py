"""Digests and the (slot, stage) nudges they carry."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, literal, update
from sqlmodel import Session, col, select

from storage.models import Account, Department, Digest, Nudge, Slot
from storage.repositories.slots import set_next_nudge

OPEN_FOR_REMINDERS = ("planned",)


def reminder_candidates(session: Session, *, now: datetime, limit: int) -> Sequence[Any]:
    """Open slots whose next reminder may be due: only these are read, however big the year.
    Their `next_nudge_at` comes too, for the compare-and-set that writes the next one."""
    return session.exec(
        select(
            Slot.id,
            Slot.department_id,
            Slot.due_at,
            Slot.contributor_id,
            Slot.snoozed_until,
            Slot.next_nudge_at,
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
            select(Nudge.slot_id, Nudge.stage).where(
                col(Nudge.slot_id).in_(ids[start : start + 500])
            )
        )
        for slot_id, stage in rows:
            done[slot_id].add(stage)
    return done


def record_skipped(session: Session, skipped: dict[int, Iterable[str]], now: datetime) -> None:
    for slot_id, stages in skipped.items():
        for stage in stages:
            session.add(Nudge(slot_id=slot_id, stage=stage, state="skipped", created_at=now))


def claim(
    session: Session,
    *,
    key: str,
    kind: str,
    recipient: str,
    items: Iterable[tuple[int, str]],
    now: datetime,
    thread_ts: str | None = None,
    job: str | None = None,
) -> int:
    """Record the digest and its nudges as "sending". The unique (slot, stage) pair makes a
    second claim of any item fail, which the caller treats as "someone else has it"."""
    digest = Digest(
        key=key, kind=kind, recipient=recipient, thread_ts=thread_ts, job=job, created_at=now
    )
    session.add(digest)
    session.flush()
    assert digest.id is not None
    for slot_id, stage in items:
        session.add(Nudge(slot_id=slot_id, stage=stage, digest_id=digest.id, created_at=now))
    session.flush()
    return digest.id


def confirm(session: Session, digest_id: int, *, channel: str, ts: str, now: datetime) -> None:
    session.exec(  # type: ignore[call-overload]
        update(Digest)
        .where(col(Digest.id) == digest_id)
        .values(state="sent", channel=channel, ts=ts, sent_at=now)
    )
    session.exec(  # type: ignore[call-overload]
        update(Nudge).where(col(Nudge.digest_id) == digest_id).values(state="sent")
    )


def fail(session: Session, digest_id: int, *, error: str) -> None:
    session.exec(  # type: ignore[call-overload]
        update(Digest).where(col(Digest.id) == digest_id).values(state="failed", error=error[:100])
    )
    session.exec(  # type: ignore[call-overload]
        update(Nudge).where(col(Nudge.digest_id) == digest_id).values(state="failed")
    )


def in_doubt(session: Session, *, job: str, listener_claimed_before: datetime) -> Sequence[Digest]:
    """Digests claimed but never confirmed that nobody alive can still be sending: every one
    claimed by a run of `job` (the caller holds that job's lock), and listeners' sends claimed
    before `listener_claimed_before`."""
    return session.exec(
        select(Digest).where(
            Digest.state == "sending",
            (col(Digest.job) == job)
            | (col(Digest.job).is_(None) & (col(Digest.created_at) < listener_claimed_before)),
        )
    ).all()


def abandon(session: Session, digest_id: int, now: datetime) -> None:
    """The message never reached Slack: forget its nudges so they are planned again."""
    settled = session.exec(  # type: ignore[call-overload]
        update(Digest)
        .where(col(Digest.id) == digest_id, col(Digest.state) == "sending")
        .values(state="abandoned")
    )
    if not settled.rowcount:
        return  # settled meanwhile (a listener's send, checked by two jobs at once)
    slot_ids = session.exec(select(Nudge.slot_id).where(Nudge.digest_id == digest_id)).all()
    session.exec(delete(Nudge).where(col(Nudge.digest_id) == digest_id))  # type: ignore[call-overload]
    set_next_nudge(session, dict.fromkeys(slot_ids, now))


def by_message(session: Session, *, channel: str, ts: str) -> Digest | None:
    return session.exec(select(Digest).where(Digest.channel == channel, Digest.ts == ts)).first()


def get(session: Session, digest_id: int) -> Digest | None:
    return session.get(Digest, digest_id)


def _item_query(*extra: Any) -> Any:
    return (
        select(
            Slot.id,
            Department.name,
            Slot.due_at,
            Slot.platform,
            Account.handle,
            Slot.topic,
            Slot.contributor_id,
            Slot.status,
            Slot.snoozed_until,
            *extra,
        )
        .join(Department, col(Department.id) == Slot.department_id)
        .outerjoin(Account, col(Account.id) == Slot.account_id)
    )


def items_of(session: Session, digest_id: int) -> Sequence[Any]:
    """The slots a digest is about, with what a message about them shows."""
    return session.exec(
        _item_query(Nudge.stage)
        .join(Nudge, col(Nudge.slot_id) == Slot.id)
        .where(Nudge.digest_id == digest_id)
        .order_by(col(Slot.due_at), col(Slot.id))
    ).all()


def item_of_slot(session: Session, slot_id: int) -> Any:
    return session.exec(_item_query(literal("")).where(col(Slot.id) == slot_id)).first()


def overdue_without_draft(session: Session, *, now: datetime) -> Sequence[Any]:
    """(slot id, department id) of slots past due that never got a draft."""
    return session.exec(
        select(Slot.id, Slot.department_id).where(
            col(Slot.due_at) <= now, col(Slot.status).in_(("planned", "handed_back", "late"))
        )
    ).all()


def late_since(session: Session, *, before: datetime) -> Sequence[Any]:
    """(slot id, department id) of late slots due before `before`."""
    return session.exec(
        select(Slot.id, Slot.department_id).where(
            col(Slot.due_at) <= before, col(Slot.status) == "late"
        )
    ).all()


def mark_late(session: Session, slot_ids: Iterable[int]) -> list[int]:
    """Mark open overdue slots late; returns the ones that were not late before."""
    ids = list(slot_ids)
    newly = list(
        session.exec(select(Slot.id).where(col(Slot.id).in_(ids), col(Slot.status) != "late"))
    )
    if newly:
        session.exec(  # type: ignore[call-overload]
            update(Slot)
            .where(col(Slot.id).in_(newly))
            .values(status="late", next_nudge_at=None)
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
                col(Slot.status).in_(("drafted", "in_review", "changes_requested")),
            )
        )
        if i is not None
    ]
    if ids:
        session.exec(  # type: ignore[call-overload]
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
        .join(Nudge, col(Nudge.digest_id) == Digest.id)
        .where(
            Nudge.slot_id == slot_id,
            Digest.recipient == recipient,
            Digest.state == "sent",
            Digest.kind == "reminder",
        )
        .order_by(col(Digest.sent_at).desc())
    ).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return row[0], row[1]
