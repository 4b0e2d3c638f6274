"""The baseline for bench/ack.py: a bare Bolt app whose `/social` acks and makes one call.

Served exactly like socialbot (bot.app.make_http_server: waitress, 16 threads, the same
/slack/events and /healthz paths, request verification on, a 16-worker listener executor),
so the only difference between the two is what happens inside the listener.

Reads SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL and PORT from the environment.
Run: python bench/bare_app.py
"""

from __future__ import annotations

import logging
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.app import make_http_server
from bot.config import load_settings
from bot.runtime import Runtime
from storage.db import make_engine


def build_bare_app(token: str, signing_secret: str, api_url: str) -> App:
    app = App(
        client=WebClient(token=token, base_url=api_url),
        signing_secret=signing_secret,
        request_verification_enabled=True,
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(max_workers=16, thread_name_prefix="listener"),
    )

    @app.command("/social")
    def social(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="ok", response_type="ephemeral")

    return app


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    settings = load_settings()
    app = build_bare_app(settings.bot_token, settings.signing_secret, settings.slack_api_url)
    # make_http_server's health check runs SELECT 1; an in-memory database is enough here.
    runtime = Runtime(settings=settings, engine=make_engine("sqlite://"))
    server = make_http_server(
        app, runtime, host=os.environ.get("HOST", "127.0.0.1"), port=settings.port
    )
    signal.signal(signal.SIGTERM, lambda *_: server.close())
    with suppress(OSError, ValueError):  # the socket closes under it on SIGTERM
        server.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
