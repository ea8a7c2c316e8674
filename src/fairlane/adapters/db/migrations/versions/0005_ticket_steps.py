"""Escalation steps per ticket (S6) and the ticket's tier, escalation and review flags.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fairlane.adapters.db.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("tier", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("escalated_at", UTCDateTime))
        batch.add_column(sa.Column("review_flagged_at", UTCDateTime))
    op.create_table(
        "ticket_steps",
        sa.Column("ticket_id", sa.String(40), nullable=False),
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("due_at", UTCDateTime, nullable=False),
        sa.Column("fired_at", UTCDateTime),
        sa.Column("cancelled_at", UTCDateTime),
        sa.Column("next_action_at", UTCDateTime),
        sa.Column("reason", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", "step", name="pk_ticket_steps"),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            ondelete="CASCADE",
            name="fk_ticket_steps_ticket_id_tickets",
        ),
    )
    op.create_index("ix_ticket_steps_next_action_at", "ticket_steps", ["next_action_at"])


def downgrade() -> None:
    op.drop_table("ticket_steps")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("review_flagged_at")
        batch.drop_column("escalated_at")
        batch.drop_column("tier")
