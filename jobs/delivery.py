"""Sending digests exactly once: claim in the database, send, confirm.

A run that dies between the Slack call and the confirmation leaves the digest "sending". The
next run (holding the job's lease, so nobody else is mid-send) asks Slack whether the message
arrived, by the key carried in the message's metadata, and confirms or re-plans it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError

from bot.nudges.digests import DigestItem, digest_items
from jobs.registry import JobContext
from storage.repositories import leases
from storage.repositories import nudges as repo
from storage.repositories import slots as slot_repo

log = logging.getLogger("socialbot.jobs")
METADATA_EVENT = "socialbot_digest"
LEASE = timedelta(minutes=30)
# A digest still "sending" this long after its claim is in doubt; younger ones may be in flight
# in another job or a listener right now (a send takes seconds; the SDK gives up within a minute).
IN_DOUBT_AFTER = timedelta(minutes=5)

Render = Callable[[list[DigestItem]], tuple[str, list[dict[str, Any]]]]


class Outcome(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    TAKEN = "taken"  # another run claimed it first
    IN_DOUBT = "in_doubt"  # Slack may or may not have it; the next run finds out


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    digest_id: int | None = None
    error: str = ""
    items: tuple[DigestItem, ...] = ()


def wall_clock() -> datetime:
    """Leases and message timestamps are about real time, whatever `--at` says."""
    return datetime.now(UTC)


class LeaseHeld(Exception):
    pass


class Lease:
    def __init__(self, ctx: JobContext, name: str) -> None:
        self._ctx, self._name, self._holder = ctx, name, uuid.uuid4().hex

    def __enter__(self) -> Lease:
        now = wall_clock()
        with self._ctx.runtime.session() as session:
            if not leases.acquire(
                session, name=self._name, holder=self._holder, now=now, until=now + LEASE
            ):
                raise LeaseHeld(self._name)
        return self

    def __exit__(self, *exc: object) -> None:
        with self._ctx.runtime.session() as session:
            leases.release(session, name=self._name, holder=self._holder)


def leased(ctx: JobContext, name: str, work: Callable[[JobContext], str]) -> str:
    """Run `work` holding the job's lease, after settling what a crashed run left in doubt."""
    try:
        with Lease(ctx, name):
            recovered = recover_in_doubt(ctx)
            summary = work(ctx)
    except LeaseHeld:
        return f"skipped: another worker is running {name}"
    return f"{summary}, {recovered} recovered" if recovered else summary


def deliver(
    ctx: JobContext,
    *,
    recipient: str,
    kind: str,
    items: Iterable[tuple[int, str]],
    render: Render,
    event: str,
    thread_ts: str | None = None,
) -> Delivery:
    runtime = ctx.runtime
    key = uuid.uuid4().hex
    try:
        with runtime.session() as session:
            digest_id = repo.claim(
                session, key=key, kind=kind, recipient=recipient, items=items, now=wall_clock()
            )
    except IntegrityError:
        return Delivery(Outcome.TAKEN)
    with runtime.session() as session:
        shown = digest_items(session, digest_id)
    text, blocks = render(shown)
    try:
        reply = ctx.client.chat_postMessage(
            channel=recipient,
            thread_ts=thread_ts,
            text=text,
            blocks=blocks or None,
            unfurl_links=False,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"key": key}},
        )
    except OSError:
        log.warning("digest in doubt: connection failed", extra={"user": recipient})
        return Delivery(Outcome.IN_DOUBT, digest_id)
    except SlackApiError as exc:
        if exc.response.status_code >= 500:
            log.warning("digest in doubt: Slack answered 5xx", extra={"user": recipient})
            return Delivery(Outcome.IN_DOUBT, digest_id)
        error = str(exc.response.get("error", "unknown_error"))
        with runtime.session() as session:
            repo.fail(session, digest_id, error=error)
            for item in shown:
                slot_repo.add_event(
                    session,
                    slot_id=item.slot_id,
                    at=runtime.now(),
                    kind=f"{event}_failed",
                    actor=recipient,
                    detail=error,
                )
        log.warning("digest not delivered", extra={"user": recipient, "detail": error})
        return Delivery(Outcome.FAILED, digest_id, error, tuple(shown))
    with runtime.session() as session:
        repo.confirm(session, digest_id, channel=reply["channel"], ts=reply["ts"], now=wall_clock())
        for item in shown:
            slot_repo.add_event(
                session,
                slot_id=item.slot_id,
                at=runtime.now(),
                kind=event,
                actor=recipient,
                detail=item.stage,
            )
    return Delivery(Outcome.SENT, digest_id, items=tuple(shown))


def recover_in_doubt(ctx: JobContext) -> int:
    """Confirm or re-plan digests a crashed run left claimed. Returns how many it settled."""
    runtime, client = ctx.runtime, ctx.client
    with runtime.session() as session:
        doubtful = [
            (d.id, d.key, d.recipient, d.channel, d.created_at)
            for d in repo.in_doubt(session, claimed_before=wall_clock() - IN_DOUBT_AFTER)
        ]
    for digest_id, key, recipient, channel, created_at in doubtful:
        assert digest_id is not None
        found = None
        try:
            if channel is None and recipient.startswith(("C", "G")):
                channel = recipient  # a channel message (a thread reply is not in its history)
            channel = channel or client.conversations_open(users=recipient)["channel"]["id"]
            history = client.conversations_history(
                channel=channel,
                oldest=f"{created_at.timestamp() - 60:.6f}",
                include_all_metadata=True,
                limit=200,
            )
            found = next(
                (
                    m
                    for m in history.get("messages", [])
                    if (m.get("metadata") or {}).get("event_payload", {}).get("key") == key
                ),
                None,
            )
        except SlackApiError as exc:
            log.warning(
                "could not check a digest",
                extra={"user": recipient, "detail": exc.response.get("error")},
            )
            continue  # still in doubt: try again next run rather than risk a second message
        with runtime.session() as session:
            if found is not None:
                repo.confirm(session, digest_id, channel=channel, ts=found["ts"], now=wall_clock())
            else:
                repo.abandon(session, digest_id, runtime.now())
    return len(doubtful)
