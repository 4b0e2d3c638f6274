"""Before Bolt sees a request: its signature, then whether it parses at all.

Bolt parses the body while building its request, before any middleware or signature check
runs, so a body that is not what Slack sends (a `payload=` that is not JSON, a JSON array,
bytes that are not UTF-8) or a timestamp that is not a whole number would end in a 500 and a
traceback. Here an unsigned request is refused with a 401 and a malformed one with a 400,
each logged as one quiet line."""

from __future__ import annotations

import hmac
import logging
import re
import time
from collections.abc import Mapping, Sequence

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger("socialbot.requests")
MAX_CLOCK_SKEW = 5 * 60  # Slack's own rule for replayed requests
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


def _header(headers: Mapping[str, str | Sequence[str]], name: str) -> str | None:
    value = headers.get(name)
    if value is None or isinstance(value, str):
        return value
    return value[0] if value else None


def is_signed(
    secret: str, body: str, timestamp: str | None, signature: str | None, now: float
) -> bool:
    """Slack's v0 signature, over a timestamp that must be whole seconds within 5 minutes."""
    if not timestamp or not signature or not _TIMESTAMP.fullmatch(timestamp):
        return False
    if abs(now - int(timestamp)) > MAX_CLOCK_SKEW:
        return False
    expected = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    # As bytes: compare_digest refuses str with non-ASCII characters, which a header can hold.
    given = signature.encode("utf-8", "replace")
    return expected is not None and hmac.compare_digest(expected.encode(), given)


def refuse(status: int, why: str) -> BoltResponse:
    log.info("slack request", extra={"kind": "refused", "status": status, "detail": why})
    return BoltResponse(status=status, body="")


class GatedRequestHandler(SlackRequestHandler):
    """Bolt's WSGI handler, refusing what is unsigned or unparseable before Bolt parses it."""

    def __init__(self, app: App, signing_secret: str, path: str) -> None:
        super().__init__(app, path=path)
        self._secret = signing_secret

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        try:
            body = request.get_body()
        except (ValueError, UnicodeDecodeError):
            return refuse(400, "unreadable body")
        headers = request.get_headers()
        timestamp = _header(headers, "x-slack-request-timestamp")
        signature = _header(headers, "x-slack-signature")
        if not is_signed(self._secret, body, timestamp, signature, time.time()):
            return refuse(401, "bad signature")
        try:
            bolt_request = BoltRequest(body=body, query=request.query_string, headers=headers)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError):
            return refuse(400, "malformed body")
        if not isinstance(bolt_request.body, dict):
            return refuse(400, "malformed body")
        return self.app.dispatch(bolt_request)
