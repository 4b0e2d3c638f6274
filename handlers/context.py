"""Hand listeners the runtime (Bolt middleware), and log one line per request."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse, Respond
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.context import SlackContext
from bot.text import clean, clip

log = logging.getLogger("socialbot.requests")
RUNTIME_KEY = "socialbot_runtime"


def runtime_of(context: BoltContext) -> Runtime:
    runtime: Runtime = context[RUNTIME_KEY]
    return runtime


def slack_of(context: BoltContext, client: WebClient) -> SlackContext:
    """What a flow needs, from what Bolt hands a listener."""
    return SlackContext(runtime_of(context), client)


def say_privately(
    respond: Respond | None,
    text: str | None,
    *,
    client: WebClient | None = None,
    user_id: str | None = None,
) -> None:
    """An ephemeral answer to the person who clicked (nothing when there is nothing to say).
    A click on App Home comes with no response URL: there, given the client and who clicked,
    the answer is a direct message from the bot (Slack has no ephemeral message in a view)."""
    if not text:
        return
    if respond is not None and getattr(respond, "response_url", None):
        respond(text=text, response_type="ephemeral", replace_original=False)
    elif client is not None and user_id is not None:
        client.chat_postMessage(channel=user_id, text=text)


def inject_runtime(runtime: Runtime) -> Callable[..., BoltResponse | None]:
    def middleware(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        context[RUNTIME_KEY] = runtime
        return next()

    return middleware


def log_request(request: BoltRequest, response: BoltResponse, started: float) -> None:
    """One line per request, however it ended (401s included), naming who and what."""
    context = request.context
    retry = request.headers.get("x-slack-retry-num", [None])[0]
    log.info(
        "slack request",
        extra={
            **describe(request.body),
            "user": _name(context.user_id or "-"),
            "team": _name(context.team_id or "-"),
            "status": response.status,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            **({"detail": f"retry {retry}"} if retry else {}),
        },
    )


def describe(body: dict[str, Any]) -> dict[str, str]:
    """What kind of request this is, naming the command, action or event but never text.
    Any shape is described, however malformed: this runs for refused requests too."""
    if not isinstance(body, dict):
        return {"kind": "unknown"}
    if "command" in body:
        return {"kind": "command", "command": _name(body["command"])}
    kind = _name(body.get("type", "unknown"))
    if kind == "block_actions":
        actions = body.get("actions")
        first = actions[0] if isinstance(actions, list) and actions else {}
        return {"kind": kind, "action": _name(_field(first, "action_id"))}
    if kind in {"view_submission", "view_closed"}:
        return {"kind": kind, "callback": _name(_field(body.get("view"), "callback_id"))}
    if kind == "event_callback":
        return {"kind": "event", "event": _name(_field(body.get("event"), "type"))}
    return {"kind": kind}


def _field(node: Any, key: str) -> Any:
    return node.get(key, "-") if isinstance(node, dict) else "-"


def _name(value: Any) -> str:
    """An identifier for the log: short, and one line whatever was sent."""
    return clip(clean(str(value)).replace("\n", " "), 64)
