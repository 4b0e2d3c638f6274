"""`welcome` (every 10 minutes): one welcome DM for each person newly in the organisation file
(`bot.flows.welcome`)."""

from __future__ import annotations

from bot.flows.welcome import send_welcomes
from jobs.job import Job, JobContext
from jobs.locking import locked


def run_welcome(ctx: JobContext) -> str:
    return locked(ctx, "welcome", send_welcomes)


WELCOME_JOB = Job(
    name="welcome",
    description="Welcome each person newly in the organisation file, once, with what "
    "socialbot will ask of them (every 10 minutes, in their waking hours).",
    run=run_welcome,
    cron={"minute": "*/10"},
)
