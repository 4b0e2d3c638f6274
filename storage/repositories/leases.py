"""Job leases: at most one holder per job name at a time, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from storage.models import JobLease


def acquire(session: Session, *, name: str, holder: str, now: datetime, until: datetime) -> bool:
    """Take the lease if it is free, expired or already ours. Commits on its own."""
    taken = session.exec(  # type: ignore[call-overload]
        update(JobLease)
        .where(
            col(JobLease.name) == name,
            (col(JobLease.expires_at) < now) | (col(JobLease.holder) == holder),
        )
        .values(holder=holder, expires_at=until)
    )
    if taken.rowcount:
        session.commit()
        return True
    try:
        session.add(JobLease(name=name, holder=holder, expires_at=until))
        session.commit()
        return True
    except IntegrityError:
        session.rollback()
        return False


def release(session: Session, *, name: str, holder: str) -> None:
    session.exec(  # type: ignore[call-overload]
        delete(JobLease).where(col(JobLease.name) == name, col(JobLease.holder) == holder)
    )
