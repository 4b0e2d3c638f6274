"""Alembic environment: the engine comes from the caller (storage.migrate), never a config file."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import storage.models
import storage.models_analytics
import storage.models_report  # noqa: F401

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
