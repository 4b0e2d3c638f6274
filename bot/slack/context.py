"""What every flow and every message the bot sends needs: the runtime (database, clock,
organisation) and the Slack Web API client."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.people import timezone_of
from storage.locks import Held


@dataclass(frozen=True)
class SlackContext:
    runtime: Runtime
    client: WebClient
    lock: Held | None = None  # a job's lock, while the job runs; None when a listener acts

    def tz(self, user_id: str) -> ZoneInfo:
        """The person's own timezone, or the organisation's when Slack can't say."""
        with self.runtime.session() as session:
            fallback = self.runtime.organisation(session).timezone
        return timezone_of(
            runtime=self.runtime, client=self.client, user_id=user_id, fallback=fallback
        )
