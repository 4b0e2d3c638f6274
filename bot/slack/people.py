"""People as Slack knows them: their timezone and display name, asked of users.info and
cached."""

from __future__ import annotations

import logging
from collections.abc import Iterable
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
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        log.warning(
            "users.info failed", extra={"user": user_id, "detail": exc.response.get("error")}
        )
        return _zone(remembered[0] if remembered else None, fallback)
    tz = user.get("tz")
    runtime.names[user_id] = (_name(user), now)
    with runtime.session() as session:
        repo.save_timezone(session, user_id, tz, now)
    runtime.timezones[user_id] = (tz, now)
    return _zone(tz, fallback)


def display_name(*, runtime: Runtime, client: WebClient, user_id: str) -> str | None:
    """What Slack shows for the user (display name, else real name, else username); None
    when Slack can't say. Remembered in memory for a day."""
    now = runtime.now()
    remembered = runtime.names.get(user_id)
    if remembered is not None and remembered[1] > now - TIMEZONE_TTL:
        return remembered[0]
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        log.warning(
            "users.info failed", extra={"user": user_id, "detail": exc.response.get("error")}
        )
        return remembered[0] if remembered else None
    name = _name(user)
    runtime.names[user_id] = (name, now)
    return name


def _name(user: dict[str, object]) -> str | None:
    profile = user.get("profile")
    profile = profile if isinstance(profile, dict) else {}
    for value in (profile.get("display_name"), profile.get("real_name"), user.get("name")):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _zone(name: str | None, fallback: ZoneInfo) -> ZoneInfo:
    if not name:
        return fallback
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


BULK_THRESHOLD = 20


def timezones_for(
    *, runtime: Runtime, client: WebClient, user_ids: Iterable[str], fallback: ZoneInfo
) -> dict[str, ZoneInfo]:
    """Timezones for many people at once: from memory or the database when fresh, else from
    one paged users.list (200 people a call) when many are stale, else users.info each."""
    now = runtime.now()
    wanted = set(user_ids)
    known: dict[str, str | None] = {}
    missing = {u for u in wanted if u not in runtime.timezones}
    if missing:
        with runtime.session() as session:
            for row in repo.get_many(session, missing):
                runtime.timezones[row.user_id] = (row.tz, row.fetched_at)
    stale = set()
    for user_id in wanted:
        remembered = runtime.timezones.get(user_id)
        if remembered is not None and remembered[1] > now - TIMEZONE_TTL:
            known[user_id] = remembered[0]
        else:
            stale.add(user_id)
    if len(stale) > BULK_THRESHOLD:
        fetched = _users_list(client)
        with runtime.session() as session:
            repo.save_timezones(session, fetched, now)
        runtime.timezones.update({u: (tz, now) for u, tz in fetched.items()})
        for user_id in stale & fetched.keys():
            known[user_id] = fetched[user_id]
        stale -= fetched.keys()
    for user_id in stale:
        known[user_id] = timezone_of(
            runtime=runtime, client=client, user_id=user_id, fallback=fallback
        ).key
    return {u: _zone(known.get(u), fallback) for u in wanted}


def _users_list(client: WebClient) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    try:
        for page in client.users_list(limit=200):
            for member in page.get("members", []):
                found[member["id"]] = member.get("tz")
    except SlackApiError as exc:
        log.warning("users.list failed", extra={"detail": exc.response.get("error")})
    return found
