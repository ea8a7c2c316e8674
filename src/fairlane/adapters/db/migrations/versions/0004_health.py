"""Health score history per account, and the latest drop on the account.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fairlane.adapters.db.types import JsonDocument, UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_BIGID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("health_drop_points", sa.Integer))
    op.create_table(
        "health_scores",
        sa.Column("id", _BIGID, autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(128), nullable=False),
        sa.Column("measured_at", UTCDateTime, nullable=False),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("components", JsonDocument, nullable=False),
        sa.Column("weights", JsonDocument, nullable=False),
        sa.Column("policy_ref", sa.String(96), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_health_scores"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            ondelete="CASCADE",
            name="fk_health_scores_account_id_accounts",
        ),
    )
    op.create_index(
        "ix_health_scores_account_measured", "health_scores", ["account_id", "measured_at"]
    )


def downgrade() -> None:
    op.drop_table("health_scores")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("health_drop_points")
