"""Escalation steps (S6), each fired at most once:

- ``escalate``: a ticket whose clock breached is escalated when it has made no progress for
  the policy's ``escalation.breach_escalate_after`` for its priority (P1 30 min, P2 2 h, P3 8 h);
  an agent reply or a status change in between cancels it.
- ``tier2``: a tier-1 ticket unresolved ``escalation.tier1_unresolved_after`` (24 h of business
  time) after it arrived moves to tier 2.
- ``review``: an escalated ticket with no customer update for
  ``escalation.no_customer_update_review_after`` (4 h) is flagged for management review; each
  agent reply restarts that wait.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fairlane.domain.audit import AuditEntry, OutboxEvent
from fairlane.domain.tickets import OPEN_STATUSES, Priority
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.durations import parse_duration
from fairlane.services.ports import Store

__all__ = [
    "ESCALATE",
    "REVIEW",
    "TIER2",
    "after_breach",
    "after_progress",
    "fire_step",
    "step_row",
    "tier2_step",
]

ESCALATE, TIER2, REVIEW = "escalate", "tier2", "review"


def step_row(ticket_id: str, step: str, due_at: datetime, reason: str) -> dict[str, Any]:
    return {
        "ticket_id": ticket_id,
        "step": step,
        "due_at": due_at,
        "fired_at": None,
        "cancelled_at": None,
        "next_action_at": due_at,
        "reason": reason,
    }


def tier2_step(
    ticket_id: str, *, arrived_at: datetime, calendar: Any, policy: CompiledPolicy
) -> dict[str, Any]:
    after = policy.document.escalation.tier1_unresolved_after
    seconds = parse_duration(after)
    due = (
        arrived_at + timedelta(seconds=seconds)
        if calendar is None or calendar.is_always_open
        else calendar.add_business_seconds(arrived_at, seconds)
    )
    return step_row(ticket_id, TIER2, due, f"tier 1 for {after} without resolution (S6)")


def after_breach(
    store: Store, row: dict[str, Any], *, breached_at: datetime, policy: CompiledPolicy
) -> None:
    """A clock breached: schedule the escalation for the ticket's priority, once."""
    wait = policy.document.escalation.breach_escalate_after.get(Priority(row["priority"]))
    if wait is None or row["escalated_at"] is not None:
        return
    existing = {s["step"]: s for s in store.steps_for(row["ticket_id"])}
    if ESCALATE in existing and existing[ESCALATE]["cancelled_at"] is None:
        return
    due = breached_at + timedelta(seconds=parse_duration(wait))
    store.save_step(
        step_row(
            row["ticket_id"],
            ESCALATE,
            due,
            f"{row['priority']} breached its SLA and made no progress for {wait}",
        )
    )


def after_progress(
    store: Store,
    ticket: dict[str, Any],
    *,
    at: datetime,
    is_reply: bool,
    is_solved: bool,
    policy: CompiledPolicy,
) -> None:
    """Progress cancels a pending escalation; a reply restarts the review wait; solving ends all."""
    for step in store.steps_for(ticket["id"]):
        if step["fired_at"] is not None or step["cancelled_at"] is not None:
            continue
        if is_solved or step["step"] == ESCALATE or (step["step"] == REVIEW and is_reply):
            store.save_step({**step, "cancelled_at": at, "next_action_at": None})
    if is_reply and not is_solved and ticket.get("escalated_at") is not None:
        _schedule_review(store, ticket["id"], since=at, policy=policy)


def _schedule_review(
    store: Store, ticket_id: str, *, since: datetime, policy: CompiledPolicy
) -> None:
    """Start (or restart) the wait for a customer update; a ticket is flagged at most once."""
    if any(s["step"] == REVIEW and s["fired_at"] is not None for s in store.steps_for(ticket_id)):
        return
    wait = policy.document.escalation.no_customer_update_review_after
    due = since + timedelta(seconds=parse_duration(wait))
    store.save_step(
        step_row(ticket_id, REVIEW, due, f"escalated and no customer update for {wait} (S6)")
    )


def fire_step(store: Store, row: dict[str, Any], *, now: datetime, policy: CompiledPolicy) -> bool:
    """Fire one due step (stamped with its due instant); False when it no longer applies."""
    step_only = {
        k: row[k]
        for k in (
            "ticket_id",
            "step",
            "due_at",
            "fired_at",
            "cancelled_at",
            "next_action_at",
            "reason",
        )
    }
    if row["status"] not in OPEN_STATUSES or row["cancelled_at"] is not None:
        store.save_step({**step_only, "cancelled_at": now, "next_action_at": None})
        return False
    due = row["due_at"]
    ticket_id = row["ticket_id"]
    if row["step"] == TIER2:
        if row["tier"] != 1:
            store.save_step({**step_only, "cancelled_at": now, "next_action_at": None})
            return False
        store.set_ticket_fields(ticket_id, tier=2)
        action, outcome = "ticket.escalated", {"to_tier": 2, "kind": "hierarchical"}
    elif row["step"] == ESCALATE:
        store.set_ticket_fields(ticket_id, escalated_at=due)
        action, outcome = "ticket.escalated", {"kind": "breach", "priority": row["priority"]}
        _schedule_review(store, ticket_id, since=due, policy=policy)
    else:
        store.set_ticket_fields(ticket_id, review_flagged_at=due)
        action, outcome = "ticket.flagged_for_review", {"kind": "management_review"}
    store.save_step({**step_only, "fired_at": due, "next_action_at": None})
    payload = {
        "ticket_id": ticket_id,
        "step": row["step"],
        "due_at": due.isoformat(),
        "priority": row["priority"],
        "lane": row["lane"],
        "team": row["team"],
        **outcome,
    }
    store.add_audit(
        [
            AuditEntry(
                occurred_at=due,
                actor="worker",
                action=action,
                subject_type="ticket",
                subject_id=ticket_id,
                ticket_id=ticket_id,
                account_id=row["account_id"],
                policy_ref=policy.ref,
                inputs={"step": row["step"], "noticed_at": now.isoformat()},
                outcome=payload,
                reasons=(row["reason"],),
            )
        ]
    )
    store.add_events([OutboxEvent(action, ticket_id, due, payload)])
    return True
