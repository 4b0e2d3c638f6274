"""`review-nudges` (hourly): drafts Slack refused are posted again, and a draft waiting too
long for a decision nudges its reviewers once (`bot.flows.review_nudges`)."""

from __future__ import annotations

from bot.flows.review_nudges import nudge_reviewers
from jobs.job import Job, JobContext
from jobs.locking import locked


def run_review_nudges(ctx: JobContext) -> str:
    return locked(ctx, "review-nudges", nudge_reviewers)


REVIEW_NUDGES_JOB = Job(
    name="review-nudges",
    description="Post drafts Slack refused earlier, and nudge reviewers once in the thread of "
    "a draft waiting too long (hourly).",
    run=run_review_nudges,
    cron={"minute": 35},
)
