"""`reminders`: one digest per contributor with everything of theirs whose reminder is due.

Runs every 15 minutes. It reads only slots whose next reminder may have come (an indexed
column), plans each in its contributor's timezone, and sends each contributor one message."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from bot.nudges.plan import plan_reminder
from bot.nudges.service import cadences
from bot.people import timezones_for
from handlers.views.digest import reminder_digest
from jobs.delivery import Outcome, deliver, locked
from jobs.registry import Job, JobContext
from jobs.undeliverable import report_undeliverable
from storage.repositories import nudges as repo
from storage.repositories import slots as slot_repo

BATCH = 50_000


def run_reminders(ctx: JobContext) -> str:
    return locked(ctx, "reminders", _send_due)


def _send_due(ctx: JobContext) -> str:
    runtime, now = ctx.runtime, ctx.runtime.now()
    with runtime.session() as session:
        directory = runtime.organisation(session)
        plans_for = cadences(session)
        rows = list(repo.reminder_candidates(session, now=now, limit=BATCH))
        done = repo.stages_done(session, (r[0] for r in rows))
    zones = timezones_for(
        runtime=runtime,
        client=ctx.client,
        user_ids={r[3] for r in rows},
        fallback=directory.timezone,
    )
    # slot -> (next_nudge_at as read, as planned): written by compare-and-set, so a snooze
    # clicked during the run keeps its moment.
    moments: dict[int, tuple[datetime, datetime | None]] = {}
    skipped: dict[int, tuple[str, ...]] = {}
    due: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for slot_id, department_id, due_at, contributor, snoozed_until, seen in rows:
        plan = plan_reminder(
            due_at=due_at,
            tz=zones[contributor],
            cadence=plans_for[department_id],
            now=now,
            done=frozenset(done.get(slot_id, ())),
            snoozed_until=snoozed_until,
        )
        moments[slot_id] = (seen, plan.next_at)
        if plan.superseded:
            skipped[slot_id] = plan.superseded
        if plan.send:
            due[contributor].append((slot_id, plan.send))
    sending = {slot_id for items in due.values() for slot_id, _ in items}
    with runtime.session() as session:
        # What is being sent moves on with its claim: a run killed before a contributor's turn
        # leaves theirs due, so the next run sends it.
        slot_repo.advance_next_nudge(
            session, {s: m for s, m in moments.items() if s not in sending}
        )
        repo.record_skipped(session, skipped, now)

    sent = failed = reminders = in_doubt = 0
    undelivered = []
    for contributor, items in sorted(due.items()):
        tz = zones[contributor]
        delivery = deliver(
            ctx,
            recipient=contributor,
            kind="reminder",
            items=items,
            render=lambda shown, user=contributor, zone=tz: reminder_digest(user, shown, zone, now),
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
    return (
        f"{sent} digests sent ({reminders} reminders), {failed} failed"
        f" ({reported} coordinator reports), {in_doubt} in doubt, {len(rows)} slots checked"
    )


REMINDERS_JOB = Job(
    name="reminders",
    description="Send each contributor one digest of the posts whose reminder is due "
    "(every 15 minutes; 09:00 in each contributor's timezone).",
    run=run_reminders,
    cron={"minute": "*/15"},
)
