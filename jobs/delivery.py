"""Sending digests exactly once: claim in the database, send, confirm.

A run that dies between the Slack call and the confirmation leaves the digest "sending". Who
settles it, and when, depends on who could still be mid-send:

- A job's run holds that job's lock (storage/locks.py) for as long as it lives, and it dies with
  the run: no fixed TTL. So when the next run of the job holds the lock, no earlier run of it is
  alive, and everything a run of the job left "sending" is settled at once: found in Slack by the
  key in the message's metadata (a thread reply through conversations.replies) and confirmed,
  or abandoned and planned again, so this very run sends it. Another job's are left to that
  job's next run: its lock cannot be tried without refusing a run of it starting meanwhile.
- Listeners ("Remind again", a reassignment, review feedback) also send through `deliver`, but
  do not take a job's lock: a click must not wait for, or be refused by, a long run. Their
  claims carry no job, so no lock says whether their sender is alive; those are settled only
  after IN_DOUBT_AFTER, longer than a send can take (the SDK gives up within a minute).
  Settling is guarded (only a digest still "sending" is abandoned), so two jobs checking the
  same listener's digest at once do no harm.
- Before each claim a run checks it still holds its lock (a PostgreSQL connection can drop),
  and stops if not: once another run may hold it, sending on would be sending twice."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError

from bot.nudges.digests import DigestItem, digest_items
from jobs.registry import JobContext
from storage import locks
from storage.models import Digest
from storage.repositories import nudges as repo
from storage.repositories import slots as slot_repo

log = logging.getLogger("socialbot.jobs")
METADATA_EVENT = "socialbot_digest"
# Only for sends no job's lock covers (listeners): younger ones may be in flight right now.
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
    """Claims and message timestamps are about real time, whatever `--at` says."""
    return datetime.now(UTC)


def locked(ctx: JobContext, name: str, work: Callable[[JobContext], str]) -> str:
    """Run `work` holding the job's lock, after settling what a dead run left in doubt."""
    try:
        with locks.exclusive(ctx.runtime.engine, name) as held:
            ctx = replace(ctx, lock=held)
            recovered = recover_in_doubt(ctx)
            summary = work(ctx)
    except locks.LockHeld:
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
    moves: Mapping[int, tuple[datetime, datetime | None]] | None = None,
) -> Delivery:
    """Claim, send, confirm. `moves`: slot -> (its `next_nudge_at` as read, the next one), moved
    by compare-and-set in the claim's transaction; a slot whose moment changed since it was read
    (a snooze clicked meanwhile) is left out, and nothing is sent if none is left."""
    runtime = ctx.runtime
    key = uuid.uuid4().hex
    if ctx.lock is not None:
        ctx.lock.check()
    try:
        with runtime.session() as session:
            items = [
                (slot_id, stage)
                for slot_id, stage in items
                if slot_id not in (moves or {})
                or slot_repo.advance_one_next_nudge(
                    session, slot_id, seen=moves[slot_id][0], at=moves[slot_id][1]
                )
            ]
            if not items:
                return Delivery(Outcome.TAKEN)
            digest_id = repo.claim(
                session,
                key=key,
                kind=kind,
                recipient=recipient,
                items=items,
                now=wall_clock(),
                thread_ts=thread_ts,
                job=ctx.lock.name if ctx.lock is not None else None,
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
    """Confirm or re-plan digests a dead run (or, after a grace, a listener) left claimed.
    Returns how many it settled. Needs the job's lock."""
    runtime, client = ctx.runtime, ctx.client
    assert ctx.lock is not None
    with runtime.session() as session:
        doubtful = list(
            repo.in_doubt(
                session,
                job=ctx.lock.name,
                listener_claimed_before=wall_clock() - IN_DOUBT_AFTER,
            )
        )
    settled = 0
    for digest in doubtful:
        assert digest.id is not None
        try:
            found = _find_in_slack(client, digest)
        except SlackApiError as exc:
            log.warning(
                "could not check a digest",
                extra={"user": digest.recipient, "detail": exc.response.get("error")},
            )
            continue  # still in doubt: try again next run rather than risk a second message
        with runtime.session() as session:
            if found is not None:
                channel, ts = found
                repo.confirm(session, digest.id, channel=channel, ts=ts, now=wall_clock())
            else:
                repo.abandon(session, digest.id, runtime.now())
        settled += 1
    return settled


def _find_in_slack(client: WebClient, digest: Digest) -> tuple[str, str] | None:
    """(channel, ts) of the message carrying the digest's key, if Slack has it. A thread reply
    is not in the channel's history, so a reply is looked for in its thread."""
    channel = digest.channel
    if channel is None and digest.recipient.startswith(("C", "G")):
        channel = digest.recipient
    channel = channel or client.conversations_open(users=digest.recipient)["channel"]["id"]
    oldest = f"{digest.created_at.timestamp() - 60:.6f}"
    if digest.thread_ts:
        pages = client.conversations_replies(
            channel=channel, ts=digest.thread_ts, oldest=oldest, include_all_metadata=True
        )
    else:
        pages = client.conversations_history(
            channel=channel, oldest=oldest, include_all_metadata=True, limit=200
        )
    for page in pages:  # the SDK follows next_cursor
        for message in page.get("messages", []):
            if (message.get("metadata") or {}).get("event_payload", {}).get("key") == digest.key:
                return channel, str(message["ts"])
    return None
