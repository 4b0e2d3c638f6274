"""People as Slack knows them: their timezone, asked of users.info and cached."""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.runtime import Runtime
from storage.repositories import people as repo

log = logging.getLogger(__name__)
TIMEZONE_TTL = timedelta(hours=24)


def timezone_of(
    *, runtime: Runtime, client: WebClient, user_id: str, fallback: ZoneInfo
) -> ZoneInfo:
    """The user's own timezone from their Slack profile; `fallback` when Slack can't say.
    Remembered in memory and in the database for a day."""
    now = runtime.now()
    remembered = runtime.timezones.get(user_id)
    if remembered is None:
        with runtime.session() as session:
            cached = repo.get(session, user_id)
            if cached is not None:
                remembered = (cached.tz, cached.fetched_at)
    if remembered is not None and remembered[1] > now - TIMEZONE_TTL:
        runtime.timezones[user_id] = remembered
        return _zone(remembered[0], fallback)
    try:
        tz = client.users_info(user=user_id)["user"].get("tz")
    except SlackApiError as exc:
        log.warning(
            "users.info failed", extra={"user": user_id, "detail": exc.response.get("error")}
        )
        return _zone(remembered[0] if remembered else None, fallback)
    with runtime.session() as session:
        repo.save_timezone(session, user_id, tz, now)
    runtime.timezones[user_id] = (tz, now)
    return _zone(tz, fallback)


def _zone(name: str | None, fallback: ZoneInfo) -> ZoneInfo:
    if not name:
        return fallback
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return fallback
