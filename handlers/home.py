"""App Home: published whenever someone opens the tab."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.flows import access as access_flows
from bot.home import home_for
from bot.organisation.directory import Directory, NoOrganisation
from bot.people import timezone_of
from bot.runtime import Runtime
from handlers.context import runtime_of
from handlers.payloads import AppHomeOpened
from handlers.views.home import home_view
from storage.repositories import people as people_repo


def handle_app_home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    payload = AppHomeOpened.model_validate(event)
    if payload.tab != "home":
        return
    runtime = runtime_of(context)
    view = home_for_user(runtime=runtime, client=client, user_id=payload.user)
    client.views_publish(user_id=payload.user, view=view)


def home_for_user(*, runtime: Runtime, client: WebClient, user_id: str) -> dict[str, Any]:
    """The user's App Home view as of the runtime's clock (the caller publishes it)."""
    with runtime.session() as session:
        try:
            directory: Directory | None = runtime.organisation(session)
        except NoOrganisation:
            directory = None
        model = home_for(session=session, directory=directory, user_id=user_id, now=runtime.now())
        people_repo.mark_home_opened(session, user_id, runtime.now())
    fallback = directory.timezone if directory else ZoneInfo("UTC")
    tz = timezone_of(runtime=runtime, client=client, user_id=user_id, fallback=fallback)
    with runtime.session() as session:
        access = access_flows.home_section(runtime, session, directory, user_id, tz)
    return home_view(model, tz, access)
