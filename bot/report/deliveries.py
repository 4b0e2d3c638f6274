"""Each report is delivered once: a row keyed by what it is (`monthly:2027-01`, or one person's
request), claimed before anything is posted and moved on as each part reaches Slack."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Session

from storage.models_report import ReportDelivery
from storage.repositories import reports as repo


def by_key(session: Session, key: str) -> ReportDelivery | None:
    return repo.by_key(session, key)


def get(session: Session, delivery_id: int) -> ReportDelivery | None:
    return repo.get(session, delivery_id)


def claim_monthly(
    session: Session, *, key: str, month: str, channel: str, now: datetime
) -> int | None:
    """The month's report for the leadership channel; None when another worker has it."""
    return repo.claim(
        session,
        ReportDelivery(
            key=key, kind="monthly", month=month, recipient=channel, state="sending", claimed_at=now
        ),
    )


def queue_request(session: Session, *, month: str, department: str | None, user_id: str) -> None:
    """A report someone asked for, to be made by the worker and sent to their DM."""
    repo.claim(
        session,
        ReportDelivery(
            key=f"request:{uuid.uuid4().hex}",
            kind="request",
            month=month,
            department=department,
            recipient=user_id,
            requested_by=user_id,
            state="queued",
        ),
    )


def pending_requests(session: Session) -> list[ReportDelivery]:
    return repo.pending(session, "request")


def take_queued(session: Session, delivery_id: int, now: datetime) -> bool:
    return repo.take_queued(session, delivery_id, now)


def set_state(session: Session, delivery_id: int, **fields: Any) -> None:
    repo.set_state(session, delivery_id, **fields)
