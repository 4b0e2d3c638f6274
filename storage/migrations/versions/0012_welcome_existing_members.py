"""people already in the programme count as welcomed: the welcome DM is for newcomers

Welcomes are told once through the outbox (subject "person", id 0, stage "welcome:<user>").
Without this, the first `welcome` run after an upgrade would greet everyone already in the
organisation file as if they had just joined.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 07:30:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Timestamps are stored as naive UTC.
    utc_now = (
        "timezone('utc', now())"
        if op.get_bind().dialect.name == "postgresql"
        else "CURRENT_TIMESTAMP"
    )
    op.execute(
        "INSERT INTO outbox_item (subject, subject_id, stage, state, created_at) "
        f"SELECT 'person', 0, 'welcome:' || user_id, 'sent', {utc_now} "
        "FROM (SELECT DISTINCT user_id FROM membership WHERE active) AS members"
    )


def downgrade() -> None:
    op.execute("DELETE FROM outbox_item WHERE subject = 'person' AND digest_id IS NULL")
