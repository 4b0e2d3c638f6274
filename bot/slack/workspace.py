"""The workspace's own address, for links Slack would build itself (message permalinks)."""

from __future__ import annotations

import logging
import threading

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
_known: dict[str, str] = {}  # bot token -> workspace URL; a workspace's address rarely moves
_lock = threading.Lock()


def workspace_url(client: WebClient) -> str:
    """`https://acme.slack.com/` from auth.test, asked once per token; "" if Slack can't say
    (links then go through slack.com, which redirects signed-in people)."""
    token = f"{client.base_url}|{client.token or ''}"
    with _lock:
        if token in _known:
            return _known[token]
    try:
        url = str(client.auth_test().get("url") or "")
    except SlackApiError as exc:
        log.warning("auth.test failed", extra={"detail": exc.response.get("error")})
        return ""
    with _lock:
        _known[token] = url
    return url
