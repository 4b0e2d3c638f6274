"""job locks instead of leases: digests remember the claiming job and their thread

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("digest") as batch_op:
        batch_op.add_column(
            sa.Column("thread_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(
            sa.Column("job", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    op.drop_table("joblease")


def downgrade() -> None:
    op.create_table(
        "joblease",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("holder", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("expires_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("digest") as batch_op:
        batch_op.drop_column("job")
        batch_op.drop_column("thread_ts")
