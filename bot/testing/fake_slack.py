"""A local fake of Slack's Web API that records every call and answers like Slack does."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote

TEAM_ID = "T0TEAM"
BOT_USER_ID = "U0BOT"
# Someone nobody is: tests type a mention of them, and it must never reach Slack live.
INJECTED_USER_ID = "U0INJECTED"
# What would notify, mention or link if it reached Slack unescaped from what someone typed.
LIVE_MARKUP = (
    "<!channel",
    "<!here",
    "<!everyone",
    "<!subteam",
    f"<@{INJECTED_USER_ID}",
    "<#C0INJECTED",
    "<https://evil.example",
)


@dataclass(frozen=True)
class Call:
    method: str
    args: dict[str, Any]
    at: float

    def __getitem__(self, key: str) -> Any:
        return self.args[key]

    def __contains__(self, key: str) -> bool:
        return key in self.args

    def get(self, key: str, default: Any = None) -> Any:
        return self.args.get(key, default)

    @property
    def blocks(self) -> list[dict[str, Any]]:
        blocks = self.args.get("blocks") or self.args.get("view", {}).get("blocks") or []
        return json.loads(blocks) if isinstance(blocks, str) else blocks

    @property
    def view(self) -> dict[str, Any]:
        view = self.args.get("view") or {}
        return json.loads(view) if isinstance(view, str) else view


@dataclass
class _Failure:
    method: str
    times: int
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    when: Callable[[dict[str, Any]], bool] | None


@dataclass
class Stall:
    """The `nth` call of `method` is carried out (a message is posted) but its answer is held
    back until `release()`: a process killed meanwhile never hears that it went through."""

    method: str
    remaining: int
    reached: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float = 10.0) -> None:
        if not self.reached.wait(timeout):
            raise AssertionError(f"{self.method} was not called often enough to stall")

    def release(self) -> None:
        self.released.set()


@dataclass
class FakeUser:
    id: str
    tz: str = "Europe/London"
    deleted: bool = False
    name: str = ""
    status_text: str = ""
    status_emoji: str = ""
    status_expiration: int = 0


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog of 5 drops connections in a burst; Slack's edge does not.
    request_queue_size = 256


class FakeSlack:
    """Start with `with FakeSlack() as slack:`; point the SDK at `slack.api_url`."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, FakeUser] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel → posted, oldest first
        self.files: dict[str, tuple[dict[str, Any], bytes]] = {}  # id → (file object, content)
        # files upload v2: id → {"filename", "length", "content" (bytes once POSTed)}
        self.uploads: dict[str, dict[str, Any]] = {}
        self._failures: list[_Failure] = []
        self._stalls: list[Stall] = []
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "r") -> str:
        return f"{self.base_url}/response/{name}"

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- arranging -----------------------------------------------------------------------------

    def add_user(self, user_id: str, **fields: Any) -> FakeUser:
        user = FakeUser(user_id, **fields)
        self.users[user_id] = user
        return user

    def add_file(
        self, name: str, content: bytes, *, user: str = "U0SOMEONE", mimetype: str = "text/csv"
    ) -> dict[str, Any]:
        """A file someone shared, as Slack describes it in events and files.info; its
        url_private serves the bytes only with a bot token (else Slack's sign-in page)."""
        file_id = f"F{next(self._ids):08d}"
        url = f"{self.base_url}/files-pri/{TEAM_ID}-{file_id}/{quote(name)}"
        info = {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": name.rsplit(".", 1)[-1].lower(),
            "size": len(content),
            "user": user,
            "url_private": url,
            "url_private_download": url.replace(f"/{quote(name)}", f"/download/{quote(name)}"),
            "permalink": f"https://acme.slack.com/files/{user}/{file_id}/{name}",
        }
        self.files[file_id] = (info, content)
        return info

    def fail(
        self,
        method: str,
        error: str = "internal_error",
        *,
        times: int = 1,
        status: int = 200,
        when: Callable[[dict[str, Any]], bool] | None = None,
    ) -> None:
        """The next `times` calls of `method` (matching `when`) answer ok=false with `error`."""
        self._failures.append(
            _Failure(method, times, status, {"ok": False, "error": error}, {}, when)
        )

    def rate_limit(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        self._failures.append(
            _Failure(
                method,
                times,
                429,
                {"ok": False, "error": "ratelimited"},
                {"Retry-After": str(retry_after)},
                None,
            )
        )

    def stall(self, method: str, *, nth: int) -> Stall:
        """Hold back the answer to the `nth` call of `method` from now (see Stall)."""
        stall = Stall(method, nth)
        with self._lock:
            self._stalls.append(stall)
        return stall

    # --- asserting -----------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Listeners run after the ack, so tests wait for the calls they expect (optionally
        only those `where` accepts)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [
                    c for c in self.calls if c.method == method and (where is None or where(c))
                ]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = ", ".join(c.method for c in self.calls) or "nothing"
                    raise AssertionError(
                        f"expected {count} call(s) to {method}, got {len(found)}; saw: {seen}"
                    )
                self._lock.wait(remaining)

    def broadcasts(self) -> list[Call]:
        """Every call that carries live markup from user input, in any argument: `text`,
        blocks, views, response_url replies. Tests assert there are none."""
        with self._lock:
            calls = list(self.calls)
        return [c for c in calls if any(m in t for t in _live_texts(c.args) for m in LIVE_MARKUP)]

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()

    # --- answering -----------------------------------------------------------------------------

    def _record(self, method: str, args: dict[str, Any]) -> None:
        with self._lock:
            self.calls.append(Call(method, args, time.time()))
            self._lock.notify_all()

    def _failure_for(self, method: str, args: dict[str, Any]) -> _Failure | None:
        with self._lock:
            for failure in self._failures:
                matches = failure.when is None or failure.when(args)
                if failure.method == method and failure.times > 0 and matches:
                    failure.times -= 1
                    return failure
        return None

    def _hold(self, method: str) -> None:
        with self._lock:
            held = []
            for stall in self._stalls:
                if stall.method == method and stall.remaining > 0:
                    stall.remaining -= 1
                    if stall.remaining == 0:
                        held.append(stall)
        for stall in held:
            stall.reached.set()
            stall.released.wait(60)

    def _next_ts(self) -> str:
        # Real-time seconds, so `oldest` filters behave as they do at Slack.
        return f"{time.time():.6f}"[:-6] + f"{next(self._ts) % 1_000_000:06d}"

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://acme.slack.com/",
                "team": "Acme",
                "user": "socialbot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": "B0BOT",
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": "wss://wss.slack.invalid/link/?ticket=fake"}
        if method == "chat.postMessage":
            if channel.startswith(("U", "W")):
                user = self.users.get(channel)
                if user is not None and user.deleted:
                    return {"ok": False, "error": "user_not_found"}
                channel = "D" + channel[1:]
            message = {**args, "ts": self._next_ts(), "type": "message", "user": BOT_USER_ID}
            metadata = message.get("metadata")
            if isinstance(metadata, str):
                message["metadata"] = json.loads(metadata)
            with self._lock:
                posted = self.messages.setdefault(channel, [])
                parent = next((m for m in posted if m["ts"] == message.get("thread_ts")), None)
                if parent is not None:
                    parent["thread_ts"] = parent["ts"]
                    parent["reply_count"] = int(parent.get("reply_count", 0)) + 1
                posted.append(message)
            return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}
        if method == "conversations.history":
            # Newest first; thread replies are not part of a channel's history.
            with self._lock:
                posted = [
                    m
                    for m in self.messages.get(channel, [])
                    if m.get("thread_ts", m["ts"]) == m["ts"] or _true(m.get("reply_broadcast"))
                ]
            found = _between(reversed(posted), args)
            limit = int(args.get("limit") or 100)
            return {
                "ok": True,
                "messages": [_shown(m, args) for m in found[:limit]],
                "has_more": len(found) > limit,
            }
        if method == "conversations.replies":
            # The thread's parent first, then its replies oldest first (`ts` may be any of them).
            ts = str(args.get("ts", ""))
            with self._lock:
                posted = list(self.messages.get(channel, []))
            if not any(m["ts"] == ts for m in posted):
                return {"ok": False, "error": "thread_not_found"}
            root = next(m.get("thread_ts", m["ts"]) for m in posted if m["ts"] == ts)
            head = [m for m in posted if m["ts"] == root]
            replies = _between(
                (m for m in posted if m.get("thread_ts") == root and m["ts"] != root), args
            )
            found = head + replies
            limit = int(args.get("limit") or 1000)
            return {
                "ok": True,
                "messages": [_shown(m, args) for m in found[:limit]],
                "has_more": len(found) > limit,
            }
        if method == "users.list":
            members = sorted(self.users.values(), key=lambda u: u.id)
            start = int(args.get("cursor") or 0)
            limit = int(args.get("limit") or 200)
            page = members[start : start + limit]
            cursor = str(start + limit) if start + limit < len(members) else ""
            return {
                "ok": True,
                "members": [self._user_info(u.id)["user"] for u in page],
                "response_metadata": {"next_cursor": cursor},
            }
        if method == "chat.update":
            return {"ok": True, "channel": channel, "ts": args.get("ts"), "text": args.get("text")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "conversations.open":
            users = str(args.get("users", ""))
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0][1:]}}
        if method == "users.info":
            return self._user_info(str(args.get("user", "")))
        if method in {"views.open", "views.publish", "views.update", "views.push"}:
            view = args.get("view") or {}
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {**view, "id": f"V{next(self._ids):08d}"}}
        if method == "files.info":
            shared = self.files.get(str(args.get("file", "")))
            if shared is None:
                return {"ok": False, "error": "file_not_found"}
            return {"ok": True, "file": shared[0]}
        if method == "files.getUploadURLExternal":
            return self._upload_url(args)
        if method == "files.completeUploadExternal":
            return self._complete_upload(args)
        return {"ok": False, "error": "unknown_method"}

    # --- files upload v2: getUploadURLExternal → POST the bytes → completeUploadExternal ---------

    def _upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        filename = str(args.get("filename") or "")
        length = str(args.get("length") or "")
        if not filename or not length.isdigit() or int(length) <= 0:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ids):08d}"
        with self._lock:
            self.uploads[file_id] = {"filename": filename, "length": int(length), "content": None}
        return {
            "ok": True,
            "upload_url": f"{self.base_url}/upload/v1/{file_id}",
            "file_id": file_id,
        }

    def receive_upload(self, file_id: str, content: bytes) -> bool:
        with self._lock:
            upload = self.uploads.get(file_id)
            if upload is None:
                return False
            upload["content"] = content
            return True

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files") or "[]"
        try:
            files = json.loads(files) if isinstance(files, str) else files
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        if not isinstance(files, list) or not files:
            return {"ok": False, "error": "invalid_arguments"}
        channel = str(args.get("channel_id") or "")
        thread_ts = args.get("thread_ts")
        if thread_ts and not channel:
            return {"ok": False, "error": "invalid_arguments"}
        done = []
        with self._lock:
            for item in files:
                upload = self.uploads.get(str(item.get("id")))
                if upload is None:
                    return {"ok": False, "error": "file_not_found"}
                if upload["content"] is None or len(upload["content"]) != upload["length"]:
                    return {"ok": False, "error": "file_upload_not_completed"}
            for item in files:
                upload = self.uploads[item["id"]]
                info = {
                    "id": item["id"],
                    "name": upload["filename"],
                    "title": item.get("title") or upload["filename"],
                    "size": upload["length"],
                    "mimetype": "image/png" if upload["filename"].endswith(".png") else "",
                    "shares": {
                        "public" if channel.startswith("C") else "private": {
                            channel: [{"ts": self._next_ts(), "thread_ts": thread_ts}]
                        }
                    }
                    if channel
                    else {},
                }
                self.files[item["id"]] = (info, upload["content"])
                done.append({"id": info["id"], "title": info["title"]})
            if channel:
                self.messages.setdefault(channel, []).append(
                    {
                        "type": "message",
                        "subtype": "file_share" if not thread_ts else None,
                        "ts": self._next_ts(),
                        "thread_ts": thread_ts,
                        "files": done,
                        "user": BOT_USER_ID,
                    }
                )
        return {"ok": True, "files": done}

    def _user_info(self, user_id: str) -> dict[str, Any]:
        user = self.users.get(user_id) or FakeUser(user_id)
        if not user_id.startswith(("U", "W")):
            return {"ok": False, "error": "user_not_found"}
        return {
            "ok": True,
            "user": {
                "id": user.id,
                "team_id": TEAM_ID,
                "name": user.name or user.id.lower(),
                "deleted": user.deleted,
                "tz": user.tz,
                "profile": {
                    "real_name": user.name or user.id,
                    "display_name": user.name,
                    "status_text": user.status_text,
                    "status_emoji": user.status_emoji,
                    "status_expiration": user.status_expiration,
                },
            },
        }


def _true(value: Any) -> bool:
    return value in (True, 1, "1", "true")


def _between(messages: Iterable[dict[str, Any]], args: dict[str, Any]) -> list[dict[str, Any]]:
    """Slack's `oldest`/`latest` window: exclusive unless `inclusive`."""
    oldest, latest = float(args.get("oldest") or 0), float(args.get("latest") or "inf")
    if _true(args.get("inclusive")):
        return [m for m in messages if oldest <= float(m["ts"]) <= latest]
    return [m for m in messages if oldest < float(m["ts"]) < latest]


def _shown(message: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    """Message metadata is only returned to those who ask for it (`include_all_metadata`)."""
    if _true(args.get("include_all_metadata")):
        return message
    return {k: v for k, v in message.items() if k != "metadata"}


def _live_texts(node: Any) -> list[str]:
    """Every string Slack would read as markup: all but plain_text objects (which Slack shows
    as written), looking inside arguments sent as JSON strings (blocks, views)."""
    if isinstance(node, str):
        if node[:1] in "[{":
            try:
                return _live_texts(json.loads(node))
            except ValueError:
                pass
        return [node]
    if isinstance(node, dict):
        if node.get("type") == "plain_text":
            return []
        return [t for value in node.values() for t in _live_texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _live_texts(value)]
    return []


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._handle(b"")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._handle(self.rfile.read(length))

        def _handle(self, raw: bytes) -> None:
            path, _, query = self.path.partition("?")
            if path.startswith("/upload/"):
                file_id = path.rsplit("/", 1)[1]
                fake._record("upload", {"file_id": file_id, "bytes": len(raw)})
                if not fake.receive_upload(file_id, raw):
                    return self._send(404, b"not found", "text/plain")
                return self._send(200, f"OK - {len(raw)}".encode(), "text/plain")
            if path.startswith("/files-pri/"):
                return self._download(path)
            if path.startswith("/response/"):
                args = json.loads(raw or b"{}")
                fake._record("response_url", {**args, "response_url": path})
                return self._send_json(200, {"ok": True})
            if not path.startswith("/api/"):
                return self._send(404, b"not found", "text/plain")
            method = path.removeprefix("/api/")
            args = self._parse(raw, query)
            # Bot tokens, and app-level tokens (xapp-) for apps.connections.open.
            bearer = (self.headers.get("Authorization") or "").startswith(
                ("Bearer xox", "Bearer xapp-")
            )
            if not bearer and "token" not in args:
                return self._send_json(200, {"ok": False, "error": "not_authed"})
            args.pop("token", None)
            fake._record(method, args)
            failure = fake._failure_for(method, args)
            if failure is not None:
                return self._send_json(failure.status, failure.body, failure.headers)
            answer = fake.answer(method, args)
            fake._hold(method)
            self._send_json(200, answer)

        def _download(self, path: str) -> None:
            file_id = path.split("/")[2].split("-", 1)[-1]
            authorization = self.headers.get("Authorization") or ""
            fake._record("file_download", {"file_id": file_id, "authorization": authorization})
            found = fake.files.get(file_id)
            if found is None:
                return self._send(404, b"not found", "text/plain")
            if not authorization.startswith("Bearer xox"):
                # What Slack does without a token: its sign-in page, with 200.
                return self._send(200, b"<!DOCTYPE html><title>Sign in</title>", "text/html")
            return self._send(200, found[1], found[0]["mimetype"])

        def _parse(self, raw: bytes, query: str) -> dict[str, Any]:
            content_type = self.headers.get("Content-Type") or ""
            args: dict[str, Any] = dict(parse_qsl(query))
            if "application/json" in content_type:
                args.update(json.loads(raw or b"{}"))
            elif raw:
                args.update(parse_qsl(raw.decode()))
            return args

        def _send_json(
            self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            self._send(status, json.dumps(body).encode(), "application/json", headers)

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str,
            headers: dict[str, str] | None = None,
        ) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the caller died waiting (a stalled answer)

    return Handler
