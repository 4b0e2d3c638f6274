"""Escalation: late posts reach their coordinators the day they go late, and the overall
coordinators once a week."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from bot.nudges.plan import is_quiet
from bot.nudges.service import long_late, mark_overdue, stages_done
from bot.slack.context import SlackContext
from bot.slack.outbox import Outcome, deliver, stage
from bot.slack.people import timezones_for
from bot.slack.views.escalation import late_for_coordinator, weekly_late_digest


def escalate(ctx: SlackContext) -> str:
    """A post past due with no draft is marked late; its coordinators hear that day, once."""
    runtime, now = ctx.runtime, ctx.runtime.now()
    with runtime.session() as session:
        directory = runtime.organisation(session)
        marked = mark_overdue(session, now)
    overdue, newly = marked.slots, marked.newly_late
    wanted: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for slot_id, department_id in overdue:
        for coordinator in (
            directory.coordinators_of(department_id) or directory.overall_coordinators
        ):
            wanted[coordinator].append((slot_id, stage("late", coordinator)))
    with runtime.session() as session:
        done = stages_done(session, {slot_id for slot_id, _ in overdue})
    zones = timezones_for(
        runtime=runtime, client=ctx.client, user_ids=wanted.keys(), fallback=directory.timezone
    )
    sent = 0
    for coordinator, items in sorted(wanted.items()):
        fresh = [(s, stage) for s, stage in items if stage not in done.get(s, set())]
        if not fresh or is_quiet(now, zones[coordinator]):
            continue  # nothing new, or night where they are: the next hourly run will do
        tz = zones[coordinator]
        delivery = deliver(
            ctx,
            recipient=coordinator,
            kind="escalation",
            items=fresh,
            render=partial(late_for_coordinator, tz=tz, now=now),
            event="escalated",
        )
        sent += delivery.outcome is Outcome.SENT
    return f"{len(newly)} newly late, {sent} coordinator messages"


def late_digest(ctx: SlackContext) -> str:
    """The overall coordinators get every department's long-late posts, once a week."""
    runtime, now = ctx.runtime, ctx.runtime.now()
    with runtime.session() as session:
        directory = runtime.organisation(session)
        days, late = long_late(session, now)
    if not late:
        return "no posts late long enough"
    year, week, _ = now.astimezone(directory.timezone).isocalendar()
    sent = 0
    for user in directory.overall_coordinators:
        items = [(slot_id, stage("late-week", f"{year}-W{week:02d}", user)) for slot_id in late]
        delivery = deliver(
            ctx,
            recipient=user,
            kind="late-digest",
            items=items,
            render=lambda shown: weekly_late_digest(shown, directory.timezone, now, days),
            event="escalated_overall",
        )
        sent += delivery.outcome is Outcome.SENT
    return f"{len(late)} late posts, {sent} overall coordinator digests"
