"""Webhooks: subscriptions, fan-out from the outbox, signed delivery with retries.

Events reach the outbox in the same transaction as the change they report. The worker fans
them out to one delivery per matching subscription, then sends each delivery outside any
transaction (a lease keeps other workers off it), signed with HMAC-SHA256 over timestamp and
body (:mod:`fairlane.signing`). A failed attempt is retried with exponential backoff; after the
last attempt the delivery is dead until someone redelivers it. Delivery is at least once:
receivers deduplicate on the ``Fairlane-Delivery`` header.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fairlane.clock import Clock
from fairlane.errors import FieldProblem, NotFound, ValidationFailed
from fairlane.ids import new_id
from fairlane.policy.conditions import suggest
from fairlane.services.ports import UnitOfWork, WebhookSender
from fairlane.signing import SIGNATURE_HEADER, signature_header

__all__ = [
    "EVENT_TYPES",
    "MAX_ATTEMPTS",
    "DeliveryPass",
    "WebhookIn",
    "backoff_seconds",
    "create_subscription",
    "deliver_due",
    "fan_out",
    "next_delivery_at",
    "redeliver",
]

EVENT_TYPES = (
    "ticket.created",
    "ticket.status_changed",
    "sla.warning",
    "sla.breached",
    "account.created",
    "account.updated",
    "health.alert",
    "ticket.escalated",
    "ticket.flagged_for_review",
    "vip.decided",
)
MAX_ATTEMPTS = 8
LEASE = timedelta(seconds=60)


def backoff_seconds(attempts: int) -> int:
    """Wait after the ``attempts``-th failure: 30 s, 1 min, 2 min, ... capped at 1 h."""
    return min(3600, 30 * (1 << max(0, min(attempts - 1, 20))))


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    url: Annotated[str, Field(min_length=8, max_length=2048, pattern=r"^https?://[^\s\x00]+$")]
    events: Annotated[list[str], Field(min_length=1, max_length=50)] = Field(
        description="Event types to receive, or ['*'] for all: " + ", ".join(EVENT_TYPES)
    )
    secret: Annotated[str, Field(min_length=16, max_length=128, pattern=r"^[^\s\x00]+$")] | None = (
        Field(None, description="Signing secret; generated (and shown once) when omitted.")
    )
    description: Annotated[str, Field(max_length=256, pattern=r"^[^\x00]*$")] = ""

    @field_validator("events")
    @classmethod
    def _known(cls, events: list[str]) -> list[str]:
        for event in events:
            if event != "*" and event not in EVENT_TYPES:
                hint = suggest(event, EVENT_TYPES)
                raise ValueError(f"unknown event type {event!r}" + (f"; {hint}" if hint else ""))
        return sorted(set(events))


def create_subscription(hook: WebhookIn, *, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    """Store a subscription; the answer carries the secret (the only time it is shown)."""
    row = {
        "id": new_id("whk"),
        "url": hook.url,
        "event_types": hook.events,
        "secret": hook.secret or secrets.token_urlsafe(32),
        "description": hook.description,
        "created_at": clock.now(),
        "deleted_at": None,
    }
    with uow() as store:
        store.add_subscription(row)
    return row


def fan_out(*, uow: UnitOfWork, clock: Clock, batch_size: int = 500) -> int:
    """One delivery per (new outbox event, matching subscription); returns events dispatched."""
    now = clock.now()
    total = 0
    while True:
        with uow() as store:
            events = store.pending_outbox(limit=batch_size)
            subscriptions = store.list_subscriptions() if events else []
            deliveries = [
                {
                    "id": new_id("dlv"),
                    "subscription_id": sub["id"],
                    "outbox_id": event["id"],
                    "event_type": event["event_type"],
                    "payload": event["payload"],
                    "occurred_at": event["occurred_at"],
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "last_status_code": None,
                    "last_error": None,
                    "delivered_at": None,
                    "created_at": now,
                }
                for event in events
                for sub in subscriptions
                if ("*" in sub["event_types"] or event["event_type"] in sub["event_types"])
                and event["occurred_at"] >= sub["created_at"]
            ]
            store.add_deliveries(deliveries)
            store.mark_dispatched([e["id"] for e in events], now=now)
        total += len(events)
        if len(events) < batch_size:
            return total


@dataclass(frozen=True, slots=True)
class DeliveryPass:
    delivered: int
    failed: int
    dead: int


def deliver_due(
    *,
    uow: UnitOfWork,
    clock: Clock,
    sender: WebhookSender,
    batch_size: int = 50,
    send_timeout_seconds: float = 5.0,
) -> DeliveryPass:
    """Send up to ``batch_size`` deliveries whose attempt is due; network I/O happens outside
    transactions. The lease covers the whole batch timing out, so no other worker resends."""
    now = clock.now()
    lease = max(LEASE, timedelta(seconds=batch_size * send_timeout_seconds + 30))
    with uow() as store:
        claimed = store.claim_deliveries(now, limit=batch_size, lease_until=now + lease)
    delivered = failed = dead = 0
    for delivery in claimed:
        body = json.dumps(
            {
                "id": delivery["id"],
                "type": delivery["event_type"],
                "occurred_at": delivery["occurred_at"].isoformat(),
                "data": delivery["payload"],
            },
            separators=(",", ":"),
        ).encode()
        stamp = int(clock.now().timestamp())
        result = sender.send(
            delivery["url"],
            body,
            {
                "Content-Type": "application/json",
                SIGNATURE_HEADER: signature_header(delivery["secret"], stamp, body),
                "Fairlane-Event": delivery["event_type"],
                "Fairlane-Delivery": delivery["id"],
            },
        )
        attempts = delivery["attempts"] + 1
        finished = clock.now()
        if result.is_success:
            values: dict[str, Any] = {
                "status": "delivered",
                "delivered_at": finished,
                "next_attempt_at": None,
            }
            delivered += 1
        elif attempts >= MAX_ATTEMPTS:
            values = {"status": "dead", "next_attempt_at": None}
            dead += 1
        else:
            values = {"next_attempt_at": finished + timedelta(seconds=backoff_seconds(attempts))}
            failed += 1
        with uow() as store:
            store.record_delivery(
                delivery["id"],
                attempts=attempts,
                last_status_code=result.status_code,
                last_error=result.error,
                **values,
            )
    return DeliveryPass(delivered, failed, dead)


def next_delivery_at(*, uow: UnitOfWork) -> datetime | None:
    with uow() as store:
        return store.next_delivery_at()


def redeliver(delivery_id: str, *, uow: UnitOfWork, clock: Clock) -> None:
    """Send a dead (or delivered) delivery again, with a fresh set of attempts."""
    with uow() as store:
        found = store.get_delivery(delivery_id)
        if found is None:
            raise NotFound("webhook delivery", delivery_id)
        if found["status"] == "cancelled":
            raise ValidationFailed(
                "That delivery belongs to a deleted subscription.",
                [FieldProblem(("delivery_id",), "status is cancelled; subscribe again instead")],
            )
        if found["status"] == "pending":
            raise ValidationFailed(
                "That delivery is still being attempted.",
                [FieldProblem(("delivery_id",), "status is pending; wait for it to finish")],
            )
        store.record_delivery(
            delivery_id,
            status="pending",
            attempts=0,
            next_attempt_at=clock.now(),
            delivered_at=None,
        )
