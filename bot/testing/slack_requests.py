"""Correctly signed requests, shaped like the ones Slack sends to an app's request URL."""

from __future__ import annotations

import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.testing.fake_slack import BOT_USER_ID, TEAM_ID


@dataclass(frozen=True)
class Response:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class SlackRequests:
    """Sends what Slack would send to `url` (the app's /slack/events), signed with `secret`."""

    def __init__(self, url: str, secret: str, response_base: str, team_id: str = TEAM_ID) -> None:
        self.url = url
        self.secret = secret
        self.response_base = response_base
        self.team_id = team_id
        self._ids = itertools.count(1)

    # --- the raw request -----------------------------------------------------------------------

    def post(
        self,
        body: str | bytes,
        content_type: str,
        *,
        timestamp: int | str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 10.0,
    ) -> Response:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        raw = body if isinstance(body, bytes) else body.encode()
        if signature is None:  # signed over the bytes sent, UTF-8 or not
            digest = hmac.new(self.secret.encode(), b"v0:" + stamp.encode() + b":" + raw, "sha256")
            signature = "v0=" + digest.hexdigest()
        request = urllib.request.Request(
            self.url,
            data=raw,
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": signature,
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                return Response(reply.status, reply.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read().decode())

    def _form(self, payload: Any, **kwargs: Any) -> Response:
        return self.raw_payload(json.dumps(payload), **kwargs)

    def raw_payload(self, payload: str, **kwargs: Any) -> Response:
        """An interactivity request whose `payload=` is exactly `payload`, JSON or not."""
        body = urlencode({"payload": payload})
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def interactive(self, payload: Any, **kwargs: Any) -> Response:
        """Any payload at all, signed as Slack would sign it (for forged or malformed ones)."""
        return self._form(payload, **kwargs)

    def _user(self, user_id: str) -> dict[str, str]:
        return {
            "id": user_id,
            "username": user_id.lower(),
            "name": user_id.lower(),
            "team_id": self.team_id,
        }

    def _trigger(self) -> str:
        return f"{next(self._ids)}.trigger"

    # --- what Slack sends ------------------------------------------------------------------------

    def command(
        self,
        user_id: str,
        text: str = "",
        *,
        command: str = "/social",
        channel_id: str = "C0GENERAL",
        **kwargs: Any,
    ) -> Response:
        body = urlencode(
            {
                "token": "deprecated-verification-token",
                "team_id": self.team_id,
                "team_domain": "acme",
                "channel_id": channel_id,
                "channel_name": "general",
                "user_id": user_id,
                "user_name": user_id.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A0APP",
                "is_enterprise_install": "false",
                "response_url": f"{self.response_base}/cmd{next(self._ids)}",
                "trigger_id": self._trigger(),
            }
        )
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def block_action(
        self,
        user_id: str,
        action_id: str,
        *,
        value: str = "",
        block_id: str = "b",
        channel_id: str | None = None,
        message_ts: str | None = None,
        thread_ts: str | None = None,
        view: dict[str, Any] | None = None,
        selected_option: dict[str, Any] | None = None,
        selected_user: str | None = None,
        ephemeral: bool = False,
        message_blocks: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> Response:
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block_id,
            "type": "button",
            "value": value,
            "action_ts": f"{time.time():.6f}",
        }
        if selected_option is not None:
            action.update(type="static_select", selected_option=selected_option)
        if selected_user is not None:
            action.update(type="users_select", selected_user=selected_user)
            action.pop("value")
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user_id),
            "api_app_id": "A0APP",
            "token": "deprecated-verification-token",
            "team": {"id": self.team_id, "domain": "acme"},
            "trigger_id": self._trigger(),
            "response_url": f"{self.response_base}/act{next(self._ids)}",
            "actions": [action],
        }
        if channel_id is not None:
            message: dict[str, Any] = {
                "type": "message",
                "ts": message_ts or "1.0",
                "user": BOT_USER_ID,
            }
            if thread_ts:
                message["thread_ts"] = thread_ts
            if message_blocks is not None:
                message["blocks"] = message_blocks
            payload.update(
                container={
                    "type": "message",
                    "message_ts": message_ts or "1.0",
                    "channel_id": channel_id,
                    "is_ephemeral": ephemeral,
                },
                channel={"id": channel_id, "name": "channel"},
                message=message,
            )
        if view is not None:
            # As Slack does: a click in a view (App Home, a modal) carries no response URL.
            payload.update(container={"type": "view", "view_id": view.get("id", "V0")}, view=view)
            payload.pop("response_url")
        return self._form(payload, **kwargs)

    def view_submission(
        self,
        user_id: str,
        callback_id: str,
        values: dict[str, dict[str, Any]],
        *,
        private_metadata: str = "",
        **kwargs: Any,
    ) -> Response:
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": "acme"},
            "user": self._user(user_id),
            "api_app_id": "A0APP",
            "token": "deprecated-verification-token",
            "trigger_id": self._trigger(),
            "view": {
                "id": f"V{next(self._ids):08d}",
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "state": {"values": values},
                "hash": "h",
            },
            "response_urls": [],
        }
        return self._form(payload, **kwargs)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        **kwargs: Any,
    ) -> Response:
        body = json.dumps(
            {
                "token": "deprecated-verification-token",
                "team_id": self.team_id,
                "api_app_id": "A0APP",
                "event": {"event_ts": f"{time.time():.6f}", **event},
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(self._ids):08d}",
                "event_time": int(time.time()),
                "authorizations": [
                    {"team_id": self.team_id, "user_id": BOT_USER_ID, "is_bot": True}
                ],
            }
        )
        headers = dict(kwargs.pop("headers", {}) or {})
        if retry_num is not None:
            headers.update(
                {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
            )
        return self.post(body, "application/json", headers=headers, **kwargs)

    def app_home_opened(self, user_id: str, **kwargs: Any) -> Response:
        return self.event(
            {
                "type": "app_home_opened",
                "user": user_id,
                "channel": "D" + user_id[1:],
                "tab": "home",
            },
            **kwargs,
        )
