"""Job runs."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage.models import JobRun


def start_run(session: Session, *, name: str, scheduled_for: datetime, now: datetime) -> int:
    run = JobRun(name=name, scheduled_for=scheduled_for, started_at=now)
    session.add(run)
    session.flush()
    assert run.id is not None
    return run.id


def finish_run(session: Session, run_id: int, *, outcome: str, summary: str, now: datetime) -> None:
    run = session.get(JobRun, run_id)
    if run is None:
        return
    run.outcome = outcome
    run.summary = summary[:500]
    run.finished_at = now
    session.add(run)
