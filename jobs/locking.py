"""A job runs holding its lock (storage/locks.py), which ends with the run: at most one run of
each job at a time, and a dead run's in-doubt messages settled by the very next one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.slack.outbox import recover_in_doubt
from jobs.job import JobContext
from storage import locks


def locked(ctx: JobContext, name: str, work: Callable[[JobContext], str]) -> str:
    """Run `work` holding the job's lock, after settling what a dead run left in doubt."""
    try:
        with locks.exclusive(ctx.runtime.engine, name) as held:
            ctx = replace(ctx, lock=held)
            recovered = recover_in_doubt(ctx)
            summary = work(ctx)
    except locks.LockHeld:
        return f"skipped: another worker is running {name}"
    return f"{summary}, {recovered} recovered" if recovered else summary
