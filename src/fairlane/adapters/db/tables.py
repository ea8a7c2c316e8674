"""The schema, as SQLAlchemy Core tables. Alembic migrations create it; tests compare the two."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from fairlane.adapters.db.types import JsonDocument, UTCDateTime

__all__ = [
    "account_identifiers",
    "accounts",
    "agents",
    "api_keys",
    "audit_entries",
    "health_scores",
    "metadata",
    "outbox",
    "policies",
    "sla_clocks",
    "ticket_events",
    "ticket_steps",
    "tickets",
    "triage_reviews",
    "webhook_deliveries",
    "webhook_subscriptions",
    "worker_state",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("name", String(256), nullable=False),
    Column("segment", String(32), nullable=False),
    Column("plan", String(256)),
    Column("arr_cents", BigInteger, nullable=False, default=0),
    Column("acv_cents", BigInteger, nullable=False, default=0),
    Column("currency", String(3), nullable=False, default="USD"),
    Column("renewal_on", Date, index=True),
    Column("is_strategic", Boolean, nullable=False, default=False),
    Column("strategic_reason", String(256)),
    Column("csm_owner", String(256)),
    Column("tags", JsonDocument, nullable=False),
    Column("health_score", Integer),
    Column("health_scored_at", UTCDateTime),
    Column("health_drop_points", Integer),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

account_identifiers = Table(
    "account_identifiers",
    metadata,
    Column("kind", String(16), primary_key=True),  # domain | client_id | tag
    Column("value", String(256), primary_key=True),
    Column(
        "account_id",
        String(128),
        ForeignKey("accounts.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
)

tickets = Table(
    "tickets",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("source", String(64), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("status", String(32), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("requester_email", String(320)),
    Column("requester_client_id", String(128)),
    Column("account_id", String(128), index=True),
    Column("channel", String(32)),
    Column("team", String(64), nullable=False),
    Column("priority", String(2), nullable=False),
    Column("lane", String(16), nullable=False),
    Column("is_escalation_required", Boolean, nullable=False),
    Column("tier", Integer, nullable=False, default=1),
    Column("escalated_at", UTCDateTime),
    Column("review_flagged_at", UTCDateTime),
    Column("intent", String(64)),
    Column("attention", Integer),
    Column("escalation_risk", Integer),
    Column("needs_review", Boolean, nullable=False, default=False, server_default=false()),
    Column("created_at", UTCDateTime, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("first_response_due_at", UTCDateTime, nullable=False),
    Column("resolution_due_at", UTCDateTime, nullable=False),
    Column("policy_ref", String(96), nullable=False),
    Column("decisions", JsonDocument, nullable=False),
    UniqueConstraint("source", "external_id"),
    Index("ix_tickets_queue", "status", "priority", "lane", "first_response_due_at"),
    Index("ix_tickets_requester_created", "requester_email", "created_at"),
)

audit_entries = Table(
    "audit_entries",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject_type", String(32), nullable=False),
    Column("subject_id", String(128), nullable=False),
    Column("ticket_id", String(40), index=True),
    Column("account_id", String(128), index=True),
    Column("policy_ref", String(96)),
    Column("inputs", JsonDocument, nullable=False),
    Column("outcome", JsonDocument, nullable=False),
    Column("reasons", JsonDocument, nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("event_type", String(64), nullable=False),
    Column("subject_id", String(128), nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("payload", JsonDocument, nullable=False),
    Column("dispatched_at", UTCDateTime),
    Index("ix_outbox_pending", "dispatched_at", "id"),
)

policies = Table(
    "policies",
    metadata,
    Column("ref", String(96), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("version", String(32), nullable=False),
    Column("document", JsonDocument, nullable=False),
    Column("source", String(512), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("registered_at", UTCDateTime, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(128), nullable=False),
    Column("role", String(16), nullable=False),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

agents = Table(
    "agents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(256), nullable=False),
    Column("email", String(320), nullable=False),
    Column("team", String(64), nullable=False),
    Column("tier", Integer, nullable=False),
    Column("skills", JsonDocument, nullable=False),
)

sla_clocks = Table(
    "sla_clocks",
    metadata,
    Column("ticket_id", String(40), ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("calendar", String(64), nullable=False),
    Column("target_seconds", Integer, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("used_seconds", Integer, nullable=False),
    Column("running_since", UTCDateTime),
    Column("paused_at", UTCDateTime),
    Column("paused_seconds", Integer, nullable=False),
    Column("met_at", UTCDateTime),
    Column("cap_at", UTCDateTime),
    Column("due_at", UTCDateTime),
    Column("warning_at", UTCDateTime),
    Column("warned_at", UTCDateTime),
    Column("breached_at", UTCDateTime),
    Column("next_action_at", UTCDateTime, index=True),
    Column("reason", Text, nullable=False),
    Column("policy_ref", String(96), nullable=False),
)

ticket_events = Table(
    "ticket_events",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column(
        "ticket_id",
        String(40),
        ForeignKey("tickets.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("external_id", String(128)),
    Column("kind", String(32), nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("data", JsonDocument, nullable=False),
    UniqueConstraint("ticket_id", "external_id"),
)

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("url", String(2048), nullable=False),
    Column("event_types", JsonDocument, nullable=False),
    Column("secret", String(128), nullable=False),
    Column("description", String(256), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("subscription_id", String(40), ForeignKey("webhook_subscriptions.id"), nullable=False),
    Column("outbox_id", BigInteger, nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("payload", JsonDocument, nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),  # pending | delivered | dead
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, index=True),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("delivered_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("subscription_id", "outbox_id"),
)

health_scores = Table(
    "health_scores",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column(
        "account_id", String(128), ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    ),
    Column("measured_at", UTCDateTime, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("score", Integer, nullable=False),
    Column("components", JsonDocument, nullable=False),
    Column("weights", JsonDocument, nullable=False),
    Column("policy_ref", String(96), nullable=False),
    Index("ix_health_scores_account_measured", "account_id", "measured_at"),
)

ticket_steps = Table(
    "ticket_steps",
    metadata,
    Column("ticket_id", String(40), ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    Column("step", String(32), primary_key=True),
    Column("due_at", UTCDateTime, nullable=False),
    Column("fired_at", UTCDateTime),
    Column("cancelled_at", UTCDateTime),
    Column("next_action_at", UTCDateTime, index=True),
    Column("reason", Text, nullable=False),
)

worker_state = Table(
    "worker_state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(256), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

triage_reviews = Table(
    "triage_reviews",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column(
        "ticket_id",
        String(40),
        ForeignKey("tickets.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("field", String(16), nullable=False),  # "priority" | "intent"
    Column("suggested", String(64), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("applied", String(64)),  # the value in force while the suggestion waited
    Column("model_id", String(32), nullable=False),
    Column("reasons", JsonDocument, nullable=False),
    Column("status", String(16), nullable=False),  # pending | accepted | corrected
    Column("created_at", UTCDateTime, nullable=False),
    Column("decided_at", UTCDateTime),
    Column("decided_by", String(128)),
    Column("final", String(64)),
    Column("note", Text),
    Column("policy_ref", String(96), nullable=False),
    Index("ix_triage_reviews_status", "status", "created_at"),
)
