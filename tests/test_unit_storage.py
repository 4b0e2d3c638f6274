"""Storage: the migrations build exactly the tables the models describe; times stay UTC."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from bot.runtime import Runtime
from storage.models import JobRun


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
