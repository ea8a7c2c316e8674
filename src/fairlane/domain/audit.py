"""The append-only audit trail (M9) and the outbox of events for webhooks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["AuditEntry", "OutboxEvent"]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One decision or change: who, when, what it read, what it decided, why, under which policy."""

    occurred_at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    policy_ref: str | None = None
    ticket_id: str | None = None
    account_id: str | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    outcome: dict[str, Any] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    """An event for subscribers, written in the same transaction as the change it reports."""

    event_type: str
    subject_id: str
    occurred_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
