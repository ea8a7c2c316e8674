"""SLA clocks per ticket (first response, next update, resolution) and ticket events.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fairlane.adapters.db.types import JsonDocument, UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BIGID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "sla_clocks",
        sa.Column("ticket_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("calendar", sa.String(64), nullable=False),
        sa.Column("target_seconds", sa.Integer, nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("used_seconds", sa.Integer, nullable=False),
        sa.Column("running_since", UTCDateTime),
        sa.Column("paused_at", UTCDateTime),
        sa.Column("paused_seconds", sa.Integer, nullable=False),
        sa.Column("met_at", UTCDateTime),
        sa.Column("cap_at", UTCDateTime),
        sa.Column("due_at", UTCDateTime),
        sa.Column("warning_at", UTCDateTime),
        sa.Column("warned_at", UTCDateTime),
        sa.Column("breached_at", UTCDateTime),
        sa.Column("next_action_at", UTCDateTime),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("policy_ref", sa.String(96), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", "kind", name="pk_sla_clocks"),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            ondelete="CASCADE",
            name="fk_sla_clocks_ticket_id_tickets",
        ),
    )
    op.create_index("ix_sla_clocks_next_action_at", "sla_clocks", ["next_action_at"])
    op.create_table(
        "ticket_events",
        sa.Column("id", _BIGID, autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.String(40), nullable=False),
        sa.Column("external_id", sa.String(128)),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("occurred_at", UTCDateTime, nullable=False),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("data", JsonDocument, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_events"),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            ondelete="CASCADE",
            name="fk_ticket_events_ticket_id_tickets",
        ),
        sa.UniqueConstraint(
            "ticket_id", "external_id", name="uq_ticket_events_ticket_id_external_id"
        ),
    )
    op.create_index("ix_ticket_events_ticket_id", "ticket_events", ["ticket_id"])


def downgrade() -> None:
    op.drop_table("ticket_events")
    op.drop_table("sla_clocks")
