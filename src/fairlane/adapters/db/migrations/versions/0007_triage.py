"""Triage read by the models (T2-T4, T6): the ticket's intent, attention and review flag, and the
human review queue of low-confidence suggestions.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fairlane.adapters.db.types import JsonDocument, UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("intent", sa.String(64)))
        batch.add_column(sa.Column("attention", sa.Integer))
        batch.add_column(sa.Column("escalation_risk", sa.Integer))
        batch.add_column(
            sa.Column("needs_review", sa.Boolean, nullable=False, server_default=sa.false())
        )
    # T7 repeat contacts: other tickets of the same requester in the last 30 days
    op.create_index("ix_tickets_requester_created", "tickets", ["requester_email", "created_at"])
    op.create_table(
        "triage_reviews",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer, "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("ticket_id", sa.String(40), nullable=False),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("suggested", sa.String(64), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("applied", sa.String(64)),
        sa.Column("model_id", sa.String(32), nullable=False),
        sa.Column("reasons", JsonDocument, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("decided_at", UTCDateTime),
        sa.Column("decided_by", sa.String(128)),
        sa.Column("final", sa.String(64)),
        sa.Column("note", sa.Text),
        sa.Column("policy_ref", sa.String(96), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            ondelete="CASCADE",
            name="fk_triage_reviews_ticket_id_tickets",
        ),
    )
    op.create_index("ix_triage_reviews_ticket_id", "triage_reviews", ["ticket_id"])
    op.create_index("ix_triage_reviews_status", "triage_reviews", ["status", "created_at"])


def downgrade() -> None:
    op.drop_table("triage_reviews")
    op.drop_index("ix_tickets_requester_created", table_name="tickets")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("needs_review")
        batch.drop_column("escalation_risk")
        batch.drop_column("attention")
        batch.drop_column("intent")
