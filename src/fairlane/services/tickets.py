"""Reading tickets back: one ticket, the queue, the audit trail, and the explanation."""

from __future__ import annotations

from typing import Any

from fairlane.clock import Clock
from fairlane.errors import FieldProblem, NotFound, ValidationFailed
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.conditions import suggest
from fairlane.policy.decisions import INTENT_REASON
from fairlane.services.ports import UnitOfWork
from fairlane.services.risk import assess_risk

__all__ = ["explain", "get_ticket", "list_queue", "ticket_audit", "triage_report"]


def get_ticket(ticket_id: str, *, uow: UnitOfWork) -> dict[str, Any]:
    with uow() as store:
        row = store.get_ticket(ticket_id)
    if row is None:
        raise NotFound("ticket", ticket_id)
    return row


def list_queue(
    *, uow: UnitOfWork, policy: CompiledPolicy, team: str | None, limit: int
) -> list[dict[str, Any]]:
    """Open tickets in work order: priority, then lane, then due, then age (V6)."""
    if team is not None and team not in policy.team_calendars:
        raise ValidationFailed(
            "Unknown team.",
            [
                FieldProblem(
                    ("team",),
                    f"no team named {team!r}",
                    suggestion=suggest(team, sorted(policy.team_calendars))
                    or "one of " + ", ".join(sorted(policy.team_calendars)),
                )
            ],
        )
    with uow() as store:
        return store.list_open_tickets(team=team, limit=limit)


def ticket_audit(ticket_id: str, *, uow: UnitOfWork) -> list[dict[str, Any]]:
    with uow() as store:
        if store.get_ticket(ticket_id) is None:
            raise NotFound("ticket", ticket_id)
        return store.audit_for(ticket_id=ticket_id)


def explain(row: dict[str, Any]) -> list[str]:
    """The decisions' reasons as sentences, in the order they were made."""
    decisions = row["decisions"]
    lines = [f"Account: {decisions['account']['reason']}."]
    for reason in decisions["triage"]["reasons"]:
        if reason.startswith(INTENT_REASON):
            lines.append(f"Intent: {reason.removeprefix(INTENT_REASON)}.")
        else:
            lines.append(f"Priority: {reason}.")
    lines += [f"VIP: {reason}." for reason in decisions["vip"]["reasons"]]
    lines += [f"Lane: {reason}." for reason in decisions["lane"]["reasons"]]
    lines += [f"SLA: {reason}." for reason in decisions["sla"]["reasons"]]
    lines.append(f"Decided under policy {row['policy_ref']}.")
    return lines


def triage_report(
    ticket_id: str, *, uow: UnitOfWork, policy: CompiledPolicy, clock: Clock
) -> dict[str, Any]:
    """Every signal and model output behind the ticket's triage, the escalation risk now with
    its contributions, the sentiment trajectory, and the ticket's reviews."""
    with uow() as store:
        row = store.get_ticket(ticket_id)
        if row is None:
            raise NotFound("ticket", ticket_id)
        reviews = store.list_reviews(status=None, ticket_id=ticket_id, limit=50)
        risk, signals, trajectory = assess_risk(store, row, policy=policy, now=clock.now())
    triage = row["decisions"]["triage"]
    return {
        "ticket_id": ticket_id,
        "priority": row["priority"],
        "priority_source": triage.get("priority_source", "rule"),
        "priority_confidence": triage.get("priority_confidence", 1.0),
        "intent": row["intent"],
        "attention": row["attention"],
        "needs_review": row["needs_review"],
        "hits": triage["hits"],
        "models": triage.get("models"),
        "suggestions": triage.get("suggestions", []),
        "escalation_risk": {**risk.as_dict(), "signals": signals.as_dict()},
        "sentiment_trajectory": trajectory,
        "reviews": reviews,
        "reasons": triage["reasons"],
        "policy_ref": row["policy_ref"],
    }
