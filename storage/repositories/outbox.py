"""The outbox: each message the bot sends exactly once, and the items it carries, claimed
before the Slack call and confirmed after."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from storage.models import Digest, OutboxItem
from storage.repositories.slots import set_next_nudge

SLOT = "slot"
PERSON = "person"


def stages_told(session: Session, *, subject: str, subject_id: int, prefix: str) -> set[str]:
    """The stages about this subject starting with `prefix` that are claimed, sent or failed
    (a released or abandoned claim is not here: it may be told again)."""
    return set(
        session.exec(
            select(OutboxItem.stage).where(
                OutboxItem.subject == subject,
                OutboxItem.subject_id == subject_id,
                col(OutboxItem.stage).startswith(prefix),
            )
        ).all()
    )


def told(
    session: Session, *, subject: str, items: Iterable[tuple[int, str]]
) -> set[tuple[int, str]]:
    """Which of these (subject id, stage) are claimed, sent or failed."""
    wanted = set(items)
    found: set[tuple[int, str]] = set()
    ids = sorted({subject_id for subject_id, _ in wanted})
    for start in range(0, len(ids), 500):
        rows = session.exec(
            select(OutboxItem.subject_id, OutboxItem.stage).where(
                OutboxItem.subject == subject,
                col(OutboxItem.subject_id).in_(ids[start : start + 500]),
                col(OutboxItem.stage).in_({stage for _, stage in wanted}),
            )
        ).all()
        found |= {(subject_id, stage) for subject_id, stage in rows} & wanted
    return found


def claim(
    session: Session,
    *,
    key: str,
    kind: str,
    recipient: str,
    items: Iterable[tuple[str, int, str]],
    now: datetime,
    thread_ts: str | None = None,
    job: str | None = None,
) -> int:
    """Record the message and its items (subject, subject id, stage) as "sending". The unique
    triple makes a second claim of any item fail, which the caller treats as "someone else has
    it"."""
    digest = Digest(
        key=key, kind=kind, recipient=recipient, thread_ts=thread_ts, job=job, created_at=now
    )
    session.add(digest)
    session.flush()
    assert digest.id is not None
    for subject, subject_id, stage in items:
        session.add(
            OutboxItem(
                subject=subject,
                subject_id=subject_id,
                stage=stage,
                digest_id=digest.id,
                created_at=now,
            )
        )
    session.flush()
    return digest.id


def confirm(session: Session, digest_id: int, *, channel: str, ts: str, now: datetime) -> None:
    session.exec(
        update(Digest)
        .where(col(Digest.id) == digest_id)
        .values(state="sent", channel=channel, ts=ts, sent_at=now)
    )
    session.exec(
        update(OutboxItem).where(col(OutboxItem.digest_id) == digest_id).values(state="sent")
    )


def fail(session: Session, digest_id: int, *, error: str, release: bool = False) -> None:
    """Slack refused the message. Its items stay told-and-failed, or with `release` are let go,
    so a later attempt can claim them again."""
    session.exec(
        update(Digest).where(col(Digest.id) == digest_id).values(state="failed", error=error[:100])
    )
    if release:
        session.exec(delete(OutboxItem).where(col(OutboxItem.digest_id) == digest_id))
        return
    session.exec(
        update(OutboxItem).where(col(OutboxItem.digest_id) == digest_id).values(state="failed")
    )


def sent_message(
    session: Session, *, subject: str, subject_id: int, stage: str
) -> tuple[str, str] | None:
    """(channel, ts) of the message that told this item, once it is confirmed sent."""
    row = session.exec(
        select(Digest.channel, Digest.ts)
        .join(OutboxItem, col(OutboxItem.digest_id) == Digest.id)
        .where(
            OutboxItem.subject == subject,
            OutboxItem.subject_id == subject_id,
            OutboxItem.stage == stage,
            Digest.state == "sent",
        )
    ).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return row[0], row[1]


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
    """The message never reached Slack: forget its items so they are planned again (a slot's
    next reminder is due now)."""
    settled = session.exec(
        update(Digest)
        .where(col(Digest.id) == digest_id, col(Digest.state) == "sending")
        .values(state="abandoned")
    )
    if not settled.rowcount:
        return  # settled meanwhile (a listener's send, checked by two jobs at once)
    slot_ids = session.exec(
        select(OutboxItem.subject_id).where(
            OutboxItem.digest_id == digest_id, OutboxItem.subject == SLOT
        )
    ).all()
    session.exec(delete(OutboxItem).where(col(OutboxItem.digest_id) == digest_id))
    set_next_nudge(session, dict.fromkeys(slot_ids, now))


def by_message(session: Session, *, channel: str, ts: str) -> Digest | None:
    return session.exec(select(Digest).where(Digest.channel == channel, Digest.ts == ts)).first()


def get(session: Session, digest_id: int) -> Digest | None:
    return session.get(Digest, digest_id)
