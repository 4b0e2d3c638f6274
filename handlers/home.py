"""App Home: published whenever someone opens the tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.flows.home import publish_home
from handlers.context import slack_of
from handlers.payloads import AppHomeOpened


def handle_app_home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    payload = AppHomeOpened.model_validate(event)
    if payload.tab == "home":
        publish_home(slack_of(context, client), payload.user)
