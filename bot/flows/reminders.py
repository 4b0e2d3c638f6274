"""Reminders: the digest each contributor gets, and everything done from one (snooze, hand back)
or about one (a coordinator's reassign, cancel, remind again).

Every action checks who clicked (not who the message was sent to) through the domain's rules;
a refusal comes back as the words to say, and nothing changes."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from bot.decisions import Decision, refuse
from bot.drafts.service import Refusal
from bot.nudges import actions
from bot.nudges.digests import DigestItem, reminder_at, slot_item
from bot.nudges.plan import plan_reminder
from bot.nudges.service import (
    Unreminded,
    cadences,
    move_on,
    not_yet_told,
    record_not_reminded,
    reminder_candidates,
    slots_waiting_for_first_reminder,
    stages_done,
    unreachable,
)
from bot.slack.context import SlackContext
from bot.slack.outbox import Delivery, Outcome, deliver, stage
from bot.slack.people import timezones_for
from bot.slack.views.common import Block, context, escape, mention
from bot.slack.views.controls import slot_controls
from bot.slack.views.digest import reminder_digest
from bot.slack.views.history import restore_button
from bot.slack.views.modals import about_slot
from bot.slack.views.notices import handed_back_message, resolved_message
from bot.slack.views.refusals import refusal
from bot.slack.views.too_late import too_late_message
from bot.slack.views.undeliverable import undeliverable_message

BATCH = 50_000


def send_due(ctx: SlackContext) -> str:
    """One digest per contributor with everything of theirs whose reminder is due. Reads only
    slots whose next reminder may have come (an indexed column) and plans each in its
    contributor's timezone."""
    runtime, now = ctx.runtime, ctx.runtime.now()
    with runtime.session() as session:
        directory = runtime.organisation(session)
        plans_for = cadences(session)
        rows = reminder_candidates(session, now=now, limit=BATCH)
        done = stages_done(session, (r.slot_id for r in rows))
    zones = timezones_for(
        runtime=runtime,
        client=ctx.client,
        user_ids={r.contributor_id for r in rows},
        fallback=directory.timezone,
    )
    # slot -> (next_nudge_at as read, as planned): written by compare-and-set, so a snooze
    # clicked during the run keeps its moment.
    moments: dict[int, tuple[datetime, datetime | None]] = {}
    skipped: dict[int, tuple[str, ...]] = {}
    due: dict[str, list[tuple[int, str]]] = defaultdict(list)
    # Slots this run leaves with nothing sent and nothing more planned: a post that came too
    # late for any reminder leaves here on its first look, and is reported then.
    stalled = []
    for row in rows:
        plan = plan_reminder(
            due_at=row.due_at,
            tz=zones[row.contributor_id],
            cadence=plans_for[row.department_id],
            now=now,
            done=frozenset(done.get(row.slot_id, ())),
            snoozed_until=row.snoozed_until,
            planned_for=row.next_nudge_at,
        )
        moments[row.slot_id] = (row.next_nudge_at, plan.next_at)
        if plan.superseded:
            skipped[row.slot_id] = plan.superseded
        if plan.send:
            due[row.contributor_id].append((row.slot_id, plan.send))
        elif plan.next_at is None and row.due_at > now:
            stalled.append(row.slot_id)
    sending = {slot_id for items in due.values() for slot_id, _ in items}
    with runtime.session() as session:
        # What is being sent moves on with its claim: a run killed before a contributor's turn
        # leaves theirs due, so the next run sends it.
        move_on(session, {s: m for s, m in moments.items() if s not in sending}, skipped, now)

    sent = failed = reminders = in_doubt = 0
    undelivered = []
    for contributor, items in sorted(due.items()):
        tz = zones[contributor]
        delivery = deliver(
            ctx,
            recipient=contributor,
            kind="reminder",
            items=items,
            render=partial(reminder_digest, contributor, tz=tz, now=now, cadences=plans_for),
            event="reminded",
            moves={slot_id: moments[slot_id] for slot_id, _ in items},
        )
        if delivery.outcome is Outcome.SENT:
            sent += 1
            reminders += len(items)
        elif delivery.outcome is Outcome.FAILED:
            failed += 1
            undelivered.append(delivery)
        elif delivery.outcome is Outcome.IN_DOUBT:
            in_doubt += 1
    reported = report_undeliverable(ctx, undelivered)
    too_late = len(report_too_late(ctx, stalled, zones=zones).found)
    return (
        f"{sent} digests sent ({reminders} reminders), {failed} failed"
        f" ({reported} coordinator reports), {in_doubt} in doubt, {len(rows)} slots checked"
        + (f", {too_late} too late for a reminder" if too_late else "")
    )


def report_too_late(
    ctx: SlackContext,
    slot_ids: Iterable[int],
    *,
    zones: Mapping[str, ZoneInfo] | None = None,
    assigned: bool = False,
) -> TooLate:
    """Tell the coordinators of each slot no reminder can reach in time (never reminded, and
    no moment left in its contributor's waking hours with the lead time to spare), and note it
    in the slot's history. Once per slot, contributor and due time. `assigned`: the slots
    were just reassigned, and their new contributor is sent the post at once, but may not see
    it in time."""
    runtime, now = ctx.runtime, ctx.runtime.now()
    with runtime.session() as session:
        directory = runtime.organisation(session)
        waiting = slots_waiting_for_first_reminder(session, slot_ids, now)
    if not waiting:
        return TooLate(found=(), undelivered=0)
    known = dict(zones or {})
    missing = {w.contributor_id for w in waiting} - known.keys()
    if missing:
        known |= timezones_for(
            runtime=runtime, client=ctx.client, user_ids=missing, fallback=directory.timezone
        )
    with runtime.session() as session:
        hopeless = unreachable(session, waiting, now=now, zone_of=known.__getitem__)
        leads = {i: c.min_lead for i, c in cadences(session).items()}
        if not assigned:
            record_not_reminded(session, (h.slot_id for h in hopeless), now)
    by_coordinator: dict[str, list[tuple[int, str]]] = defaultdict(list)
    undelivered = 0
    for slot in hopeless:
        coordinators = directory.coordinators_of(slot.department_id)
        for coordinator in coordinators or directory.overall_coordinators:
            by_coordinator[coordinator].append(
                (slot.slot_id, stage("too_late", _moment_key(slot), coordinator))
            )
    for coordinator, items in sorted(by_coordinator.items()):
        render = partial(
            too_late_message,
            tz=ctx.tz(coordinator),
            zones=known,
            leads=leads,
            now=now,
            assigned=assigned,
        )
        # What another run or listener told meanwhile is left out; its claim winning a race
        # leaves the rest for another try.
        for _ in range(3):
            with runtime.session() as session:
                untold = not_yet_told(session, items)
            if not untold:
                break
            delivery = deliver(
                ctx,
                recipient=coordinator,
                kind="too_late",
                items=untold,
                render=render,
                event="assigned_too_late_reported" if assigned else "unreminded_reported",
            )
            if delivery.outcome is not Outcome.TAKEN:
                undelivered += delivery.outcome in (Outcome.FAILED, Outcome.IN_DOUBT)
                break
    return TooLate(found=tuple(hopeless), undelivered=undelivered)


@dataclass(frozen=True)
class TooLate:
    """The slots no reminder can reach in time, and how many coordinators' messages about them
    did not (or may not) reach Slack."""

    found: tuple[Unreminded, ...]
    undelivered: int


def _moment_key(slot: Unreminded) -> str:
    """Who and when, short: a slot moved or reassigned too late again is reported again."""
    seen = f"{slot.contributor_id}@{slot.due_at:%Y-%m-%dT%H:%M}"
    return hashlib.sha256(seen.encode()).hexdigest()[:10]


def report_undeliverable(ctx: SlackContext, failures: list[Delivery]) -> int:
    """One message per coordinator listing what did not reach whom. Returns messages sent."""
    if not failures:
        return 0
    now = ctx.runtime.now()
    with ctx.runtime.session() as session:
        directory = ctx.runtime.organisation(session)
    by_coordinator: dict[str, list[tuple[int, str]]] = defaultdict(list)
    errors: dict[int, str] = {}
    for failure in failures:
        for item in failure.items:
            errors[item.slot_id] = failure.error
            department_id = directory.department_named(item.department)
            coordinators = directory.coordinators_of(department_id) if department_id else ()
            for coordinator in coordinators or directory.overall_coordinators:
                by_coordinator[coordinator].append(
                    (item.slot_id, stage("undeliverable", item.stage, coordinator))
                )
    sent = 0
    for coordinator, items in sorted(by_coordinator.items()):
        delivery = deliver(
            ctx,
            recipient=coordinator,
            kind="undeliverable",
            items=items,
            render=lambda shown: undeliverable_message(shown, errors, directory.timezone, now),
            event="undeliverable_reported",
        )
        sent += delivery.outcome is Outcome.SENT
    return sent


def refresh_digest(ctx: SlackContext, channel: str | None, ts: str | None) -> None:
    """Re-render a reminder digest in place after one of its slots changed."""
    if not channel or not ts:
        return
    with ctx.runtime.session() as session:
        found = reminder_at(session, channel, ts)
    if found is None:
        return
    recipient, items = found
    with ctx.runtime.session() as session:
        plans = cadences(session)
    text, blocks = reminder_digest(recipient, items, ctx.tz(recipient), ctx.runtime.now(), plans)
    ctx.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)


def own_item(ctx: SlackContext, slot_id: int | None, user_id: str) -> DigestItem | str:
    """The slot a contributor clicked on, or why they may not act on it."""
    with ctx.runtime.session() as session:
        item = slot_item(session, slot_id) if slot_id else None
    if item is None:
        return refusal(refuse(Refusal.NO_SUCH_SLOT))
    if item.contributor_id != user_id:
        return refusal(refuse(Refusal.NOT_YOURS))
    return item


def snooze(
    ctx: SlackContext,
    *,
    user_id: str,
    slot_id: int | None,
    days: int,
    channel: str | None,
    ts: str | None,
) -> str | None:
    runtime = ctx.runtime
    tz = ctx.tz(user_id)
    with runtime.session() as session:
        result = actions.snooze(
            session=session,
            slot_id=slot_id or 0,
            user_id=user_id,
            days=days,
            tz=tz,
            now=runtime.now(),
        )
    if isinstance(result, Decision):
        return refusal(result)
    refresh_digest(ctx, channel, ts)
    return None


def hand_back(
    ctx: SlackContext,
    *,
    user_id: str,
    slot_id: int | None,
    reason: str,
    channel: str | None,
    ts: str | None,
) -> str | None:
    """The contributor can't do a post: their coordinators hear why, with a Reassign picker."""
    runtime = ctx.runtime
    with runtime.session() as session:
        result = actions.hand_back(
            session=session, slot_id=slot_id or 0, user_id=user_id, reason=reason, now=runtime.now()
        )
        directory = runtime.organisation(session)
        item = slot_item(session, slot_id) if slot_id else None
    if isinstance(result, Decision) or item is None:
        return refusal(result if isinstance(result, Decision) else None)
    coordinators = directory.coordinators_of(result.department_id) or directory.overall_coordinators
    for coordinator in coordinators:
        text, blocks = handed_back_message(
            item, user_id, reason, ctx.tz(coordinator), runtime.now()
        )
        ctx.client.chat_postMessage(channel=coordinator, text=text, blocks=blocks)
    refresh_digest(ctx, channel, ts)
    return None


def _coordinator_act(
    ctx: SlackContext,
    slot_id: int | None,
    act: Callable[..., actions.Done | Decision[Refusal]],
    **extra: str,
) -> DigestItem | str:
    """Run a coordinator's action on a slot (`act` from bot.nudges.actions, which checks who
    clicked, given `extra`: by, to); the slot as it is now, or the words of the refusal."""
    runtime = ctx.runtime
    with runtime.session() as session:
        result = act(
            session=session,
            directory=runtime.organisation(session),
            slot_id=slot_id or 0,
            now=runtime.now(),
            **extra,
        )
        item = slot_item(session, slot_id) if slot_id else None
    if isinstance(result, Decision) or item is None:
        return refusal(result if isinstance(result, Decision) else None)
    return item


def reassign(
    ctx: SlackContext,
    *,
    by: str,
    slot_id: int | None,
    to: str,
    channel: str | None,
    ts: str | None,
    shown: Sequence[Block] = (),
) -> str | None:
    item = _coordinator_act(ctx, slot_id, actions.reassign, by=by, to=to)
    if isinstance(item, str):
        return item
    outcome = f":arrows_counterclockwise: Reassigned to {mention(to)} by {mention(by)}."
    _resolve(ctx, channel, ts, item, outcome, shown=shown)
    # Judged before the assignment message goes: it may reach them asleep or too late to act.
    report_too_late(ctx, [item.slot_id], assigned=True)
    send_reminder_now(ctx, item.slot_id, to, stage("assigned", by))
    return None


def cancel(
    ctx: SlackContext,
    *,
    by: str,
    slot_id: int | None,
    channel: str | None,
    ts: str | None,
    shown: Sequence[Block] = (),
) -> str | None:
    item = _coordinator_act(ctx, slot_id, actions.cancel, by=by)
    if isinstance(item, str):
        return item
    outcome = f":heavy_multiplication_x: Cancelled by {mention(by)}."
    if channel and ts:
        _resolve(ctx, channel, ts, item, outcome, restore_button(item.slot_id), shown=shown)
    else:  # from App Home: no message to resolve, so one to undo it from
        blocks = [*resolved_message(about_slot(item, ctx.tz(by), ctx.runtime.now()), outcome)]
        ctx.client.chat_postMessage(
            channel=by, text=outcome, blocks=[*blocks, restore_button(item.slot_id)]
        )
    return None


def restore(
    ctx: SlackContext,
    *,
    by: str,
    slot_id: int | None,
    channel: str | None,
    ts: str | None,
    shown: Sequence[Block] = (),
) -> str | None:
    """A coordinator undoes a cancellation: the slot is back as it was, reminders and all."""
    item = _coordinator_act(ctx, slot_id, actions.restore, by=by)
    if isinstance(item, str):
        return item
    outcome = f":leftwards_arrow_with_hook: Restored by {mention(by)}."
    report_too_late(ctx, [item.slot_id])
    if channel and ts:
        _resolve(ctx, channel, ts, item, outcome, slot_controls(item.slot_id), shown=shown)
        return None
    return f"Restored *{escape(item.topic)}*. {outcome}"


def _resolve(
    ctx: SlackContext,
    channel: str | None,
    ts: str | None,
    item: DigestItem,
    outcome: str,
    *then: Block,
    shown: Sequence[Block] = (),
) -> None:
    """Replace the coordinator's buttons on this post with what was done, so nobody acts
    twice; `then`: what may still be done (Restore after a cancellation). In a message about
    several posts (`shown`: its blocks as Slack has them) only this post's row changes."""
    if not channel or not ts:
        return
    row = f"slot_{item.slot_id}"
    if any(b.get("block_id") == row for b in shown):
        blocks = [
            replaced
            for b in shown
            for replaced in ([context(outcome), *then] if b.get("block_id") == row else [b])
        ]
    else:
        blocks = [*resolved_message(f"*{escape(item.topic)}*", outcome), *then]
    ctx.client.chat_update(channel=channel, ts=ts, text=outcome, blocks=blocks)


def remind_again(ctx: SlackContext, *, by: str, slot_id: int | None) -> str:
    """A coordinator nudges the contributor of a late post once more, right now."""
    with ctx.runtime.session() as session:
        target = actions.remind_target(
            session=session, directory=ctx.runtime.organisation(session), slot_id=slot_id, by=by
        )
    if isinstance(target, Decision):
        return refusal(target)
    contributor = target.contributor_id
    with ctx.runtime.session() as session:
        before = slot_item(session, target.slot_id)
    again = " again" if before is not None and before.reminded else ""
    delivery = send_reminder_now(ctx, target.slot_id, contributor, stage("again", by))
    if delivery.outcome is Outcome.SENT:
        return f"Reminded {mention(contributor)}{again}."
    return f"Couldn't reach {mention(contributor)} ({delivery.error or 'try later'})."


def send_reminder_now(ctx: SlackContext, slot_id: int, user_id: str, why: str) -> Delivery:
    """A one-slot reminder digest, sent and recorded like the job's: a reply in its thread is
    the draft, and it is never sent twice."""
    now = ctx.runtime.now()
    tz = ctx.tz(user_id)
    with ctx.runtime.session() as session:
        plans = cadences(session)
    return deliver(
        ctx,
        recipient=user_id,
        kind="reminder",
        items=[(slot_id, stage(why, f"{now:%Y-%m-%dT%H:%M:%S}"))],
        render=lambda shown: reminder_digest(user_id, shown, tz, now, plans),
        event="reminded_again" if why.startswith("again") else "assigned",
    )
