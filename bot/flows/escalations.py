"""Escalation: late posts reach their coordinators the day they go late, and the overall
coordinators once a week."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from bot.nudges.plan import is_quiet
from bot.slack.context import SlackContext
from bot.slack.outbox import Outcome, deliver
from bot.slack.people import timezones_for
from bot.slack.views.escalation import late_for_coordinator, weekly_late_digest
from storage.repositories import nudges as repo
from storage.repositories import organisation as org_repo
from storage.repositories import slots as slot_repo


def escalate(ctx: SlackContext) -> str:
    """A post past due with no draft is marked late; its coordinators hear that day, once."""
    runtime, now = ctx.runtime, ctx.runtime.now()
    with runtime.session() as session:
        directory = runtime.organisation(session)
        overdue = list(repo.overdue_without_draft(session, now=now))
        newly = repo.mark_late(session, [slot_id for slot_id, _ in overdue])
        for slot_id in newly:
            slot_repo.add_event(session, slot_id=slot_id, at=now, kind="late")
        for slot_id in repo.flag_unapproved_past_due(session, now=now):
            slot_repo.add_event(session, slot_id=slot_id, at=now, kind="late_unapproved")
    wanted: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for slot_id, department_id in overdue:
        for coordinator in (
            directory.coordinators_of(department_id) or directory.overall_coordinators
        ):
            wanted[coordinator].append((slot_id, f"late:{coordinator}"))
    with runtime.session() as session:
        done = repo.stages_done(session, {slot_id for slot_id, _ in overdue})
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
            render=lambda shown, zone=tz: late_for_coordinator(shown, zone),
            event="escalated",
        )
        sent += delivery.outcome is Outcome.SENT
    return f"{len(newly)} newly late, {sent} coordinator messages"


def late_digest(ctx: SlackContext) -> str:
    """The overall coordinators get every department's long-late posts, once a week."""
    runtime, now = ctx.runtime, ctx.runtime.now()
    with runtime.session() as session:
        directory = runtime.organisation(session)
        org = org_repo.get_organisation(session)
        assert org is not None
        days = org.escalate_after_days
        late = list(repo.late_since(session, before=now - timedelta(days=days)))
    if not late:
        return "no posts late long enough"
    year, week, _ = now.astimezone(directory.timezone).isocalendar()
    sent = 0
    for user in directory.overall_coordinators:
        items = [(slot_id, f"late-week:{year}-W{week:02d}:{user}") for slot_id, _ in late]
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
