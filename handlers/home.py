"""App Home: published whenever someone opens the tab."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.home import home_for
from bot.people import timezone_of
from bot.runtime import Runtime
from handlers.context import runtime_of
from handlers.payloads import AppHomeOpened
from handlers.views.home import home_view
from storage.repositories import organisation as org_repo
from storage.repositories import people as people_repo


def handle_app_home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    payload = AppHomeOpened.model_validate(event)
    if payload.tab != "home":
        return
    publish_home(runtime=runtime_of(context), client=client, user_id=payload.user)


def publish_home(*, runtime: Runtime, client: WebClient, user_id: str) -> None:
    with runtime.session() as session:
        model = home_for(session=session, user_id=user_id, now=runtime.now())
        org = org_repo.get_organisation(session)
        people_repo.mark_home_opened(session, user_id, runtime.now())
    fallback = ZoneInfo(org.timezone) if org else ZoneInfo("UTC")
    tz = timezone_of(runtime=runtime, client=client, user_id=user_id, fallback=fallback)
    client.views_publish(user_id=user_id, view=home_view(model, tz))
