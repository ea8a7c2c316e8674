"""Worker bookkeeping (daily jobs) and an index for accounts by renewal date.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fairlane.adapters.db.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker_state",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.String(256), nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_worker_state"),
    )
    op.create_index("ix_accounts_renewal_on", "accounts", ["renewal_on"])


def downgrade() -> None:
    op.drop_index("ix_accounts_renewal_on", "accounts")
    op.drop_table("worker_state")
