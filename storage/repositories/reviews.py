"""Review threads, draft versions and verdicts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from storage.models import Draft, Review, Verdict


def review_of(session: Session, slot_id: int) -> Review | None:
    return session.get(Review, slot_id)


def versions(session: Session, slot_id: int) -> Sequence[Draft]:
    return session.exec(
        select(Draft).where(Draft.slot_id == slot_id).order_by(col(Draft.version))
    ).all()


def verdict_on(session: Session, draft_id: int) -> Verdict | None:
    return session.get(Verdict, draft_id)
