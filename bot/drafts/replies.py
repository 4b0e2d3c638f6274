"""Drafts sent as a reply in a reminder's thread."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from bot.decisions import Decision, refuse
from bot.drafts.service import (
    OPEN_FOR_DRAFTS,
    DraftInput,
    Refusal,
    Submitted,
    submit_draft,
)
from bot.nudges.digests import DigestItem, digest_items
from storage.models import PendingReply
from storage.repositories import drafts as repo
from storage.repositories import once, outbox


class ReplyKind(StrEnum):
    IGNORED = "ignored"  # not a reply to one of this person's reminders
    DUPLICATE = "duplicate"  # the same delivery again (Slack retried)
    SUBMITTED = "submitted"
    ASK = "ask"  # the digest lists several open slots: which one is it for?
    NOTHING_OPEN = "nothing_open"
    REFUSED = "refused"


@dataclass(frozen=True)
class Reply:
    channel: str
    thread_ts: str
    ts: str
    user_id: str
    text: str
    files: tuple[dict[str, str], ...] = ()

    @property
    def source_key(self) -> str:
        return f"{self.channel}:{self.ts}"


@dataclass(frozen=True)
class ReplyOutcome:
    kind: ReplyKind
    submitted: Submitted | None = None
    item: DigestItem | None = None
    options: tuple[DigestItem, ...] = field(default=())
    pending_id: int | None = None
    refusal: Decision[Refusal] | None = None


def first_delivery(session: Session, event_id: str, now: datetime) -> bool:
    """A direct message that is not a reply to a reminder: False when Slack sent it before."""
    return repo.first_time(session, event_id, now)


def receive_reply(*, session: Session, event_id: str, reply: Reply, now: datetime) -> ReplyOutcome:
    if not repo.first_time(session, event_id, now):
        return ReplyOutcome(ReplyKind.DUPLICATE)
    digest = outbox.by_message(session, channel=reply.channel, ts=reply.thread_ts)
    if (
        digest is None
        or digest.id is None
        or digest.recipient != reply.user_id
        or digest.kind != "reminder"  # escalations and reports are not asking for a draft
    ):
        return ReplyOutcome(ReplyKind.IGNORED)
    open_items = [
        i
        for i in digest_items(session, digest.id)
        if i.contributor_id == reply.user_id and i.status in OPEN_FOR_DRAFTS
    ]
    if not open_items:
        return ReplyOutcome(ReplyKind.NOTHING_OPEN)
    if len(open_items) == 1:
        return _submit(session, open_items[0], reply, now)
    pending = PendingReply(
        digest_id=digest.id,
        user_id=reply.user_id,
        source_key=reply.source_key,
        text=reply.text,
        files=json.dumps(list(reply.files)),
        created_at=now,
    )
    if not once.added_once(session, pending):
        return ReplyOutcome(ReplyKind.DUPLICATE)
    return ReplyOutcome(ReplyKind.ASK, options=tuple(open_items), pending_id=pending.id)


def _submit(session: Session, item: DigestItem, reply: Reply, now: datetime) -> ReplyOutcome:
    result = submit_draft(
        session=session,
        slot_id=item.slot_id,
        author_id=reply.user_id,
        draft=DraftInput(text=reply.text, files=reply.files),
        source="thread",
        source_key=reply.source_key,
        now=now,
    )
    if isinstance(result, Decision):
        return ReplyOutcome(ReplyKind.REFUSED, refusal=result)
    if result.duplicate:
        return ReplyOutcome(ReplyKind.DUPLICATE)
    return ReplyOutcome(ReplyKind.SUBMITTED, submitted=result, item=item)


def resolve_pending(
    *, session: Session, pending_id: int, slot_id: int, user_id: str, now: datetime
) -> ReplyOutcome:
    """The author picked which slot their reply was for."""
    pending = repo.pending(session, pending_id)
    if pending is None or pending.user_id != user_id:
        return ReplyOutcome(ReplyKind.REFUSED, refusal=refuse(Refusal.NOT_YOURS))
    if pending.resolved:
        return ReplyOutcome(ReplyKind.DUPLICATE)
    items = {i.slot_id: i for i in digest_items(session, pending.digest_id)}
    item = items.get(slot_id)
    if item is None:
        return ReplyOutcome(ReplyKind.REFUSED, refusal=refuse(Refusal.NO_SUCH_SLOT))
    channel, _, ts = pending.source_key.rpartition(":")
    reply = Reply(
        channel=channel,
        thread_ts="",
        ts=ts,
        user_id=user_id,
        text=pending.text,
        files=tuple(json.loads(pending.files)),
    )
    outcome = _submit(session, item, reply, now)
    if outcome.kind is ReplyKind.SUBMITTED:
        pending.resolved = True
        session.add(pending)
    return outcome
