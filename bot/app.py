"""Assembling the Bolt app and serving it over HTTP or Socket Mode."""

from __future__ import annotations

import errno
import logging
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import text

import handlers
from bot.config import HINTS, SLACK_API_URL, ConfigError, Settings
from bot.manifest import EVENTS_PATH
from bot.request_gate import GatedRequestHandler
from bot.runtime import Runtime
from handlers.context import log_request
from handlers.payloads import reject_malformed

log = logging.getLogger("socialbot")
HEALTH_PATH = "/healthz"
LISTENER_THREADS = 2


def make_client(settings: Settings) -> WebClient:
    """A Web API client that waits out 429s (Retry-After: nothing was posted). It does not
    retry dropped connections: Slack may already have posted, and a blind retry would post
    twice. Senders treat those as "in doubt" and settle them on the next run."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=5)],
    )


# Start-up checks speak for themselves in one line; the SDK's own error log would repeat them.
_quiet = logging.getLogger("socialbot.startup.slack")
_quiet.addHandler(logging.NullHandler())
_quiet.propagate = False
_REFUSED = {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}


def verify_bot_token(settings: Settings) -> None:
    """auth.test with the bot token, before anything starts: a ConfigError naming what to fix."""
    client = WebClient(token=settings.bot_token, base_url=settings.slack_api_url, logger=_quiet)
    _verify(settings, "SLACK_BOT_TOKEN", "auth.test", client.auth_test)


def verify_app_token(settings: Settings) -> None:
    """Socket Mode's app-level token, checked the way the connection will use it."""
    assert settings.slack_app_token is not None
    token = settings.slack_app_token.get_secret_value()
    client = WebClient(base_url=settings.slack_api_url, logger=_quiet)
    _verify(
        settings,
        "SLACK_APP_TOKEN",
        "apps.connections.open",
        lambda: client.apps_connections_open(app_token=token),
    )


def _verify(settings: Settings, name: str, method: str, call: Callable[[], Any]) -> None:
    try:
        call()
    except SlackApiError as exc:
        error = str(exc.response.get("error", "unknown error"))
        if error in _REFUSED:
            raise ConfigError(
                f"{name} was refused by Slack ({method}: {error}): {HINTS[name]}."
            ) from None
        raise ConfigError(
            f"Slack answered {method} with {error!r} for {name}: {HINTS[name]}."
        ) from None
    except OSError as exc:  # URLError, timeouts, refused connections
        raise ConfigError(_unreachable(settings, exc)) from None


def connection_reason(exc: OSError) -> str:
    """What went wrong reaching Slack, in a few words (URLError's reason, the OS's words)."""
    return str(getattr(exc, "reason", None) or exc.strerror or type(exc).__name__)


def _unreachable(settings: Settings, exc: OSError) -> str:
    reason = connection_reason(exc)
    if settings.slack_api_url == SLACK_API_URL:
        return f"Slack could not be reached ({reason}): check this machine's network or proxy."
    return (
        f"Slack could not be reached at SLACK_API_URL {settings.slack_api_url} ({reason}): "
        "check the address, or unset SLACK_API_URL to use Slack's own."
    )


class _QuietTokenNotice(logging.Filter):
    """Bolt notices SLACK_BOT_TOKEN in the environment beside our client; that is intended."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("As you gave `client` as well")


logging.getLogger("slack_bolt").addFilter(_QuietTokenNotice())


class ListenerPool(ThreadPoolExecutor):
    """The lazy listeners' threads. Counts the work in flight, so a caller (a test, the demo)
    can wait until everything submitted so far has finished: a request's work is submitted
    before its acknowledgement is answered."""

    def __init__(self, max_workers: int) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._pending = 0
        self._changed = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._changed:
            self._pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _: Future[Any]) -> None:
        with self._changed:
            self._pending -= 1
            self._changed.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """True once no listener work is queued or running (False: still busy at timeout)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._pending == 0, timeout)


class SocialApp(App):
    """Bolt's App, logging one line per request in HTTP and Socket Mode alike."""

    work_pool: ListenerPool

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        started = time.perf_counter()
        response = reject_malformed(req.body) or super().dispatch(req)
        log_request(req, response, started)
        return response


def build_app(runtime: Runtime) -> SocialApp:
    settings = runtime.settings
    # Bolt checks the token again (auth.test) for its own use; ours fails in one line first.
    verify_bot_token(settings)
    work_pool = ListenerPool(max_workers=LISTENER_THREADS)
    app = SocialApp(
        client=make_client(settings),
        signing_secret=settings.signing_secret,
        request_verification_enabled=True,
        # Acks are answered on the request thread; the work runs as lazy listeners.
        process_before_response=True,
        # Few listener threads: their work is mostly CPU, and more of them crowd the
        # acknowledgements out of the interpreter in a burst (see bench/ack.py).
        listener_executor=work_pool,
        logger=logging.getLogger("slack_bolt"),
    )
    app.work_pool = work_pool
    handlers.register(app, runtime)
    return app


class WsgiApp:
    """Slack's events path, plus a health check that also proves the database answers."""

    def __init__(self, app: App, runtime: Runtime) -> None:
        self._slack = GatedRequestHandler(app, runtime.settings.signing_secret, path=EVENTS_PATH)
        self._runtime = runtime

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == HEALTH_PATH:
            try:
                with self._runtime.engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
            except Exception:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"database unavailable\n"]
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok\n"]
        return self._slack(environ, start_response)


def make_http_server(app: App, runtime: Runtime, *, host: str, port: int) -> Any:
    """A waitress server (threaded, production-grade) for HTTP mode; call .run() / .close().
    It binds the port here, so a port in use stops start-up before anything else runs."""
    from waitress import create_server

    try:
        return create_server(
            WsgiApp(app, runtime), host=host, port=port, threads=16, ident="socialbot"
        )
    except OSError as exc:
        raise ConfigError(_cannot_listen(exc, host=host, port=port)) from None
    except ValueError:  # waitress: "Invalid host/port specified."
        raise ConfigError(
            f"--host {host!r} is not an address of this machine: use 0.0.0.0 or 127.0.0.1."
        ) from None


def _cannot_listen(exc: OSError, *, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"PORT {port} is already in use on {host}: stop whatever listens there "
            "(another socialbot?) or set PORT to a free port."
        )
    if exc.errno == errno.EACCES:
        return f"PORT {port} needs privileges this process lacks: set PORT to 1024 or above."
    if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
        return f"--host {host} is not an address of this machine: use 0.0.0.0 or 127.0.0.1."
    return f"cannot listen on {host}:{port} ({exc.strerror or exc}): set PORT or --host."


def stop_http_server(server: Any) -> None:
    """Let in-flight requests finish, then close the server from inside its own loop (via its
    trigger), so the loop never selects on a socket closed under it and then exits."""
    server.task_dispatcher.shutdown(cancel_pending=False, timeout=5)
    try:
        server.trigger.pull_trigger(server.close)
    except OSError:  # the loop has already gone: close directly
        server.close()


def run_socket_mode(app: App, settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    assert settings.slack_app_token is not None
    SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
