"""What we cache about Slack users."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.models import SlackUser

NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def get(session: Session, user_id: str) -> SlackUser | None:
    return session.get(SlackUser, user_id)


def get_many(session: Session, user_ids: Iterable[str]) -> Sequence[SlackUser]:
    return session.exec(select(SlackUser).where(col(SlackUser.user_id).in_(list(user_ids)))).all()


def save_timezones(session: Session, zones: dict[str, str | None], at: datetime) -> None:
    """Many users at once, each added or updated in place."""
    if zones:
        rows = [{"user_id": u, "tz": tz, "fetched_at": at} for u, tz in zones.items()]
        _upsert(session, rows, ("tz", "fetched_at"))


def save_timezone(session: Session, user_id: str, tz: str | None, at: datetime) -> None:
    _upsert(session, [{"user_id": user_id, "tz": tz, "fetched_at": at}], ("tz", "fetched_at"))


def mark_home_opened(session: Session, user_id: str, at: datetime) -> None:
    # A user first seen here has never been asked about: their timezone is fetched next.
    row = {"user_id": user_id, "fetched_at": NEVER, "home_opened_at": at}
    _upsert(session, [row], ("home_opened_at",))


def _upsert(session: Session, rows: list[dict[str, Any]], update: tuple[str, ...]) -> None:
    """INSERT … ON CONFLICT DO UPDATE: two requests meeting the same new user at once (two
    clicks, a click and a job) both succeed instead of one failing on the primary key."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(SlackUser).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["user_id"], set_={c: statement.excluded[c] for c in update}
    )
    session.execute(statement)
    written = {r["user_id"] for r in rows}
    for cached in list(session.identity_map.values()):
        if isinstance(cached, SlackUser) and cached.user_id in written:
            session.expire(cached)


def home_viewers(session: Session) -> Sequence[str]:
    return session.exec(
        select(SlackUser.user_id).where(col(SlackUser.home_opened_at).is_not(None))
    ).all()
