"""The in-process scheduler (APScheduler 3): fires each job on its cron in the organisation's
timezone. Run exactly one of these per installation (`serve` or `worker`)."""

from __future__ import annotations

import logging
from contextlib import suppress
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from bot.organisation.missing import NoOrganisation
from bot.runtime import Runtime
from jobs.registry import all_jobs, run_job

log = logging.getLogger("socialbot.jobs")


def build_scheduler(*, runtime: Runtime, client: WebClient, blocking: bool) -> BaseScheduler:
    with runtime.session() as session:
        try:
            tz = runtime.organisation(session).timezone
        except NoOrganisation:
            tz = ZoneInfo("UTC")
    scheduler: BaseScheduler = (BlockingScheduler if blocking else BackgroundScheduler)(
        timezone=tz, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
    )
    for job in all_jobs().values():
        scheduler.add_job(
            _fire,
            CronTrigger(timezone=tz, **job.cron),
            args=[job.name, runtime, client],
            id=job.name,
            name=job.name,
        )
    log.info("scheduler ready", extra={"detail": f"{len(all_jobs())} jobs in {tz.key}"})
    return scheduler


def _fire(name: str, runtime: Runtime, client: WebClient) -> None:
    # run_job logs failures; the scheduler must keep going whatever one run does.
    with suppress(Exception):
        run_job(name, runtime=runtime, client=client, at=runtime.now())
