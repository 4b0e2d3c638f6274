"""Thin Slack listeners. These tables are the single list of what the app answers:
`register` wires them into Bolt and the manifest test checks them against the manifest.

Every listener is split in two. `ack` runs on the request thread and must be quick: it answers
Slack (within its 3 seconds) and may reject bad input. `work` runs afterwards on the listener
pool, so nothing slow ever delays an acknowledgement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App

from bot.runtime import Runtime
from handlers.context import inject_runtime
from handlers.home import handle_app_home_opened
from handlers.social_command import handle_social


def ack_now(ack: Ack) -> None:
    ack()


@dataclass(frozen=True)
class Listener:
    work: Callable[..., Any]
    ack: Callable[..., Any] = ack_now


COMMANDS: dict[str, Listener] = {"/social": Listener(work=handle_social)}
EVENTS: dict[str, Listener] = {"app_home_opened": Listener(work=handle_app_home_opened)}


def register(app: App, runtime: Runtime) -> None:
    app.use(inject_runtime(runtime))
    for name, listener in COMMANDS.items():
        app.command(name)(ack=listener.ack, lazy=[listener.work])
    for name, listener in EVENTS.items():
        app.event(name)(ack=listener.ack, lazy=[listener.work])
