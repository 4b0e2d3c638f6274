"""What a job is: a name, a cron, and the flow it runs with a context as of its moment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.slack.context import SlackContext


@dataclass(frozen=True)
class JobContext(SlackContext):
    """A flow's context as of the moment the job was run for."""

    at: datetime = field(kw_only=True)


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    run: Callable[[JobContext], str]
    # APScheduler cron fields, read in the organisation's timezone.
    cron: dict[str, Any] = field(default_factory=dict)
