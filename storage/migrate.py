"""Apply the alembic migrations at start-up. Safe when several processes start at once."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import text
from sqlalchemy.engine import Engine

from storage.db import DatabaseUnavailable

MIGRATIONS = Path(__file__).parent / "migrations"
# An arbitrary constant: every replica takes the same PostgreSQL advisory lock while migrating.
_MIGRATION_LOCK_ID = 7_305_118_204


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Migrate to head. A database migrated by a newer socialbot (a revision we don't know) is
    a DatabaseUnavailable saying so."""
    try:
        _upgrade(engine)
    except CommandError as exc:
        if "Can't locate revision" not in str(exc):
            raise
        raise DatabaseUnavailable(
            "the database was migrated by a newer version of socialbot (a schema revision this"
            " version does not know): run that version, or restore a backup taken before it"
        ) from None


def _upgrade(engine: Engine) -> None:
    config = alembic_config(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect() as lock_conn:
            lock_conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
            try:
                command.upgrade(config, "head")
            finally:
                lock_conn.execute(
                    text("SELECT pg_advisory_unlock(:id)"), {"id": _MIGRATION_LOCK_ID}
                )
                lock_conn.commit()
    else:
        command.upgrade(config, "head")
