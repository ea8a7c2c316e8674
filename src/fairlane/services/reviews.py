"""The human review lane for low-confidence triage (T6) and the override record (T9).

At intake, a model answer under ``triage.confidence_threshold`` is not applied: it becomes a
review (``pending``) with the model's suggestion, and the ticket carries ``needs_review``
while one is open. A reviewer **accepts** the suggestion (it is applied) or **corrects** it
with the right value (which is applied instead: an override of the model). A priority that
changes re-decides the ticket's SLA targets. Every decision is audited with the suggestion,
its confidence and model, and the value applied, in the same transaction as the change, and
``review_stats`` reports the override rate: corrected / (accepted + corrected).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fairlane.clock import Clock
from fairlane.domain.audit import AuditEntry, OutboxEvent
from fairlane.domain.tickets import Priority
from fairlane.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.conditions import suggest
from fairlane.policy.decisions import Suggestion
from fairlane.services.ports import Store, UnitOfWork
from fairlane.services.retarget import retarget_ticket

__all__ = [
    "ReviewStats",
    "accept_review",
    "correct_review",
    "list_reviews",
    "review_rows",
    "review_stats",
]

_FIELDS = ("priority", "intent")
_STATUSES = ("pending", "accepted", "corrected")


def review_rows(
    ticket_id: str, suggestions: Sequence[Suggestion], *, at: datetime, policy: CompiledPolicy
) -> list[dict[str, Any]]:
    """The pending review rows intake writes for a ticket's held-back suggestions."""
    return [
        {
            "ticket_id": ticket_id,
            "field": s.field,
            "suggested": s.value,
            "confidence": round(s.confidence, 4),
            "applied": s.applied,
            "model_id": s.model_id,
            "reasons": [s.reason],
            "status": "pending",
            "created_at": at,
            "policy_ref": policy.ref,
        }
        for s in suggestions
    ]


def list_reviews(
    *, uow: UnitOfWork, status: str | None = "pending", ticket_id: str | None = None, limit: int
) -> list[dict[str, Any]]:
    if status is not None and status not in _STATUSES:
        raise ValidationFailed(
            "Unknown review status.",
            [FieldProblem(("status",), f"{status!r}", suggestion=", ".join(_STATUSES))],
        )
    with uow() as store:
        return store.list_reviews(status=status, ticket_id=ticket_id, limit=limit)


def accept_review(
    review_id: int,
    *,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    clock: Clock,
    actor: str,
    note: str | None = None,
) -> dict[str, Any]:
    """Apply the model's suggestion; returns the decided review."""
    return _decide(review_id, None, uow=uow, policy=policy, clock=clock, actor=actor, note=note)


def correct_review(
    review_id: int,
    value: str,
    *,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    clock: Clock,
    actor: str,
    note: str | None = None,
) -> dict[str, Any]:
    """Apply ``value`` instead of the suggestion (a human override); returns the review."""
    return _decide(review_id, value, uow=uow, policy=policy, clock=clock, actor=actor, note=note)


def _decide(
    review_id: int,
    value: str | None,
    *,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    clock: Clock,
    actor: str,
    note: str | None,
) -> dict[str, Any]:
    now = clock.now()
    with uow() as store:
        review = store.lock_review(review_id)
        if review is None:
            raise NotFound("review", str(review_id))
        if review["status"] != "pending":
            raise Conflict(
                f"Review {review_id} was already {review['status']} by {review['decided_by']}; "
                "a decided review cannot be decided again."
            )
        final = review["suggested"] if value is None else _checked(review["field"], value, policy)
        status = "accepted" if value is None or final == review["suggested"] else "corrected"
        ticket = store.lock_ticket(review["ticket_id"])
        if ticket is None:  # pragma: no cover - reviews cascade with their ticket
            raise NotFound("ticket", review["ticket_id"])
        before = ticket[review["field"]]
        store.decide_review(review_id, status=status, final=final, by=actor, at=now, note=note)
        changes: dict[str, Any] = {review["field"]: final}
        changes["needs_review"] = store.pending_reviews_for(ticket["id"]) > 0
        store.set_ticket_fields(ticket["id"], **changes)
        action = "triage.review_accepted" if status == "accepted" else "triage.overridden"
        reasons = [
            f"{actor} {status} the model's {review['field']} suggestion "
            f"{review['suggested']} ({review['confidence']:.2f})"
            + ("" if status == "accepted" else f" and set {final}")
        ]
        if note:
            reasons.append(note)
        retargeted = 0
        if review["field"] == "priority" and final != before:
            retargeted = retarget_ticket(
                store,
                ticket["id"],
                store.get_account(ticket["account_id"]) if ticket["account_id"] else None,
                policy=policy,
                now=now,
                actor=actor,
                cause=f"priority {before} -> {final} after triage review {review_id}",
            )
        payload = {
            "ticket_id": ticket["id"],
            "review_id": review_id,
            "field": review["field"],
            "suggested": review["suggested"],
            "confidence": review["confidence"],
            "model_id": review["model_id"],
            "before": before,
            "final": final,
            "status": status,
            "policy": policy.ref,
        }
        _audit(store, ticket, action, payload, reasons, actor=actor, now=now, policy=policy)
        store.add_events([OutboxEvent("triage.reviewed", ticket["id"], now, payload)])
        decided = store.lock_review(review_id)
    assert decided is not None
    return {**decided, "tickets_retargeted": retargeted}


def _audit(
    store: Store,
    ticket: dict[str, Any],
    action: str,
    payload: dict[str, Any],
    reasons: list[str],
    *,
    actor: str,
    now: datetime,
    policy: CompiledPolicy,
) -> None:
    store.add_audit(
        [
            AuditEntry(
                occurred_at=now,
                actor=actor,
                action=action,
                subject_type="ticket",
                subject_id=ticket["id"],
                ticket_id=ticket["id"],
                account_id=ticket["account_id"],
                policy_ref=policy.ref,
                inputs={k: payload[k] for k in ("review_id", "field", "suggested", "confidence")}
                | {"model_id": payload["model_id"], "before": payload["before"]},
                outcome={"final": payload["final"], "status": payload["status"]},
                reasons=tuple(reasons),
            )
        ]
    )


def _checked(field: str, value: str, policy: CompiledPolicy) -> str:
    if field == "priority":
        known = [p.value for p in Priority]
        candidate = value.strip().upper()
    else:
        known = list(policy.reader.intent.labels)
        candidate = value.strip()
    if candidate not in known:
        raise ValidationFailed(
            f"{value!r} is not a {field} this policy knows.",
            [
                FieldProblem(
                    ("value",),
                    f"unknown {field} {value!r}",
                    suggestion=suggest(value, known) or "one of " + ", ".join(known),
                )
            ],
        )
    return candidate


@dataclass(frozen=True, slots=True)
class ReviewStats:
    pending: int
    accepted: int
    corrected: int
    by_field: dict[str, dict[str, int]]

    @property
    def decided(self) -> int:
        return self.accepted + self.corrected

    @property
    def override_rate(self) -> float | None:
        """Corrected / decided; None before any review was decided."""
        return self.corrected / self.decided if self.decided else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "pending": self.pending,
            "accepted": self.accepted,
            "corrected": self.corrected,
            "decided": self.decided,
            "override_rate": None if self.override_rate is None else round(self.override_rate, 4),
            "by_field": self.by_field,
        }


def review_stats(
    *, uow: UnitOfWork, since: datetime | None = None, until: datetime | None = None
) -> ReviewStats:
    """Counts of the reviews created in [since, until), and the override rate (T9)."""
    with uow() as store:
        counts = store.review_counts(since=since, until=until)
    by_field: dict[str, dict[str, int]] = {f: dict.fromkeys(_STATUSES, 0) for f in _FIELDS}
    for field, status, n in counts:
        by_field.setdefault(field, dict.fromkeys(_STATUSES, 0))[status] = n
    total = {s: sum(v[s] for v in by_field.values()) for s in _STATUSES}
    return ReviewStats(total["pending"], total["accepted"], total["corrected"], by_field)
