"""Imported analytics and goals: all their SQL. Writes are batched (one SELECT of what exists,
one executemany INSERT and one executemany UPDATE per batch), so an import costs a few
statements per thousand rows on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlmodel import Session, col

from storage.models import Slot
from storage.models_analytics import Goal, MetricDay, MetricImport, MetricPost

POSTS = MetricPost.__table__  # type: ignore[attr-defined]
DAYS = MetricDay.__table__  # type: ignore[attr-defined]

# The columns an import writes, in the order the service builds them.
POST_FIELDS = (
    "account_id",
    "published_at",
    "time_known",
    "url",
    "url_key",
    "format",
    "raw_type",
    "sponsored",
    "text",
    "impressions",
    "reach",
    "reactions",
    "comments",
    "shares",
    "saves",
    "clicks",
    "follows",
    "engagements",
    "interactions",
)
DAY_FIELDS = (
    "impressions",
    "reach",
    "engagements",
    "interactions",
    "clicks",
    "followers_gained",
    "followers",
)


def add_import(session: Session, row: MetricImport) -> int:
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def existing_posts(
    session: Session, platform: str, native_ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """native id → its stored row (id and every written field) for those that exist."""
    if not native_ids:
        return {}
    columns = [POSTS.c.id, POSTS.c.native_id, *(POSTS.c[f] for f in POST_FIELDS)]
    rows = session.connection().execute(
        select(*columns).where(
            POSTS.c.platform == platform, POSTS.c.native_id.in_(list(native_ids))
        )
    )
    return {row.native_id: dict(row._mapping) for row in rows}


def insert_posts(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.connection().execute(insert(POSTS), rows)


def update_posts(session: Session, rows: list[dict[str, Any]]) -> None:
    """Each row carries `row_id` and every field of POST_FIELDS plus updated_at, import_id."""
    if not rows:
        return
    names = (*POST_FIELDS, "updated_at", "import_id")
    statement = (
        update(POSTS)
        .where(POSTS.c.id == bindparam("row_id"))
        .values({name: bindparam(f"new_{name}") for name in names})
    )
    session.connection().execute(
        statement,
        [{"row_id": r["row_id"], **{f"new_{n}": r[n] for n in names}} for r in rows],
    )


def existing_days(
    session: Session, account_id: int, days: Sequence[date]
) -> dict[date, dict[str, Any]]:
    if not days:
        return {}
    rows = session.connection().execute(
        select(DAYS.c.id, DAYS.c.day, *(DAYS.c[f] for f in DAY_FIELDS)).where(
            DAYS.c.account_id == account_id, DAYS.c.day.in_(list(days))
        )
    )
    return {row.day: dict(row._mapping) for row in rows}


def insert_days(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.connection().execute(insert(DAYS), rows)


def update_days(session: Session, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    names = (*DAY_FIELDS, "import_id")
    statement = (
        update(DAYS)
        .where(DAYS.c.id == bindparam("row_id"))
        .values({name: bindparam(f"new_{name}") for name in names})
    )
    session.connection().execute(
        statement,
        [{"row_id": r["row_id"], **{f"new_{n}": r[n] for n in names}} for r in rows],
    )


def published_slots(session: Session) -> list[tuple[int, str]]:
    """(slot id, published URL) of every slot marked as published."""
    rows = session.connection().execute(
        select(Slot.id, Slot.published_url).where(col(Slot.published_url).is_not(None))
    )
    return [(row[0], row[1]) for row in rows]


def unlinked_posts_with_keys(session: Session, keys: Sequence[str]) -> list[tuple[int, str]]:
    """(post id, url key) of posts not yet linked to a slot whose key is one of `keys`."""
    found: list[tuple[int, str]] = []
    keys = list(keys)
    for start in range(0, len(keys), 500):
        rows = session.connection().execute(
            select(POSTS.c.id, POSTS.c.url_key).where(
                POSTS.c.slot_id.is_(None), POSTS.c.url_key.in_(keys[start : start + 500])
            )
        )
        found.extend((row[0], row[1]) for row in rows)
    return found


def link_posts(session: Session, links: Iterable[tuple[int, int]]) -> None:
    """Set (post id, slot id) pairs."""
    rows = [{"row_id": post_id, "new_slot_id": slot_id} for post_id, slot_id in links]
    if rows:
        session.connection().execute(
            update(POSTS)
            .where(POSTS.c.id == bindparam("row_id"))
            .values(slot_id=bindparam("new_slot_id")),
            rows,
        )


def finish_import(session: Session, import_id: int, **fields: Any) -> None:
    row = session.get(MetricImport, import_id)
    assert row is not None
    for name, value in fields.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()


def replace_goals(session: Session, goals: Iterable[tuple[int | None, str, float]]) -> None:
    """Make the stored goals exactly `goals`: (account id or None, measure, target)."""
    session.exec(delete(Goal))  # type: ignore[call-overload]
    for account_id, measure, target in goals:
        session.add(Goal(account_id=account_id, measure=measure, target=target))


def goals(session: Session) -> Sequence[Goal]:
    return session.exec(select(Goal).order_by(col(Goal.account_id), col(Goal.measure))).all()  # type: ignore[arg-type]


@dataclass(frozen=True)
class Stored:
    account_id: int
    posts: int
    first_post: datetime | None
    last_post: datetime | None
    first_day: date | None
    last_day: date | None
    last_import_at: datetime | None
    last_import_source: str | None


def stored_per_account(session: Session) -> dict[int, Stored]:
    connection = session.connection()
    posts = {
        row[0]: row[1:]
        for row in connection.execute(
            select(
                POSTS.c.account_id,
                func.count(),
                func.min(POSTS.c.published_at),
                func.max(POSTS.c.published_at),
            ).group_by(POSTS.c.account_id)
        )
    }
    days = {
        row[0]: row[1:]
        for row in connection.execute(
            select(DAYS.c.account_id, func.min(DAYS.c.day), func.max(DAYS.c.day)).group_by(
                DAYS.c.account_id
            )
        )
    }
    latest: dict[int, tuple[datetime, str]] = {}
    imports = MetricImport.__table__  # type: ignore[attr-defined]
    newest = (
        select(imports.c.account_id, func.max(imports.c.id).label("last"))
        .where(imports.c.account_id.is_not(None))
        .group_by(imports.c.account_id)
        .subquery()
    )
    for row in connection.execute(
        select(imports.c.account_id, imports.c.imported_at, imports.c.source).join(
            newest, imports.c.id == newest.c.last
        )
    ):
        latest[row[0]] = (row[1], row[2])
    result: dict[int, Stored] = {}
    for account_id in set(posts) | set(days) | set(latest):
        count, first_post, last_post = posts.get(account_id, (0, None, None))
        first_day, last_day = days.get(account_id, (None, None))
        at, source = latest.get(account_id, (None, None))
        result[account_id] = Stored(
            account_id, count, first_post, last_post, first_day, last_day, at, source
        )
    return result
