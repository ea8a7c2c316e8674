"""Response shapes (they document the API in /docs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

__all__ = [
    "AccountOut",
    "AuditEntryOut",
    "BulkUpsertOut",
    "KeyCreated",
    "KeyIn",
    "KeyOut",
    "PolicyOut",
    "QueueOut",
    "TicketAccepted",
    "TicketOut",
]


class TicketOut(BaseModel):
    id: str
    source: str
    external_id: str
    status: str
    subject: str
    body: str
    requester_email: str | None
    requester_client_id: str | None
    account_id: str | None
    channel: str | None
    team: str
    priority: str = Field(description="P1 (Critical) .. P4 (Low)")
    lane: str = Field(description="'vip' or 'standard'")
    is_escalation_required: bool = Field(description="A hard trigger fired (T5)")
    intent: str | None = Field(
        None, description="billing, outage, login_sso, ... (T4); null while held for review"
    )
    attention: int | None = Field(
        None, description="0-100: urgency, frustration and negativity combined; urgent at 90"
    )
    needs_review: bool = Field(
        False, description="A low-confidence model suggestion waits in the review queue (T6)"
    )
    created_at: datetime
    received_at: datetime
    first_response_due_at: datetime
    resolution_due_at: datetime
    policy_ref: str = Field(description="policy name@content-hash version that decided")
    decisions: dict[str, Any] = Field(
        description="account match, triage, vip, lane and sla, each with its reasons"
    )
    explanation: list[str] = Field(description="The reasons, as sentences, in decision order")


class TicketAccepted(TicketOut):
    is_new: bool = Field(description="False when this was a retry of an accepted ticket")


class QueueOut(BaseModel):
    tickets: list[TicketOut]
    order: str = "priority, then lane (VIP first), then first-response due, then age (V6)"


class AuditEntryOut(BaseModel):
    id: int
    occurred_at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    ticket_id: str | None
    account_id: str | None
    policy_ref: str | None
    inputs: dict[str, Any]
    outcome: dict[str, Any]
    reasons: list[str]


class AccountOut(BaseModel):
    account: dict[str, Any]
    vip: dict[str, Any] = Field(description="The VIP evaluation now: criteria, facts, reasons")
    evaluated_at: datetime


class BulkUpsertOut(BaseModel):
    created: int
    updated: int
    unchanged: int
    account_ids: list[str]


class PolicyOut(BaseModel):
    ref: str
    name: str
    version: str
    document: dict[str, Any]


class PolicyVersionOut(BaseModel):
    ref: str
    name: str
    version: str
    source: str
    actor: str
    registered_at: datetime


class KeyIn(BaseModel):
    model_config = {"extra": "forbid"}
    name: str = Field(min_length=1, max_length=128, pattern=r"^[^\x00]+$")
    role: str = Field(pattern=r"^(agent|lead|admin|integration)$")


class KeyCreated(BaseModel):
    id: str
    name: str
    role: str
    key: str = Field(description="Shown once; store it now")


class KeyOut(BaseModel):
    id: str
    name: str
    role: str
    created_at: datetime
    revoked_at: datetime | None
