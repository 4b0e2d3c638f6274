"""Slots and their history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, exists, func, update
from sqlalchemy import select as rows  # several columns at once, typed by SQLAlchemy
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.models import Account, Department, Digest, OutboxItem, Slot, SlotEvent
from storage.status import SlotStatus

# How many reminders reached the slot's present contributor (the job's, Remind again, the
# message a reassignment sends).
REMINDERS_SENT = (
    select(func.count())
    .select_from(OutboxItem)
    .join(Digest, col(Digest.id) == OutboxItem.digest_id)
    .where(
        col(OutboxItem.subject_id) == Slot.id,
        col(OutboxItem.subject) == "slot",
        col(OutboxItem.state) == "sent",
        col(Digest.kind) == "reminder",
        col(Digest.recipient) == Slot.contributor_id,
    )
    .correlate(Slot)
    .scalar_subquery()
)
# What makes an earlier "no reminder could reach them" stale: a new time or a new contributor.
CHANGES_WHO_OR_WHEN = ("moved", "reassigned", "restored")
_NOTED = aliased(SlotEvent)
_CHANGED = aliased(SlotEvent)
_LAST_CHANGE = (
    select(func.max(_CHANGED.id))
    .where(col(_CHANGED.slot_id) == Slot.id, col(_CHANGED.kind).in_(CHANGES_WHO_OR_WHEN))
    .correlate(Slot)
    .scalar_subquery()
)
# Whether the slot, as it is now (since its last move or reassignment), was found too late for
# any reminder to reach its contributor in time.
NOT_REMINDED = exists().where(
    col(_NOTED.slot_id) == Slot.id,
    col(_NOTED.kind) == "not_reminded",
    # Ids, not times: they order events written in the same instant.
    _LAST_CHANGE.is_(None) | (col(_NOTED.id) > _LAST_CHANGE),
)
_SLOTS = Slot.metadata.tables["slot"]  # the Core table, for executemany updates
# The columns every schedule view needs, in one round trip.
_VIEW_COLUMNS = (
    col(Slot.id),
    col(Department.name),
    col(Slot.due_at),
    col(Slot.platform),
    col(Account.handle),
    col(Slot.topic),
    col(Slot.contributor_id),
    col(Slot.status),
    REMINDERS_SENT,
    col(Slot.late_since),
    NOT_REMINDED.correlate(Slot),
)


def by_natural_keys(session: Session, keys: Iterable[str]) -> dict[str, Slot]:
    found: dict[str, Slot] = {}
    key_list = list(keys)
    for start in range(0, len(key_list), 500):
        chunk = key_list[start : start + 500]
        for slot in session.exec(select(Slot).where(col(Slot.natural_key).in_(chunk))):
            found[slot.natural_key] = slot
    return found


def view_rows(
    session: Session,
    *,
    start: datetime,
    end: datetime,
    department_ids: Sequence[int] | None = None,
    contributor_id: str | None = None,
    limit: int | None = None,
) -> Sequence[Any]:
    query = (
        rows(*_VIEW_COLUMNS)
        .join(Department, col(Department.id) == Slot.department_id)
        .outerjoin(Account, col(Account.id) == Slot.account_id)
        .where(col(Slot.due_at) >= start, col(Slot.due_at) < end)
        .order_by(col(Slot.due_at), col(Department.name), col(Slot.id))
    )
    if department_ids is not None:
        query = query.where(col(Slot.department_id).in_(department_ids))
    if contributor_id is not None:
        query = query.where(col(Slot.contributor_id) == contributor_id)
    if limit is not None:
        query = query.limit(limit)
    return session.execute(query).all()


_DONE = (SlotStatus.APPROVED, SlotStatus.PUBLISHED, SlotStatus.CANCELLED)


def attention_rows(
    session: Session, *, department_ids: Sequence[int], since: datetime, limit: int
) -> Sequence[Any]:
    """The view columns of posts that need a coordinator: late (no draft, or not approved by
    their due time) or handed back, due since `since`, soonest first."""
    query = (
        rows(*_VIEW_COLUMNS)
        .join(Department, col(Department.id) == Slot.department_id)
        .outerjoin(Account, col(Account.id) == Slot.account_id)
        .where(
            col(Slot.department_id).in_(list(department_ids)),
            col(Slot.due_at) >= since,
            col(Slot.status).in_((SlotStatus.LATE, SlotStatus.HANDED_BACK))
            | (col(Slot.late_since).is_not(None) & col(Slot.status).notin_(_DONE)),
        )
        .order_by(col(Slot.due_at), col(Slot.id))
        .limit(limit)
    )
    return session.execute(query).all()


def status_counts(
    session: Session, *, start: datetime, end: datetime, department_ids: Sequence[int] | None = None
) -> Sequence[Any]:
    """(department_id, status, count) for slots due in [start, end)."""
    query = (
        select(Slot.department_id, Slot.status, func.count())
        .where(col(Slot.due_at) >= start, col(Slot.due_at) < end)
        .group_by(col(Slot.department_id), col(Slot.status))
    )
    if department_ids is not None:
        query = query.where(col(Slot.department_id).in_(department_ids))
    return session.execute(query).all()


def add_event(
    session: Session, *, slot_id: int, at: datetime, kind: str, actor: str = "", detail: str = ""
) -> None:
    session.add(SlotEvent(slot_id=slot_id, at=at, kind=kind, actor=actor, detail=detail[:500]))


def open_slots(session: Session, slot_ids: Iterable[int] | None) -> Sequence[Any]:
    """(id, department_id, due_at) of slots still waiting for a draft."""
    query = select(Slot.id, Slot.department_id, Slot.due_at).where(
        col(Slot.status) == SlotStatus.PLANNED
    )
    if slot_ids is not None:
        query = query.where(col(Slot.id).in_(list(slot_ids)))
    return session.execute(query).all()


def set_next_nudge(session: Session, moments: dict[int, datetime | None]) -> None:
    if not moments:
        return
    # Core-level executemany: one round trip per batch, no ORM bookkeeping.
    session.connection().execute(
        update(_SLOTS)
        .where(_SLOTS.c.id == bindparam("slot"))
        .values(next_nudge_at=bindparam("at")),
        [{"slot": slot_id, "at": at} for slot_id, at in moments.items()],
    )


def advance_next_nudge(
    session: Session, moments: dict[int, tuple[datetime, datetime | None]]
) -> None:
    """Compare-and-set: slot -> (the `next_nudge_at` read, the new one). A slot whose moment
    changed since it was read (a snooze clicked meanwhile, say) keeps what was written."""
    if not moments:
        return
    table = _SLOTS
    session.connection().execute(
        update(table)
        .where(
            table.c.id == bindparam("slot"),
            table.c.next_nudge_at == bindparam("seen"),
        )
        .values(next_nudge_at=bindparam("at")),
        [{"slot": slot, "seen": seen, "at": at} for slot, (seen, at) in moments.items()],
    )


def advance_one_next_nudge(
    session: Session, slot_id: int, *, seen: datetime, at: datetime | None
) -> bool:
    """The same compare-and-set for one slot; False if its moment changed since it was read."""
    moved = session.exec(
        update(Slot)
        .where(col(Slot.id) == slot_id, col(Slot.next_nudge_at) == seen)
        .values(next_nudge_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(moved.rowcount)


def open_slots_on(
    session: Session, days: set[date], tz: ZoneInfo, now: datetime
) -> list[tuple[int, str, datetime]]:
    """(department_id, topic, due_at) of open future slots due on one of `days` (local)."""
    if not days:
        return []
    start = datetime.combine(min(days), datetime.min.time(), tz)
    end = datetime.combine(max(days) + timedelta(days=1), datetime.min.time(), tz)
    rows = session.exec(
        select(Slot.department_id, Slot.topic, Slot.due_at)
        .where(
            col(Slot.due_at) >= max(start, now),
            col(Slot.due_at) < end,
            col(Slot.status).notin_((SlotStatus.CANCELLED, SlotStatus.PUBLISHED)),
        )
        .order_by(col(Slot.due_at))
    )
    return [(d, t, due) for d, t, due in rows if due.astimezone(tz).date() in days]


def department_export(session: Session, department_id: int) -> Sequence[Any]:
    return session.execute(
        rows(
            col(Slot.id),
            col(Slot.due_at),
            col(Slot.platform),
            col(Account.handle),
            col(Slot.topic),
            col(Slot.contributor_id),
            col(Slot.status),
        )
        .outerjoin(Account, col(Account.id) == Slot.account_id)
        .where(col(Slot.department_id) == department_id)
        .order_by(col(Slot.due_at))
    ).all()


def upcoming_from_rule(
    session: Session, rule_id: int, *, now: datetime, limit: int
) -> Sequence[Any]:
    return session.exec(
        select(Slot.id, Slot.due_at, Slot.contributor_id, Slot.status)
        .where(
            Slot.source == f"rule:{rule_id}",
            col(Slot.due_at) >= now,
            col(Slot.status) != SlotStatus.CANCELLED,
        )
        .order_by(col(Slot.due_at))
        .limit(limit)
    ).all()


def open_for_contributor(
    session: Session, user_id: str, statuses: Iterable[str], limit: int
) -> Sequence[Slot]:
    return session.exec(
        select(Slot)
        .where(Slot.contributor_id == user_id, col(Slot.status).in_(list(statuses)))
        .order_by(col(Slot.due_at))
        .limit(limit)
    ).all()


def history(session: Session, slot_id: int) -> Sequence[SlotEvent]:
    return session.exec(
        select(SlotEvent)
        .where(SlotEvent.slot_id == slot_id)
        .order_by(col(SlotEvent.at), col(SlotEvent.id))
    ).all()


def last_event(session: Session, slot_id: int, kind: str) -> SlotEvent | None:
    return session.exec(
        select(SlotEvent)
        .where(SlotEvent.slot_id == slot_id, SlotEvent.kind == kind)
        .order_by(col(SlotEvent.at).desc(), col(SlotEvent.id).desc())
        .limit(1)
    ).first()


def noted_not_reminded(session: Session, slot_ids: Sequence[int]) -> set[int]:
    """Which of these slots are noted as not reminded since their last move or reassignment."""
    found: set[int] = set()
    for start in range(0, len(slot_ids), 500):
        rows = session.exec(
            select(Slot.id).where(
                col(Slot.id).in_(slot_ids[start : start + 500]), NOT_REMINDED.correlate(Slot)
            )
        ).all()
        found |= {i for i in rows if i is not None}
    return found


def events_by(session: Session, *, actor: str, kind: str, since: datetime) -> list[int]:
    """The slots `actor` did `kind` to since `since`."""
    return sorted(
        set(
            session.exec(
                select(SlotEvent.slot_id).where(
                    SlotEvent.actor == actor, SlotEvent.kind == kind, col(SlotEvent.at) >= since
                )
            ).all()
        )
    )
