"""The list of jobs, and running one of them once, as if the clock read `at`."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import datetime

from slack_sdk import WebClient

from bot.organisation.missing import NoOrganisation
from bot.runtime import Runtime
from jobs.access_expiry import ACCESS_EXPIRY_JOB
from jobs.escalations import ESCALATIONS_JOB, LATE_DIGEST_JOB
from jobs.home import HOME_JOB
from jobs.job import Job, JobContext
from jobs.monthly_report import MONTHLY_REPORT_JOB, REPORT_REQUESTS_JOB
from jobs.reminders import REMINDERS_JOB
from jobs.review_nudges import REVIEW_NUDGES_JOB
from jobs.welcome import WELCOME_JOB
from storage.repositories import jobs as repo

__all__ = ["Job", "JobContext", "UnknownJob", "all_jobs", "run_job"]

log = logging.getLogger("socialbot.jobs")


class UnknownJob(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(f"no job is called {name!r}; `python -m bot jobs list` shows them")


JOBS = (
    REMINDERS_JOB,
    ESCALATIONS_JOB,
    LATE_DIGEST_JOB,
    REVIEW_NUDGES_JOB,
    HOME_JOB,
    ACCESS_EXPIRY_JOB,
    MONTHLY_REPORT_JOB,
    REPORT_REQUESTS_JOB,
    WELCOME_JOB,
)


def all_jobs() -> dict[str, Job]:
    return {job.name: job for job in JOBS}


def run_job(name: str, *, runtime: Runtime, client: WebClient, at: datetime) -> str:
    """Run once, record the run, and log one line whatever happens."""
    job = all_jobs().get(name)
    if job is None:
        raise UnknownJob(name)
    with runtime.session() as session:
        run_id = repo.start_run(session, name=name, scheduled_for=at, now=runtime.now())
    started = time.perf_counter()
    as_of = replace(runtime, clock=lambda: at)  # everything the job does reads the clock as `at`
    try:
        summary = job.run(JobContext(runtime=as_of, client=client, at=at))
    except OSError as exc:  # Slack unreachable: one line, not a traceback; the next run resumes
        reason = getattr(exc, "reason", None) or exc.strerror or type(exc).__name__
        log.error(
            "job failed", extra={"job": name, "outcome": "failed", "detail": f"Slack: {reason}"}
        )
        with runtime.session() as session:
            repo.finish_run(session, run_id, outcome="failed", summary="", now=runtime.now())
        raise
    except NoOrganisation as exc:  # nothing to do until `org load`: said, not a traceback
        log.warning("job skipped", extra={"job": name, "outcome": "skipped", "detail": str(exc)})
        with runtime.session() as session:
            repo.finish_run(session, run_id, outcome="skipped", summary="", now=runtime.now())
        raise
    except Exception:
        log.exception("job failed", extra={"job": name, "outcome": "failed"})
        with runtime.session() as session:
            repo.finish_run(session, run_id, outcome="failed", summary="", now=runtime.now())
        raise
    with runtime.session() as session:
        repo.finish_run(session, run_id, outcome="ok", summary=summary, now=runtime.now())
    log.info(
        "job run",
        extra={
            "job": name,
            "outcome": "ok",
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "detail": summary,
        },
    )
    return summary
