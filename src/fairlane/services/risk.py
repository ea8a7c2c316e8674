"""Escalation risk (T7) and the sentiment trajectory (T3) of a ticket, re-scored on every
interaction: at intake, and on each customer message, agent reply and status change.

The signals come from what fairlane already holds: the models' reading of the intake text and
of every customer message (kept with the message event), the account (ARR, fresh health
score), the SLA clocks (how much of the most-used running clock is gone), reopenings
(``solved`` then ``open`` again) and repeat contacts (other tickets from the same requester in
the 30 days before). :func:`fairlane.triage.risk.escalation_risk` turns them into the score.
A change of score is audited (``triage.rescored``) with the signals and contributions; a
ticket that becomes at risk puts ``ticket.at_risk`` on the outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fairlane.domain.accounts import Account
from fairlane.domain.audit import AuditEntry, OutboxEvent
from fairlane.policy.compiled import CompiledPolicy
from fairlane.services.clocks import describe
from fairlane.services.ports import Store
from fairlane.triage.reading import TextReading
from fairlane.triage.risk import RiskScore, RiskSignals, escalation_risk, model_risk

__all__ = [
    "REPEAT_WINDOW",
    "assess_risk",
    "at_risk_event",
    "intake_risk",
    "rescore_risk",
    "sentiment_trajectory",
]

REPEAT_WINDOW = timedelta(days=30)


def _fresh_health(account: Account | None, policy: CompiledPolicy, now: datetime) -> int | None:
    if account is None or account.health_score is None:
        return None
    age = account.health_age_days(now)
    fresh = age is not None and age <= policy.document.health.freshness_days
    return account.health_score if fresh else None


def _score(policy: CompiledPolicy, text: Callable[[], str], signals: RiskSignals) -> RiskScore:
    """The team's escalation model when the policy names one (it reads ``text()`` too), else
    the shipped formula (signals only)."""
    at_risk = policy.document.triage.escalation_risk_at
    model = policy.reader.escalation
    if model is not None:
        return model_risk(model, text(), signals, at_risk=at_risk)
    return escalation_risk(signals, at_risk=at_risk)


def intake_risk(
    reading: TextReading,
    account: Account | None,
    *,
    text: str,
    repeat_contacts: int,
    policy: CompiledPolicy,
    now: datetime,
) -> tuple[RiskScore, RiskSignals]:
    """The score of a new ticket: its text, its account, the requester's other tickets."""
    signals = RiskSignals(
        attention=reading.attention,
        compound=reading.sentiment.compound,
        first_compound=reading.sentiment.compound,
        messages=1,
        arr=account.arr_cents / 100 if account is not None else None,
        health_score=_fresh_health(account, policy, now),
        sla_fraction_used=0.0,
        reopenings=0,
        repeat_contacts=repeat_contacts,
    )
    return _score(policy, lambda: text, signals), signals


def sentiment_trajectory(
    ticket: dict[str, Any], events: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The customer's messages in order, the intake text first, each with its sentiment,
    frustration and attention."""
    models = ticket["decisions"]["triage"].get("models") or {}
    first = models.get("sentiment")
    points = []
    if first is not None:
        points.append(
            {
                "at": ticket["created_at"].isoformat(),
                "source": "ticket",
                **{k: first[k] for k in ("compound", "label", "frustration")},
                "attention": models.get("attention"),
            }
        )
    for event in events:
        reading = (event["data"] or {}).get("triage")
        if event["kind"] == "customer_message" and reading:
            points.append(
                {
                    "at": event["occurred_at"].isoformat(),
                    "source": "customer_message",
                    **{k: reading["sentiment"][k] for k in ("compound", "label", "frustration")},
                    "attention": reading["attention"],
                }
            )
    return points


def assess_risk(
    store: Store, ticket: dict[str, Any], *, policy: CompiledPolicy, now: datetime
) -> tuple[RiskScore, RiskSignals, list[dict[str, Any]]]:
    """The ticket's risk from everything known now, its signals and sentiment trajectory."""
    events = store.ticket_events_for(ticket["id"])
    trajectory = sentiment_trajectory(ticket, events)
    first = trajectory[0] if trajectory else {"compound": 0.0, "attention": 0}
    latest = trajectory[-1] if trajectory else first
    account = store.get_account(ticket["account_id"]) if ticket["account_id"] else None
    used = [
        view["fraction_used"]
        for view in (describe(row, policy, at=now) for row in store.clocks_for(ticket["id"]))
        if view["state"] in ("running", "breached") and view["met_at"] is None
    ]
    repeat = 0
    if ticket["requester_email"]:
        counts = store.requester_ticket_counts(
            [ticket["requester_email"]],
            since=ticket["created_at"] - REPEAT_WINDOW,
            exclude=[ticket["id"]],
        )
        repeat = counts.get(ticket["requester_email"], 0)
    signals = RiskSignals(
        attention=int(latest.get("attention") or 0),
        compound=float(latest["compound"]),
        first_compound=float(first["compound"]),
        messages=max(1, len(trajectory)),
        arr=account.arr_cents / 100 if account is not None else None,
        health_score=_fresh_health(account, policy, now),
        sla_fraction_used=max(used, default=0.0),
        reopenings=_reopenings(events),
        repeat_contacts=repeat,
    )

    def conversation() -> str:
        return "\n".join(
            [f"{ticket['subject']}\n{ticket['body']}"]
            + [
                str((e["data"] or {}).get("body", ""))
                for e in events
                if e["kind"] == "customer_message" and (e["data"] or {}).get("body")
            ]
        )

    return _score(policy, conversation, signals), signals, trajectory


def rescore_risk(
    store: Store,
    ticket: dict[str, Any],
    *,
    policy: CompiledPolicy,
    now: datetime,
    actor: str,
    cause: str,
) -> RiskScore:
    """Score ``ticket`` again from everything known now; write and audit a change of the
    score or of the attention it carries (nothing is written when neither moved)."""
    risk, signals, _ = assess_risk(store, ticket, policy=policy, now=now)
    before = ticket.get("escalation_risk")
    if before == risk.score and ticket.get("attention") == signals.attention:
        return risk
    store.set_ticket_fields(ticket["id"], escalation_risk=risk.score, attention=signals.attention)
    store.add_audit(
        [
            AuditEntry(
                occurred_at=now,
                actor=actor,
                action="triage.rescored",
                subject_type="ticket",
                subject_id=ticket["id"],
                ticket_id=ticket["id"],
                account_id=ticket["account_id"],
                policy_ref=policy.ref,
                inputs={"cause": cause, "signals": signals.as_dict()},
                outcome={"before": before, **risk.as_dict()},
                reasons=tuple(f"{f}: {why}" for f, _, why in risk.contributions) or ("no signal",),
            )
        ]
    )
    was_at_risk = before is not None and before >= policy.document.triage.escalation_risk_at
    if risk.is_at_risk and not was_at_risk:
        store.add_events([at_risk_event(ticket["id"], risk, at=now, policy=policy)])
    return risk


def at_risk_event(
    ticket_id: str, risk: RiskScore, *, at: datetime, policy: CompiledPolicy
) -> OutboxEvent:
    """``ticket.at_risk`` for the outbox: at intake, or when an event makes the ticket at risk."""
    return OutboxEvent(
        "ticket.at_risk",
        ticket_id,
        at,
        {"ticket_id": ticket_id, "policy": policy.ref, **risk.as_dict()},
    )


def _reopenings(events: list[dict[str, Any]]) -> int:
    count, solved = 0, False
    for event in events:
        if event["kind"] != "status_changed":
            continue
        status = (event["data"] or {}).get("status")
        if status == "solved":
            solved = True
        elif status == "open" and solved:
            count, solved = count + 1, False
    return count
