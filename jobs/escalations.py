"""`escalations` (hourly): a post past due with no draft is marked late and its department
coordinators hear about it that day, once. `late-digest` (Mondays): the overall coordinators get
every department's posts late by `escalate_after_days` or more, once a week."""

from __future__ import annotations

from bot.flows.escalations import escalate, late_digest
from jobs.job import Job, JobContext
from jobs.locking import locked


def run_escalations(ctx: JobContext) -> str:
    return locked(ctx, "escalations", escalate)


def run_late_digest(ctx: JobContext) -> str:
    return locked(ctx, "late-digest", late_digest)


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
