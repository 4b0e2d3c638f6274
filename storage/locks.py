"""Exclusive locks that end with their holder: no expiry, and nothing a dead process can keep.

PostgreSQL: a session-level advisory lock on a connection held for the lock's lifetime; the
server drops it when that connection ends, however the process died. The connection is left idle
(not in a transaction), so neither vacuum nor an idle-in-transaction timeout is affected. A
connection pooler in transaction mode (PgBouncer) would break session locks: connect directly.

SQLite: `flock` on `<database file>.<name>.lock` beside the database; the kernel drops it when the
process's file descriptor closes, which death does. An in-memory database is private to one
process, so a process-local lock is enough there."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_MEMORY_LOCKS: dict[str, threading.Lock] = {}
_MEMORY_GUARD = threading.Lock()


class LockHeld(Exception):
    """Someone alive holds the lock."""


class LockLost(Exception):
    """The lock's connection went away, so exclusivity can no longer be promised."""


class Held(Protocol):
    name: str

    def check(self) -> None:
        """Raise LockLost if exclusivity is no longer certain."""


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for `name` (the same in every process)."""
    digest = hashlib.blake2b(f"socialbot.lock:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def exclusive(engine: Engine, name: str) -> Iterator[Held]:
    """Hold the lock called `name` for the block, or raise LockHeld at once if it is taken."""
    if not _NAME.match(name):
        raise ValueError(f"not a lock name: {name!r}")
    if engine.dialect.name == "postgresql":
        with _advisory(engine, name) as held:
            yield held
    elif engine.dialect.name == "sqlite":
        with _file_lock(engine, name) as held:
            yield held
    else:
        raise NotImplementedError(engine.dialect.name)


class _Advisory:
    def __init__(self, name: str, connection: Connection) -> None:
        self.name, self._connection = name, connection

    def check(self) -> None:
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
        except Exception as exc:
            raise LockLost(self.name) from exc


@contextmanager
def _advisory(engine: Engine, name: str) -> Iterator[Held]:
    key = lock_key(name)
    connection = engine.connect()
    try:
        taken = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
        connection.commit()
        if not taken:
            raise LockHeld(name)
        try:
            yield _Advisory(name, connection)
        finally:
            try:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                connection.commit()
            except Exception:
                # Not sure the lock is gone: never hand this connection back to the pool.
                connection.invalidate()
    finally:
        connection.close()


class _Local:
    def __init__(self, name: str) -> None:
        self.name = name

    def check(self) -> None:
        pass  # a file descriptor or a process-local lock cannot be lost while we live


@contextmanager
def _file_lock(engine: Engine, name: str) -> Iterator[Held]:
    database = engine.url.database
    if not database or database == ":memory:":
        with _memory_lock(f"{id(engine)}:{name}", name) as held:
            yield held
        return
    path = Path(f"{database}.{name}.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockHeld(name) from None
        try:
            yield _Local(name)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def _memory_lock(key: str, name: str) -> Iterator[Held]:
    with _MEMORY_GUARD:
        lock = _MEMORY_LOCKS.setdefault(key, threading.Lock())
    if not lock.acquire(blocking=False):
        raise LockHeld(name)
    try:
        yield _Local(name)
    finally:
        lock.release()
