"""Logging: one line per request and per job run, as text or JSON, with secrets scrubbed."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

from bot.config import LogFormat

# Belt and braces: whatever reaches a handler, tokens and signing material never leave it.
_SECRET = re.compile(r"xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|v0=[a-f0-9]{64}")

# Fields a request or job line may carry; message text is deliberately not among them.
FIELDS = (
    "kind",
    "user",
    "team",
    "action",
    "command",
    "event",
    "callback",
    "job",
    "outcome",
    "status",
    "ms",
    "detail",
)


def scrub(text: str) -> str:
    return _SECRET.sub("[redacted]", text)


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        base = super().format(record)
        extras = " ".join(
            f"{name}={getattr(record, name)}" for name in FIELDS if hasattr(record, name)
        )
        return scrub(f"{base} {extras}".rstrip())


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update({name: getattr(record, name) for name in FIELDS if hasattr(record, name)})
        if record.exc_info:
            data["error"] = self.formatException(record.exc_info)
        return scrub(json.dumps(data, default=str))


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time, so redirected output is honoured."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure(log_format: LogFormat, level: str) -> None:
    handler = _StderrHandler()
    if log_format is LogFormat.JSON:
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(_TextFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Bolt and the SDK log request bodies at DEBUG; those can hold message text.
    for noisy in ("slack_bolt", "slack_sdk", "waitress", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
