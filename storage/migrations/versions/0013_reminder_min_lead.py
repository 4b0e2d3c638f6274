"""reminders leave a lead time before the due time (`[reminders] min_lead_hours`, default 2)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.add_column(
            sa.Column("reminder_min_lead_hours", sa.Integer(), nullable=False, server_default="2")
        )


def downgrade() -> None:
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.drop_column("reminder_min_lead_hours")
