"""Engine and session handling for SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine


class DatabaseUnavailable(Exception):
    """The database cannot be opened. The message says why and what to do, in one line, and
    never carries a password."""


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _prepare_sqlite_file(Path(parsed.database))
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _sqlite_transaction_first)
        return engine
    # hide_parameters: database errors must never carry draft text (or anything else) into logs.
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True
    )


def _prepare_sqlite_file(path: Path) -> None:
    if path.is_dir():
        raise DatabaseUnavailable(
            f"the SQLite path {path} is a folder, not a file: name a file inside it, "
            f"e.g. sqlite:///{path / 'socialbot.db'}"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnavailable(
            f"cannot create the folder {path.parent} for the SQLite file ({exc.strerror}): "
            "choose a path this user can write"
        ) from None


def check_connection(engine: Engine) -> None:
    """Connect once, turning the driver's error into a DatabaseUnavailable that says why."""
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        raise DatabaseUnavailable(explain(engine.url, exc)) from None


def explain(url: URL, exc: DBAPIError) -> str:
    """What a connection error means for the operator, naming host and database, not secrets."""
    detail = str(exc.orig)
    if url.get_backend_name() == "sqlite":
        if "not a database" in detail:
            return (
                f"the file {url.database} is not a SQLite database (or is damaged): point"
                " DATABASE_URL at socialbot's own file, or at a new one"
            )
        if "readonly" in detail:
            return f"the SQLite file {url.database} is read-only for this user: make it writable"
        if "locked" in detail:
            return (
                f"the SQLite file {url.database} stayed locked by another process for 30 s:"
                " stop the other writer, or use PostgreSQL for several processes at once"
            )
        return (
            f"cannot open the SQLite file {url.database} ({detail}): check that its folder "
            "exists and this user may write there"
        )
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    if "does not exist" in detail and "database" in detail:
        return (
            f"PostgreSQL at {where} has no database {url.database!r}: create it "
            f"(createdb {url.database}) or fix the name in the URL"
        )
    if "resolve host" in detail or "translate host name" in detail:
        return f"the host {url.host!r} could not be resolved: check the host name in the URL"
    if "Connection refused" in detail:
        return f"nothing answers at {where}: start PostgreSQL or fix the host and port"
    if "password authentication failed" in detail or "no password supplied" in detail:
        return f"PostgreSQL at {where} refused user {url.username!r}: check the user and password"
    if "permission denied" in detail or "read-only" in detail:
        first = detail.strip().splitlines()[0]
        return (
            f"PostgreSQL at {where} refused user {url.username!r} a change ({first[:120]}):"
            " grant it the rights on the database"
        )
    if "timeout" in detail.lower():
        return f"PostgreSQL at {where} did not answer in time: check the network and firewall"
    first = detail.strip().splitlines()[0] if detail.strip() else type(exc.orig).__name__
    return f"cannot connect to {where} ({first[:200]})"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_transaction_first(connection: Any, _name: str) -> None:
    """The driver opens SQLite's transaction only at the first INSERT/UPDATE/DELETE, so a
    savepoint that comes first opens it instead, and releasing that savepoint commits it on
    its own: what the unit of work does next could then fail without undoing it. Open the
    transaction first (deferred: the lock is taken by the first write, as before)."""
    driver = connection.connection.dbapi_connection
    if driver is not None and not driver.in_transaction:
        driver.execute("BEGIN")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
