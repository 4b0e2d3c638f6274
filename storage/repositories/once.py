"""Insert a row once, whoever else tries at the same instant: the database's unique key
decides, and the loser learns who won."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

T = TypeVar("T", bound=SQLModel)


def added_once(session: Session, row: SQLModel) -> bool:
    """Add `row` in a savepoint; False when a row with the same unique key already exists."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def insert_once(session: Session, row: T, key: Any) -> T | None:
    """Add `row` unless its primary key `key` is taken. Returns the row that won, or None
    when this one did."""
    if added_once(session, row):
        return None
    session.expire_all()
    return session.get(type(row), key)
