"""The outbox: everything the bot tells someone exactly once goes through here. Claim in the
database, send, confirm.

What is told once is an item keyed by (subject kind, subject id, stage): a slot's reminder two
days before is `Key(SLOT, 42, "d2")`; `stage()` builds every stage key. One message carries one
or more items; the unique key makes a second claim of any of them fail ("someone else has it").
`deliver` sends a digest about slots; `send_once` sends any message about any subject.

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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.nudges.digests import DigestItem, digest_items
from bot.slack.context import SlackContext
from storage.models import Digest
from storage.repositories import outbox
from storage.repositories import slots as slot_repo

log = logging.getLogger("socialbot.jobs")
METADATA_EVENT = "socialbot_digest"
# Only for sends no job's lock covers (listeners): younger ones may be in flight right now.
IN_DOUBT_AFTER = timedelta(minutes=5)

Message = tuple[str, list[dict[str, Any]]]
Render = Callable[[list[DigestItem]], Message]


class Subject(StrEnum):
    """What an outbox item is about."""

    SLOT = outbox.SLOT
    DRAFT = "draft"  # a version's message in its review channel
    PERSON = outbox.PERSON  # about someone, not a row: id 0, the person in the stage


@dataclass(frozen=True)
class Key:
    subject: Subject
    subject_id: int
    stage: str


def stage(name: str, *parts: object) -> str:
    """The one way to write a stage key: `stage("late", "U0MAYA")` is "late:U0MAYA"."""
    return ":".join((name, *(str(p) for p in parts)))


class Outcome(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    TAKEN = "taken"  # another run claimed it first
    IN_DOUBT = "in_doubt"  # Slack may or may not have it; the next run finds out


@dataclass(frozen=True)
class Sent:
    """What became of one message: its outcome, and where it went or why it didn't."""

    outcome: Outcome
    message_id: int | None = None
    error: str = ""
    channel: str = ""
    ts: str = ""


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    digest_id: int | None = None
    error: str = ""
    items: tuple[DigestItem, ...] = ()


def text_only(text: str) -> Render:
    """A digest whose message is one plain line, whatever it is about."""
    return lambda shown: (text, [])


def wall_clock() -> datetime:
    """Claims and message timestamps are about real time, whatever `--at` says."""
    return datetime.now(UTC)


def send_once(
    ctx: SlackContext,
    *,
    recipient: str,
    kind: str,
    keys: Iterable[Key],
    render: Callable[[int], Message],
    thread_ts: str | None = None,
    keep: Callable[[Session, Key], bool] | None = None,
    retry_refused: bool = False,
) -> Sent:
    """Claim every key (or none: TAKEN), render the message (given its id), send it carrying
    its outbox key in the metadata, and confirm or record the failure. `keep` runs in the
    claim's transaction and may leave keys out (nothing is sent if none is left). With
    `retry_refused`, a message Slack refuses lets its keys go, so a later attempt can send it."""
    if ctx.lock is not None:
        ctx.lock.check()
    key = uuid.uuid4().hex
    try:
        with ctx.runtime.session() as session:
            claimed = [k for k in keys if keep is None or keep(session, k)]
            if not claimed:
                return Sent(Outcome.TAKEN)
            message_id = outbox.claim(
                session,
                key=key,
                kind=kind,
                recipient=recipient,
                items=[(k.subject.value, k.subject_id, k.stage) for k in claimed],
                now=wall_clock(),
                thread_ts=thread_ts,
                job=ctx.lock.name if ctx.lock is not None else None,
            )
    except IntegrityError:
        return Sent(Outcome.TAKEN)
    text, blocks = render(message_id)
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
        log.warning("message in doubt: connection failed", extra={"user": recipient})
        return Sent(Outcome.IN_DOUBT, message_id)
    except SlackApiError as exc:
        if exc.response.status_code >= 500:
            log.warning("message in doubt: Slack answered 5xx", extra={"user": recipient})
            return Sent(Outcome.IN_DOUBT, message_id)
        error = str(exc.response.get("error", "unknown_error"))
        with ctx.runtime.session() as session:
            outbox.fail(session, message_id, error=error, release=retry_refused)
        log.warning("message not delivered", extra={"user": recipient, "detail": error})
        return Sent(Outcome.FAILED, message_id, error)
    channel, ts = str(reply["channel"]), str(reply["ts"])
    with ctx.runtime.session() as session:
        outbox.confirm(session, message_id, channel=channel, ts=ts, now=wall_clock())
    return Sent(Outcome.SENT, message_id, channel=channel, ts=ts)


def sent_message(ctx: SlackContext, key: Key) -> tuple[str, str] | None:
    """Where the message that told `key` went, once confirmed (channel, ts)."""
    with ctx.runtime.session() as session:
        return outbox.sent_message(
            session, subject=key.subject.value, subject_id=key.subject_id, stage=key.stage
        )


def deliver(
    ctx: SlackContext,
    *,
    recipient: str,
    kind: str,
    items: Iterable[tuple[int, str]],
    render: Render,
    event: str,
    thread_ts: str | None = None,
    moves: Mapping[int, tuple[datetime, datetime | None]] | None = None,
) -> Delivery:
    """A digest about slots: (slot id, stage) items, rendered from the slots as claimed, each
    sent or failed one recorded in the slot's history as `event`. `moves`: slot -> (its
    `next_nudge_at` as read, the next one), moved by compare-and-set in the claim's
    transaction; a slot whose moment changed since it was read (a snooze clicked meanwhile) is
    left out, and nothing is sent if none is left."""
    runtime = ctx.runtime
    shown: list[DigestItem] = []

    def keep(session: Session, key: Key) -> bool:
        if moves is None or key.subject_id not in moves:
            return True
        seen, at = moves[key.subject_id]
        return slot_repo.advance_one_next_nudge(session, key.subject_id, seen=seen, at=at)

    def rendered(message_id: int) -> Message:
        with runtime.session() as session:
            shown.extend(digest_items(session, message_id))
        return render(shown)

    sent = send_once(
        ctx,
        recipient=recipient,
        kind=kind,
        keys=[Key(Subject.SLOT, slot_id, stage) for slot_id, stage in items],
        render=rendered,
        thread_ts=thread_ts,
        keep=keep,
    )
    if sent.outcome in (Outcome.SENT, Outcome.FAILED):
        with runtime.session() as session:
            for item in shown:
                slot_repo.add_event(
                    session,
                    slot_id=item.slot_id,
                    at=runtime.now(),
                    kind=event if sent.outcome is Outcome.SENT else f"{event}_failed",
                    actor=recipient,
                    detail=item.stage if sent.outcome is Outcome.SENT else sent.error,
                )
    return Delivery(sent.outcome, sent.message_id, sent.error, tuple(shown))


def recover_in_doubt(ctx: SlackContext) -> int:
    """Confirm or re-plan digests a dead run (or, after a grace, a listener) left claimed.
    Returns how many it settled. Needs the job's lock."""
    runtime, client = ctx.runtime, ctx.client
    assert ctx.lock is not None
    with runtime.session() as session:
        doubtful = list(
            outbox.in_doubt(
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
                outbox.confirm(session, digest.id, channel=channel, ts=ts, now=wall_clock())
            else:
                outbox.abandon(session, digest.id, runtime.now())
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
