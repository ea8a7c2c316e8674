"""Initial schema: accounts, tickets, append-only audit, outbox, policies, keys, agents.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fairlane.adapters.db.types import JsonDocument, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_BIGID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("segment", sa.String(32), nullable=False),
        sa.Column("plan", sa.String(256)),
        sa.Column("arr_cents", sa.BigInteger, nullable=False),
        sa.Column("acv_cents", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("renewal_on", sa.Date),
        sa.Column("is_strategic", sa.Boolean, nullable=False),
        sa.Column("strategic_reason", sa.String(256)),
        sa.Column("csm_owner", sa.String(256)),
        sa.Column("tags", JsonDocument, nullable=False),
        sa.Column("health_score", sa.Integer),
        sa.Column("health_scored_at", UTCDateTime),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
    )
    op.create_table(
        "account_identifiers",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(256), nullable=False),
        sa.Column("account_id", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("kind", "value", name="pk_account_identifiers"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            ondelete="CASCADE",
            name="fk_account_identifiers_account_id_accounts",
        ),
    )
    op.create_index("ix_account_identifiers_account_id", "account_identifiers", ["account_id"])
    op.create_table(
        "tickets",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("payload_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("requester_email", sa.String(320)),
        sa.Column("requester_client_id", sa.String(128)),
        sa.Column("account_id", sa.String(128)),
        sa.Column("channel", sa.String(32)),
        sa.Column("team", sa.String(64), nullable=False),
        sa.Column("priority", sa.String(2), nullable=False),
        sa.Column("lane", sa.String(16), nullable=False),
        sa.Column("is_escalation_required", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("first_response_due_at", UTCDateTime, nullable=False),
        sa.Column("resolution_due_at", UTCDateTime, nullable=False),
        sa.Column("policy_ref", sa.String(96), nullable=False),
        sa.Column("decisions", JsonDocument, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tickets"),
        sa.UniqueConstraint("source", "external_id", name="uq_tickets_source_external_id"),
    )
    op.create_index("ix_tickets_account_id", "tickets", ["account_id"])
    op.create_index(
        "ix_tickets_queue", "tickets", ["status", "priority", "lane", "first_response_due_at"]
    )
    op.create_table(
        "audit_entries",
        sa.Column("id", _BIGID, autoincrement=True, nullable=False),
        sa.Column("occurred_at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject_type", sa.String(32), nullable=False),
        sa.Column("subject_id", sa.String(128), nullable=False),
        sa.Column("ticket_id", sa.String(40)),
        sa.Column("account_id", sa.String(128)),
        sa.Column("policy_ref", sa.String(96)),
        sa.Column("inputs", JsonDocument, nullable=False),
        sa.Column("outcome", JsonDocument, nullable=False),
        sa.Column("reasons", JsonDocument, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entries"),
    )
    op.create_index("ix_audit_entries_ticket_id", "audit_entries", ["ticket_id"])
    op.create_index("ix_audit_entries_account_id", "audit_entries", ["account_id"])
    op.create_table(
        "outbox",
        sa.Column("id", _BIGID, autoincrement=True, nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("subject_id", sa.String(128), nullable=False),
        sa.Column("occurred_at", UTCDateTime, nullable=False),
        sa.Column("payload", JsonDocument, nullable=False),
        sa.Column("dispatched_at", UTCDateTime),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    op.create_index("ix_outbox_pending", "outbox", ["dispatched_at", "id"])
    op.create_table(
        "policies",
        sa.Column("ref", sa.String(96), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("document", JsonDocument, nullable=False),
        sa.Column("source", sa.String(512), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("registered_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("ref", name="pk_policies"),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("revoked_at", UTCDateTime),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("prefix", name="uq_api_keys_prefix"),
    )
    op.create_table(
        "agents",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("team", sa.String(64), nullable=False),
        sa.Column("tier", sa.Integer, nullable=False),
        sa.Column("skills", JsonDocument, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_agents"),
    )
    _make_audit_append_only()


def _make_audit_append_only() -> None:
    """M9: the audit trail refuses UPDATE and DELETE at the database itself."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_entries_no_{verb.lower()} BEFORE {verb} ON audit_entries "
                "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION fairlane_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION fairlane_audit_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS fairlane_audit_append_only()")
    for table in (
        "agents",
        "api_keys",
        "policies",
        "outbox",
        "audit_entries",
        "tickets",
        "account_identifiers",
        "accounts",
    ):
        op.drop_table(table)
