"""Review threads, draft versions and verdicts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select as rows  # several columns at once, typed by SQLAlchemy
from sqlmodel import Session, col, select

from storage.models import Draft, Review, Slot, Verdict
from storage.status import SlotStatus


def review_of(session: Session, slot_id: int) -> Review | None:
    return session.get(Review, slot_id)


def versions(session: Session, slot_id: int) -> Sequence[Draft]:
    return session.exec(
        select(Draft).where(Draft.slot_id == slot_id).order_by(col(Draft.version))
    ).all()


def verdict_on(session: Session, draft_id: int) -> Verdict | None:
    return session.get(Verdict, draft_id)


def feedback_for(session: Session, author_id: str, limit: int) -> Sequence[tuple[Verdict, Draft]]:
    """Verdicts with a reason on this person's drafts, newest first."""
    return session.exec(
        select(Verdict, Draft)
        .join(Draft, col(Draft.id) == Verdict.draft_id)
        .where(Draft.author_id == author_id, Verdict.reason != "")
        .order_by(col(Verdict.decided_at).desc())
        .limit(limit)
    ).all()


def change_reasons(session: Session, department_ids: list[int], limit: int) -> Sequence[str]:
    """The feedback given when asking for changes in these departments, newest first."""
    from storage.models import Slot

    return session.exec(
        select(Verdict.reason)
        .join(Draft, col(Draft.id) == Verdict.draft_id)
        .join(Slot, col(Slot.id) == Draft.slot_id)
        .where(
            col(Slot.department_id).in_(department_ids),
            Verdict.outcome == "changes_requested",
        )
        .order_by(col(Verdict.decided_at).desc())
        .limit(limit)
    ).all()


def awaiting_decision(session: Session) -> Sequence[tuple[Draft, Review, Slot]]:
    """The latest version of every slot in review that has no verdict yet."""
    rows = session.exec(
        select(Draft, Review, Slot)
        .join(Review, col(Review.slot_id) == Draft.slot_id)
        .join(Slot, col(Slot.id) == Draft.slot_id)
        .where(col(Slot.status) == SlotStatus.IN_REVIEW, col(Draft.review_ts).is_not(None))
        .order_by(col(Draft.slot_id), col(Draft.version))
    ).all()
    latest: dict[int, tuple[Draft, Review, Slot]] = {}
    for draft, review, slot in rows:
        latest[draft.slot_id] = (draft, review, slot)
    return [
        (d, r, s)
        for d, r, s in latest.values()
        if d.id is not None and verdict_on(session, d.id) is None
    ]


def unposted_drafts(session: Session) -> Sequence[int]:
    """Drafts waiting to be posted for review (Slack refused them earlier)."""
    return [
        draft_id
        for draft_id in session.exec(
            select(Draft.id)
            .join(Slot, col(Slot.id) == Draft.slot_id)
            .where(col(Draft.review_ts).is_(None), col(Slot.status) == SlotStatus.DRAFTED)
            .order_by(col(Draft.id))
        )
        if draft_id is not None
    ]


def waiting_threads(
    session: Session, department_ids: Sequence[int], limit: int
) -> Sequence[tuple[int, str, int, str, str]]:
    """(slot id, topic, department id, thread channel, thread ts) of posts in review in these
    departments, the longest waiting (soonest due) first."""
    query = (
        rows(
            col(Slot.id),
            col(Slot.topic),
            col(Slot.department_id),
            col(Review.channel),
            col(Review.root_ts),
        )
        .join(Review, col(Review.slot_id) == Slot.id)
        .where(
            col(Slot.status) == SlotStatus.IN_REVIEW,
            col(Slot.department_id).in_(list(department_ids)),
        )
        .order_by(col(Slot.due_at), col(Slot.id))
        .limit(limit)
    )
    return [(r[0], r[1], r[2], r[3], r[4]) for r in session.execute(query)]
