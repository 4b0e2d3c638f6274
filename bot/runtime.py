"""What every entry point shares: settings, the database and the clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from bot.config import ConfigError, Settings
from bot.organisation.directory import Directory, DirectoryCache
from storage.db import DatabaseUnavailable, check_connection, explain, make_engine, session_scope
from storage.migrate import upgrade


def _system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    clock: Callable[[], datetime] = field(default=_system_clock)
    directory: DirectoryCache = field(default_factory=DirectoryCache)
    # user id -> (IANA timezone or None, when Slack told us); backed by the slackuser table
    timezones: dict[str, tuple[str | None, datetime]] = field(default_factory=dict)
    # user id -> (display name or None, when Slack told us); in memory only
    names: dict[str, tuple[str | None, datetime]] = field(default_factory=dict)

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        """Open the database and bring its schema up to date; a database that cannot be
        opened is a ConfigError saying why."""
        try:
            engine = make_engine(settings.database_url)
            check_connection(engine)
            upgrade(engine)
        except DatabaseUnavailable as exc:
            raise ConfigError(f"DATABASE_URL: {exc}.") from None
        except DBAPIError as exc:  # e.g. a read-only file, found while migrating
            raise ConfigError(f"DATABASE_URL: {explain(engine.url, exc)}.") from None
        return cls(settings=settings, engine=engine)

    def __deepcopy__(self, memo: dict[int, object]) -> Runtime:
        # Bolt deep-copies the request context for lazy listeners; the runtime is shared state.
        return self

    def now(self) -> datetime:
        return self.clock()

    def organisation(self, session: Session) -> Directory:
        """The organisation as of now; raises NoOrganisation before the first `org load`."""
        return self.directory.get(session)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.engine) as session:
            yield session
