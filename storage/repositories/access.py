"""Credential access: requests and grants, decisions, secrets, notices and the audit chain.

Every "exactly once" here is a database constraint or a conditional UPDATE, never a read
followed by a write, so concurrent clicks and job runs settle on a single winner."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import (
    AccessApproval,
    AccessAudit,
    AccessCopy,
    AccessDecision,
    AccessNotice,
    AccessRequest,
    AccessSecret,
    Account,
    Organisation,
)

OPEN = ("pending", "active")


def _insert(session: Session, row: Any) -> bool:
    """Insert in a savepoint; False (and nothing changed) when a unique key already has it."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


# --- accounts --------------------------------------------------------------------------------


def accounts(session: Session) -> Sequence[Account]:
    return session.exec(select(Account).order_by(col(Account.platform), col(Account.handle))).all()


def account(session: Session, account_id: int) -> Account | None:
    return session.get(Account, account_id)


def access_channel(session: Session) -> str | None:
    return session.exec(select(Organisation.access_channel).where(Organisation.id == 1)).first()


# --- requests and grants ---------------------------------------------------------------------


def open_key(account_id: int, requester: str) -> str:
    return f"{account_id}:{requester}"


def insert_request(session: Session, request: AccessRequest) -> bool:
    """False when this person already has an open request for the account (open_key)."""
    request.open_key = open_key(request.account_id, request.requester)
    return _insert(session, request)


def open_request(session: Session, account_id: int, requester: str) -> AccessRequest | None:
    return session.exec(
        select(AccessRequest).where(AccessRequest.open_key == open_key(account_id, requester))
    ).first()


def request(session: Session, request_id: int, *, lock: bool = False) -> AccessRequest | None:
    """With lock, decisions on one request queue up until this transaction ends: PostgreSQL
    holds the row (FOR UPDATE); SQLite, which has no row locks, takes its write lock with a
    no-op update, so what follows is read and written as one unit."""
    query = select(AccessRequest).where(AccessRequest.id == request_id)
    if lock:
        query = query.with_for_update()
        if session.get_bind().dialect.name == "sqlite":
            session.exec(
                update(AccessRequest)
                .where(col(AccessRequest.id) == request_id)
                .values(id=AccessRequest.id)
            )
    session.expire_all()
    return session.exec(query).first()


def transition(
    session: Session, request_id: int, *, from_status: str, to_status: str, **values: Any
) -> bool:
    """Move a request from one status to another; False if someone else moved it first."""
    if to_status not in OPEN:
        values["open_key"] = None
    moved = session.exec(
        update(AccessRequest)
        .where(col(AccessRequest.id) == request_id, col(AccessRequest.status) == from_status)
        .values(status=to_status, **values)
    )
    return bool(moved.rowcount)


def mark_warned(session: Session, request_id: int, now: datetime) -> bool:
    moved = session.exec(
        update(AccessRequest)
        .where(
            col(AccessRequest.id) == request_id,
            col(AccessRequest.status) == "active",
            col(AccessRequest.warned_at).is_(None),
        )
        .values(warned_at=now)
    )
    return bool(moved.rowcount)


def requests_of(session: Session, requester: str, limit: int) -> Sequence[AccessRequest]:
    return session.exec(
        select(AccessRequest)
        .where(AccessRequest.requester == requester)
        .order_by(col(AccessRequest.id).desc())
        .limit(limit)
    ).all()


def open_requests(session: Session, account_ids: Sequence[int]) -> Sequence[AccessRequest]:
    return session.exec(
        select(AccessRequest)
        .where(col(AccessRequest.account_id).in_(account_ids), col(AccessRequest.status).in_(OPEN))
        .order_by(col(AccessRequest.id))
    ).all()


def pending_before(session: Session, requested_before: datetime) -> Sequence[AccessRequest]:
    return session.exec(
        select(AccessRequest).where(
            AccessRequest.status == "pending", col(AccessRequest.requested_at) <= requested_before
        )
    ).all()


def active_ending_by(session: Session, moment: datetime) -> Sequence[AccessRequest]:
    return session.exec(
        select(AccessRequest)
        .where(AccessRequest.status == "active", col(AccessRequest.ends_at) <= moment)
        .order_by(col(AccessRequest.ends_at))
    ).all()


# --- approvals and the decision --------------------------------------------------------------


def add_approval(session: Session, approval: AccessApproval) -> bool:
    return _insert(session, approval)


def approvals(session: Session, request_id: int) -> Sequence[AccessApproval]:
    return session.exec(
        select(AccessApproval)
        .where(AccessApproval.request_id == request_id)
        .order_by(col(AccessApproval.at))
    ).all()


def decide_once(session: Session, decision: AccessDecision) -> AccessDecision | None:
    """Store the decision, or return the one that won (whoever decided first)."""
    if _insert(session, decision):
        return None
    session.expire_all()
    return session.get(AccessDecision, decision.request_id)


def decision(session: Session, request_id: int) -> AccessDecision | None:
    return session.get(AccessDecision, request_id)


# --- where requests were posted --------------------------------------------------------------


def add_copy(session: Session, request_id: int, role: str, channel: str, ts: str) -> None:
    session.add(AccessCopy(request_id=request_id, role=role, channel=channel, ts=ts))


def copies(session: Session, request_id: int, role: str | None = None) -> Sequence[AccessCopy]:
    query = select(AccessCopy).where(AccessCopy.request_id == request_id)
    if role is not None:
        query = query.where(AccessCopy.role == role)
    return session.exec(query.order_by(col(AccessCopy.id))).all()


# --- secrets ---------------------------------------------------------------------------------


def secret(session: Session, account_id: int) -> AccessSecret | None:
    return session.get(AccessSecret, account_id)


def secrets(session: Session) -> Sequence[AccessSecret]:
    return session.exec(select(AccessSecret).order_by(col(AccessSecret.account_id))).all()


def save_secret(session: Session, row: AccessSecret) -> None:
    session.add(row)


def mark_revealed(session: Session, account_id: int, now: datetime) -> None:
    session.exec(
        update(AccessSecret)
        .where(col(AccessSecret.account_id) == account_id, col(AccessSecret.revealed_at).is_(None))
        .values(revealed_at=now)
    )


def rotation_due(session: Session, prompted_before: datetime) -> Sequence[AccessSecret]:
    return session.exec(
        select(AccessSecret).where(
            col(AccessSecret.revealed_at).is_not(None),
            col(AccessSecret.prompted_at).is_(None)
            | (col(AccessSecret.prompted_at) <= prompted_before),
        )
    ).all()


def claim_prompt(
    session: Session, account_id: int, previous: datetime | None, now: datetime
) -> bool:
    """Take this week's rotation prompt; False if another run took it."""
    where = col(AccessSecret.prompted_at)
    moved = session.exec(
        update(AccessSecret)
        .where(
            col(AccessSecret.account_id) == account_id,
            where.is_(None) if previous is None else where == previous,
        )
        .values(prompted_at=now)
    )
    return bool(moved.rowcount)


# --- notices ---------------------------------------------------------------------------------


def add_notice(session: Session, notice: AccessNotice) -> bool:
    return _insert(session, notice)


def pending_notices(session: Session, limit: int = 200) -> Sequence[AccessNotice]:
    return session.exec(
        select(AccessNotice)
        .where(AccessNotice.state == "pending")
        .order_by(col(AccessNotice.id))
        .limit(limit)
    ).all()


def set_notice_state(
    session: Session, notice_id: int, *, from_state: str, to_state: str, now: datetime
) -> bool:
    values: dict[str, Any] = {"state": to_state}
    if to_state == "sent":
        values["sent_at"] = now
    moved = session.exec(
        update(AccessNotice)
        .where(col(AccessNotice.id) == notice_id, col(AccessNotice.state) == from_state)
        .values(**values)
    )
    return bool(moved.rowcount)


# --- the audit log (insert only) -------------------------------------------------------------


def last_audit(session: Session) -> AccessAudit | None:
    return session.exec(select(AccessAudit).order_by(col(AccessAudit.seq).desc()).limit(1)).first()


def append_audit(session: Session, row: AccessAudit) -> bool:
    """False if another writer took this seq first (the caller re-reads the tail and retries)."""
    return _insert(session, row)


def audit_rows(
    session: Session,
    *,
    account: str | None = None,
    since: datetime | None = None,
    kinds: Sequence[str] | None = None,
) -> Sequence[AccessAudit]:
    query = select(AccessAudit)
    if account is not None:
        query = query.where(AccessAudit.account == account)
    if since is not None:
        query = query.where(col(AccessAudit.at) >= since)
    if kinds is not None:
        query = query.where(col(AccessAudit.kind).in_(kinds))
    return session.exec(query.order_by(col(AccessAudit.seq))).all()


def latest_audit(
    session: Session, *, account: str | None, since: datetime | None, limit: int
) -> Sequence[AccessAudit]:
    query = select(AccessAudit)
    if account is not None:
        query = query.where(AccessAudit.account == account)
    if since is not None:
        query = query.where(col(AccessAudit.at) >= since)
    return session.exec(query.order_by(col(AccessAudit.seq).desc()).limit(limit)).all()
