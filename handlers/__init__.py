"""Thin Slack listeners. These tables are the single list of what the app answers:
`register` wires them into Bolt and the manifest test checks them against the manifest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App

from bot.runtime import Runtime
from handlers.context import inject_runtime
from handlers.home import handle_app_home_opened
from handlers.social_command import handle_social

COMMANDS: dict[str, Callable[..., Any]] = {"/social": handle_social}
EVENTS: dict[str, Callable[..., Any]] = {"app_home_opened": handle_app_home_opened}


def register(app: App, runtime: Runtime) -> None:
    app.use(inject_runtime(runtime))
    for name, listener in COMMANDS.items():
        app.command(name)(listener)
    for name, listener in EVENTS.items():
        app.event(name)(listener)
