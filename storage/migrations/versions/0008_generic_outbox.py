"""a generic outbox: what is sent once is keyed by subject kind, subject id and stage

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 07:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _item_table(name: str, *, generic: bool) -> None:
    key = (
        [
            sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
            sa.Column("subject_id", sa.Integer(), nullable=False),
        ]
        if generic
        else [sa.Column("slot_id", sa.Integer(), nullable=False)]
    )
    unique = (
        sa.UniqueConstraint("subject", "subject_id", "stage", name="uq_outbox_subject_stage")
        if generic
        else sa.UniqueConstraint("slot_id", "stage", name="uq_nudge_slot_stage")
    )
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        *key,
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("digest_id", sa.Integer(), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["digest_id"], ["digest.id"]),
        *([] if generic else [sa.ForeignKeyConstraint(["slot_id"], ["slot.id"])]),
        sa.PrimaryKeyConstraint("id"),
        unique,
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(f"ix_{name}_digest_id", ["digest_id"], unique=False)
        batch_op.create_index(
            f"ix_{name}_{'subject_id' if generic else 'slot_id'}",
            ["subject_id" if generic else "slot_id"],
            unique=False,
        )


def _restart_ids(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )


def upgrade() -> None:
    _item_table("outbox_item", generic=True)
    op.execute(
        "INSERT INTO outbox_item (id, subject, subject_id, stage, digest_id, state, created_at) "
        "SELECT id, 'slot', slot_id, stage, digest_id, state, created_at FROM nudge"
    )
    _restart_ids("outbox_item")
    op.drop_table("nudge")


def downgrade() -> None:
    _item_table("nudge", generic=False)
    op.execute(
        "INSERT INTO nudge (id, slot_id, stage, digest_id, state, created_at) "
        "SELECT id, subject_id, stage, digest_id, state, created_at FROM outbox_item "
        "WHERE subject = 'slot'"
    )
    _restart_ids("nudge")
    op.drop_table("outbox_item")
