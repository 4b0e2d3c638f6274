"""`escalations` (hourly): a post past due with no draft is marked late and its department
coordinators hear about it that day, once. `late-digest` (Mondays): the overall coordinators get
every department's posts late by `escalate_after_days` or more, once a week."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from bot.nudges.plan import is_quiet
from bot.people import timezones_for
from handlers.views.escalation import late_for_coordinator, weekly_late_digest
from jobs.delivery import Outcome, deliver, locked
from jobs.registry import Job, JobContext
from storage.repositories import nudges as repo
from storage.repositories import organisation as org_repo
from storage.repositories import slots as slot_repo


def run_escalations(ctx: JobContext) -> str:
    return locked(ctx, "escalations", _escalate)


def _escalate(ctx: JobContext) -> str:
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


def run_late_digest(ctx: JobContext) -> str:
    return locked(ctx, "late-digest", _weekly)


def _weekly(ctx: JobContext) -> str:
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


ESCALATIONS_JOB = Job(
    name="escalations",
    description="Mark posts past due without a draft late and tell their coordinators (hourly).",
    run=run_escalations,
    cron={"minute": 5},
)
LATE_DIGEST_JOB = Job(
    name="late-digest",
    description="Send the overall coordinators every department's long-late posts "
    "(Mondays, 09:00).",
    run=run_late_digest,
    cron={"day_of_week": "mon", "hour": 9, "minute": 0},
)
