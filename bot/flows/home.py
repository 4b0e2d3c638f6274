"""App Home: published when someone opens the tab or moves to another month, after a change
made from it, and refreshed daily for everyone who has opened it."""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError

from bot.flows import access as access_flows
from bot.home import home_for, home_viewers, record_home_opened
from bot.organisation.directory import Directory
from bot.organisation.missing import NoOrganisation
from bot.slack.context import SlackContext
from bot.slack.people import timezone_of
from bot.slack.views.home import home_view
from bot.slack.workspace import workspace_url

log = logging.getLogger("socialbot.jobs")


def home_for_user(ctx: SlackContext, user_id: str, offset: int = 0) -> dict[str, Any]:
    """The user's App Home view as of the runtime's clock (the caller publishes it), showing
    the month `offset` months from this one."""
    runtime = ctx.runtime
    with runtime.session() as session:
        try:
            directory: Directory | None = runtime.organisation(session)
        except NoOrganisation:
            directory = None
        model = home_for(
            session=session,
            directory=directory,
            user_id=user_id,
            now=runtime.now(),
            offset=offset,
        )
        record_home_opened(session, user_id, runtime.now())
    fallback = directory.timezone if directory else ZoneInfo("UTC")
    tz = timezone_of(runtime=runtime, client=ctx.client, user_id=user_id, fallback=fallback)
    links = workspace_url(ctx.client) if model.waiting else ""
    with runtime.session() as session:
        access = access_flows.home_section(runtime, session, directory, user_id, tz)
    return home_view(model, tz, links, access)


def publish_home(ctx: SlackContext, user_id: str, offset: int = 0) -> None:
    ctx.client.views_publish(user_id=user_id, view=home_for_user(ctx, user_id, offset))


def refresh_homes(ctx: SlackContext) -> str:
    """Republish App Home for everyone who has opened it, so the month stays current."""
    with ctx.runtime.session() as session:
        viewers = home_viewers(session)
    failed = 0
    for user_id in viewers:
        try:
            publish_home(ctx, user_id)
        except SlackApiError as exc:
            failed += 1
            log.warning(
                "home publish failed", extra={"user": user_id, "detail": exc.response.get("error")}
            )
    return f"{len(viewers) - failed} published, {failed} failed"
