"""`home` (daily): republish App Home for everyone who has opened it (`bot.flows.home`)."""

from __future__ import annotations

from bot.flows.home import refresh_homes
from jobs.job import Job

HOME_JOB = Job(
    name="home",
    description="Republish App Home for everyone who has opened it (daily, 06:00).",
    run=refresh_homes,
    cron={"hour": 6, "minute": 0},
)
