"""`monthly-report`: on the 1st at 09:00 (organisation time) the previous month's report goes
to the leadership channel. It is checked every hour, so a worker that was down on the 1st
catches up once when it runs again; the delivery's unique key means never twice.
`report-requests`: every minute, the reports people asked for with `/social report`."""

from __future__ import annotations

from bot.flows import report as flow
from jobs.job import Job, JobContext
from jobs.locking import locked


def run_monthly(ctx: JobContext) -> str:
    return locked(ctx, "monthly-report", lambda c: flow.monthly(c.runtime, c.client, c.at))


def run_requests(ctx: JobContext) -> str:
    return locked(ctx, "report-requests", lambda c: flow.requested(c.runtime, c.client))


MONTHLY_REPORT_JOB = Job(
    name="monthly-report",
    description="the previous month's report to leadership, on the 1st at 09:00 (checked "
    "hourly, so missed ones are caught up once)",
    run=run_monthly,
    cron={"minute": 0},
)
REPORT_REQUESTS_JOB = Job(
    name="report-requests",
    description="make and DM the reports asked for with /social report",
    run=run_requests,
    cron={"minute": "*"},
)
