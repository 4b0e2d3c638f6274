"""`home`: republish App Home for everyone who has opened it, so the month stays current."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from handlers.home import home_for_user
from jobs.registry import Job, JobContext
from storage.repositories import people as people_repo

log = logging.getLogger("socialbot.jobs")


def refresh_home(ctx: JobContext) -> str:
    with ctx.runtime.session() as session:
        viewers = list(people_repo.home_viewers(session))
    failed = 0
    for user_id in viewers:
        try:
            view = home_for_user(runtime=ctx.runtime, client=ctx.client, user_id=user_id)
            ctx.client.views_publish(user_id=user_id, view=view)
        except SlackApiError as exc:
            failed += 1
            log.warning(
                "home publish failed", extra={"user": user_id, "detail": exc.response.get("error")}
            )
    return f"{len(viewers) - failed} published, {failed} failed"


HOME_JOB = Job(
    name="home",
    description="Republish App Home for everyone who has opened it (daily, 06:00).",
    run=refresh_home,
    cron={"hour": 6, "minute": 0},
)
