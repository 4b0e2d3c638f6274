"""`reminders` (every 15 minutes): one digest per contributor with everything of theirs whose
reminder is due (`bot.flows.reminders.send_due`)."""

from __future__ import annotations

from bot.flows.reminders import send_due
from jobs.job import Job, JobContext
from jobs.locking import locked


def run_reminders(ctx: JobContext) -> str:
    return locked(ctx, "reminders", send_due)


REMINDERS_JOB = Job(
    name="reminders",
    description="Send each contributor one digest of the posts whose reminder is due "
    "(every 15 minutes; 09:00 in each contributor's timezone).",
    run=run_reminders,
    cron={"minute": "*/15"},
)
