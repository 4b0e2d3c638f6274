"""What we cache about Slack users."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from storage.models import SlackUser

NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def get(session: Session, user_id: str) -> SlackUser | None:
    return session.get(SlackUser, user_id)


def get_many(session: Session, user_ids: Iterable[str]) -> Sequence[SlackUser]:
    return session.exec(select(SlackUser).where(col(SlackUser.user_id).in_(list(user_ids)))).all()


def save_timezones(session: Session, zones: dict[str, str | None], at: datetime) -> None:
    """Many users at once: one read of those already known, then adds and updates."""
    known = {u.user_id: u for u in get_many(session, zones)} if zones else {}
    for user_id, tz in zones.items():
        user = known.get(user_id) or SlackUser(user_id=user_id)
        user.tz = tz
        user.fetched_at = at
        session.add(user)


def save_timezone(session: Session, user_id: str, tz: str | None, at: datetime) -> None:
    user = session.get(SlackUser, user_id) or SlackUser(user_id=user_id)
    user.tz = tz
    user.fetched_at = at
    session.add(user)


def mark_home_opened(session: Session, user_id: str, at: datetime) -> None:
    # A user first seen here has never been asked about: their timezone is fetched next.
    user = session.get(SlackUser, user_id) or SlackUser(user_id=user_id, fetched_at=NEVER)
    user.home_opened_at = at
    session.add(user)


def home_viewers(session: Session) -> Sequence[str]:
    return session.exec(
        select(SlackUser.user_id).where(col(SlackUser.home_opened_at).is_not(None))
    ).all()
