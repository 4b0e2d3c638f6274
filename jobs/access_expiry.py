"""`access-expiry`, every minute: unanswered requests expire, grants warn and end, break-glass
is offered, and approvers are prompted to rotate revealed passwords (bot/flows/access.py)."""

from __future__ import annotations

from bot.flows.access import run_expiry
from jobs.job import Job, JobContext
from jobs.locking import locked


def _run(ctx: JobContext) -> str:
    return locked(ctx, "access-expiry", lambda held: run_expiry(held.runtime, held.client))


ACCESS_EXPIRY_JOB = Job(
    name="access-expiry",
    description="every minute: end grants (warning 10 minutes before), expire unanswered "
    "requests after 24 h, offer break-glass, prompt password rotation weekly",
    run=_run,
    cron={"minute": "*"},
)
