"""Storage: the migrations build exactly the tables the models describe; times stay UTC."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel, select

from bot.runtime import Runtime
from storage.db import session_scope
from storage.models import JobRun, SlackUser
from storage.repositories import people
from storage.repositories.once import added_once


def test_migrations_match_the_models(runtime: Runtime):
    with runtime.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_times_go_in_with_any_offset_and_come_back_utc(runtime: Runtime):
    tokyo = timezone(timedelta(hours=9))
    with runtime.session() as session:
        run = JobRun(name="x", scheduled_for=datetime(2027, 1, 1, 9, 0, tzinfo=tokyo))
        session.add(run)
    with runtime.session() as session:
        stored = session.get(JobRun, run.id)
        assert stored is not None
        assert stored.scheduled_for.isoformat() == "2027-01-01T00:00:00+00:00"


def test_naive_times_are_refused(runtime: Runtime):
    with pytest.raises(Exception, match="naive datetime"), runtime.session() as session:
        session.add(JobRun(name="x", scheduled_for=datetime(2027, 1, 1, 9, 0)))
        session.flush()


def test_two_requests_meeting_a_new_user_at_once_both_succeed(runtime: Runtime):
    # One request has written the user but not committed when another writes them too (two
    # clicks at once, each looking up the clicker's timezone): neither fails on the key.
    at = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
    failures: list[BaseException] = []

    def other_request() -> None:
        try:
            with Session(runtime.engine) as other:
                people.save_timezone(other, "U0NEW", "America/New_York", at)
                other.commit()
        except BaseException as exc:  # reported below, not lost in the thread
            failures.append(exc)

    first = Session(runtime.engine)
    people.save_timezone(first, "U0NEW", "Europe/London", at)
    thread = threading.Thread(target=other_request)
    thread.start()
    thread.join(0.5)
    try:
        first.commit()
    except BaseException as exc:
        failures.append(exc)
    finally:
        first.close()
    thread.join(10)
    assert not thread.is_alive()
    assert failures == []
    with Session(runtime.engine) as session:
        [user] = session.exec(select(SlackUser)).all()
    assert user.user_id == "U0NEW" and user.tz in {"Europe/London", "America/New_York"}
    assert user.deleted is False and user.home_opened_at is None


def test_opening_home_keeps_a_known_timezone(runtime: Runtime):
    at = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
    with Session(runtime.engine) as session:
        people.save_timezone(session, "U0KNOWN", "Asia/Tokyo", at)
        people.mark_home_opened(session, "U0KNOWN", at + timedelta(hours=1))
        people.mark_home_opened(session, "U0FRESH", at)
        session.commit()
        known, fresh = people.get(session, "U0KNOWN"), people.get(session, "U0FRESH")
    assert known is not None and known.tz == "Asia/Tokyo" and known.fetched_at == at
    assert known.home_opened_at == at + timedelta(hours=1)
    assert fresh is not None and fresh.tz is None and fresh.fetched_at == people.NEVER


def test_a_savepoint_first_in_a_transaction_is_undone_with_it(runtime: Runtime):
    """`added_once` writes in a savepoint; when it is the transaction's first write and the
    transaction then fails, the row goes too: nothing is half done (on SQLite, releasing a
    savepoint that opened the transaction used to commit it on its own)."""
    at = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
    with pytest.raises(RuntimeError), session_scope(runtime.engine) as session:
        assert added_once(session, JobRun(name="first", scheduled_for=at, started_at=at))
        session.add(JobRun(name="second", scheduled_for=at, started_at=at))
        session.flush()
        raise RuntimeError("the rest of the unit of work failed")
    with Session(runtime.engine) as session:
        assert session.exec(select(JobRun)).all() == []
