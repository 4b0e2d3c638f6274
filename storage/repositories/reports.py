"""The monthly report's SQL: what it reads (posts, account days, slots, reviews, goals) and its
deliveries, each claimed once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col
from sqlmodel import select as select_rows

from storage.models import Account, Department, Draft, Slot, SlotEvent, Verdict
from storage.models_analytics import Goal, MetricDay, MetricPost
from storage.models_report import ReportDelivery

# --- what the report reads --------------------------------------------------------------------


def accounts(session: Session) -> list[tuple[int, str, str, str, str | None]]:
    """(id, platform, handle, kind, department name) of every active account."""
    rows = session.execute(
        select(
            col(Account.id),
            col(Account.platform),
            col(Account.handle),
            col(Account.kind),
            col(Department.name),
        )
        .outerjoin(Department, col(Department.id) == col(Account.department_id))
        .where(col(Account.active))
        .order_by(col(Account.kind).desc(), col(Account.platform), col(Account.handle))
    )
    return [tuple(r) for r in rows]


def posts(
    session: Session, account_ids: Sequence[int], start: datetime, end: datetime
) -> list[Any]:
    """Posts published in [start, end) with the department of the slot they fulfil."""
    if not account_ids:
        return []
    query = (
        select(
            col(MetricPost.account_id),
            col(MetricPost.published_at),
            col(MetricPost.time_known),
            col(MetricPost.format),
            col(MetricPost.impressions),
            col(MetricPost.reach),
            col(MetricPost.interactions),
            col(MetricPost.clicks),
            col(MetricPost.url),
            col(MetricPost.text),
            col(Department.name),
        )
        .outerjoin(Slot, col(Slot.id) == col(MetricPost.slot_id))
        .outerjoin(Department, col(Department.id) == col(Slot.department_id))
        .where(
            col(MetricPost.account_id).in_(list(account_ids)),
            col(MetricPost.published_at) >= start,
            col(MetricPost.published_at) < end,
        )
    )
    return list(session.connection().execute(query))


def account_days(session: Session, account_ids: Sequence[int], start: date, end: date) -> list[Any]:
    if not account_ids:
        return []
    query = select(
        col(MetricDay.account_id),
        col(MetricDay.day),
        col(MetricDay.impressions),
        col(MetricDay.followers),
        col(MetricDay.followers_gained),
    ).where(
        col(MetricDay.account_id).in_(list(account_ids)),
        col(MetricDay.day) >= start,
        col(MetricDay.day) < end,
    )
    return list(session.connection().execute(query))


def slots_due(session: Session, start: datetime, end: datetime) -> list[Any]:
    """(department, due_at, status, first 'published' event) of slots due in [start, end)."""
    published = (
        select(col(SlotEvent.slot_id), func.min(col(SlotEvent.at)).label("at"))
        .where(col(SlotEvent.kind) == "published")
        .group_by(col(SlotEvent.slot_id))
        .subquery()
    )
    query = (
        select(col(Department.name), col(Slot.due_at), col(Slot.status), published.c.at)
        .join(Department, col(Department.id) == col(Slot.department_id))
        .outerjoin(published, published.c.slot_id == col(Slot.id))
        .where(col(Slot.due_at) >= start, col(Slot.due_at) < end)
    )
    return list(session.connection().execute(query))


def reviews(session: Session, start: datetime, end: datetime) -> list[Any]:
    """(department, reviewer, submitted, decided) of department decisions made in [start, end)."""
    query = (
        select(
            col(Department.name),
            col(Verdict.decided_by),
            func.coalesce(col(Draft.posted_at), col(Draft.created_at)),
            col(Verdict.decided_at),
        )
        .join(Draft, col(Draft.id) == col(Verdict.draft_id))
        .join(Slot, col(Slot.id) == col(Draft.slot_id))
        .join(Department, col(Department.id) == col(Slot.department_id))
        .where(col(Verdict.decided_at) >= start, col(Verdict.decided_at) < end)
    )
    return list(session.connection().execute(query))


def goals(session: Session) -> list[tuple[int | None, str, float]]:
    rows = session.connection().execute(
        select(col(Goal.account_id), col(Goal.measure), col(Goal.target))
    )
    return [(r[0], r[1], r[2]) for r in rows]


def department_names(session: Session) -> list[str]:
    rows = session.connection().execute(
        select(col(Department.name)).where(col(Department.active)).order_by(col(Department.name))
    )
    return [r[0] for r in rows]


# --- deliveries -------------------------------------------------------------------------------


def claim(session: Session, row: ReportDelivery) -> int | None:
    """Insert the delivery; None when its key is already taken (someone else has it).
    Commits on its own, so the claim is visible to every other worker at once."""
    try:
        session.add(row)
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    assert row.id is not None
    return row.id


def by_key(session: Session, key: str) -> ReportDelivery | None:
    return session.exec(select_rows(ReportDelivery).where(col(ReportDelivery.key) == key)).first()


def get(session: Session, delivery_id: int) -> ReportDelivery | None:
    return session.get(ReportDelivery, delivery_id)


def take_queued(session: Session, delivery_id: int, now: datetime) -> bool:
    """queued → sending, for exactly one worker."""
    taken = session.exec(
        update(ReportDelivery)
        .where(col(ReportDelivery.id) == delivery_id, col(ReportDelivery.state) == "queued")
        .values(state="sending", claimed_at=now)
    )
    session.commit()
    return bool(taken.rowcount)


def pending(session: Session, kind: str) -> list[ReportDelivery]:
    """Deliveries of `kind` not finished: queued, sending (maybe in doubt) or posted."""
    return list(
        session.exec(
            select_rows(ReportDelivery)
            .where(
                col(ReportDelivery.kind) == kind,
                col(ReportDelivery.state).in_(("queued", "sending", "posted")),
            )
            .order_by(col(ReportDelivery.id))
        ).all()
    )


def set_state(session: Session, delivery_id: int, **fields: Any) -> None:
    session.exec(
        update(ReportDelivery).where(col(ReportDelivery.id) == delivery_id).values(**fields)
    )
