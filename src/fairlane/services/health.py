"""Account health (A3, A4): weighted component readings to a 0-100 score, kept as history;
a score below the policy's floor or a sharp drop raises an alert and tightens the account's
open tickets (S2)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fairlane.clock import Clock
from fairlane.domain.audit import AuditEntry, OutboxEvent
from fairlane.errors import FieldProblem, NotFound, ValidationFailed
from fairlane.policy.compiled import CompiledPolicy
from fairlane.services.intake import CLOCK_SKEW
from fairlane.services.ports import UnitOfWork
from fairlane.services.retarget import retarget_account
from fairlane.services.schemas import AwareDatetime

__all__ = ["COMPONENTS", "HealthOutcome", "HealthSignalIn", "record_health"]

COMPONENTS = ("usage", "support", "executive", "financial")
Reading = Annotated[int, Field(ge=0, le=100)] | None


class HealthSignalIn(BaseModel):
    """Component readings 0-100; at least one. Missing components are left out of the weighting."""

    model_config = ConfigDict(extra="forbid")

    measured_at: AwareDatetime | None = Field(None, description="Defaults to arrival.")
    usage: Reading = Field(None, description="Product usage and adoption.")
    support: Reading = Field(None, description="Support trends (fewer, calmer tickets = higher).")
    executive: Reading = Field(None, description="Executive engagement, QBRs.")
    financial: Reading = Field(None, description="Payment health, expansion, contraction.")

    @model_validator(mode="after")
    def _at_least_one(self) -> HealthSignalIn:
        if all(getattr(self, name) is None for name in COMPONENTS):
            raise ValueError("give at least one of " + ", ".join(COMPONENTS))
        return self


class HealthOutcome(BaseModel):
    account_id: str
    score: int
    measured_at: datetime
    components: dict[str, int]
    weights: dict[str, float]
    drop_points: int | None
    alerts: list[str]
    tickets_retargeted: int


def record_health(
    account_id: str,
    signal: HealthSignalIn,
    *,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    clock: Clock,
    actor: str,
) -> HealthOutcome:
    now = clock.now()
    measured_at = signal.measured_at or now
    if measured_at > now + CLOCK_SKEW:
        raise ValidationFailed(
            "The health signal was not recorded.",
            [FieldProblem(("measured_at",), f"{measured_at.isoformat()} is in the future")],
        )
    health = policy.document.health
    with uow() as store:
        account = store.get_account(account_id)
        if account is None:
            raise NotFound("account", account_id)
        weights_doc = health.weights.get(account.segment.value) or health.weights["default"]
        readings = {
            name: getattr(signal, name) for name in COMPONENTS if getattr(signal, name) is not None
        }
        weights = {name: float(getattr(weights_doc, name)) for name in readings}
        total = sum(weights.values())
        if total > 0:
            score = round(sum(readings[n] * weights[n] for n in readings) / total)
        else:  # every present component weighs zero for this segment: plain mean
            score = round(sum(readings.values()) / len(readings))
        window = store.health_history(
            account_id,
            since=measured_at - timedelta(days=health.drop_within_days),
            until=measured_at,
        )
        high = max((row["score"] for row in window), default=None)
        drop = (
            high - score if high is not None and high > score else (0 if high is not None else None)
        )
        store.add_health_score(
            {
                "account_id": account_id,
                "measured_at": measured_at,
                "recorded_at": now,
                "score": score,
                "components": readings,
                "weights": weights,
                "policy_ref": policy.ref,
            }
        )
        alerts = []
        if score < health.alert_below:
            alerts.append(f"health score {score} is below {health.alert_below} (A4)")
        if drop is not None and drop >= health.drop_points:
            alerts.append(
                f"health score fell {drop} points within {health.drop_within_days} days "
                f"(from {high}) (A4)"
            )
        is_latest = account.health_scored_at is None or measured_at >= account.health_scored_at
        retargeted = 0
        audit = [
            AuditEntry(
                occurred_at=now,
                actor=actor,
                action="health.scored",
                subject_type="account",
                subject_id=account_id,
                account_id=account_id,
                policy_ref=policy.ref,
                inputs={
                    "components": readings,
                    "weights": weights,
                    "measured_at": measured_at.isoformat(),
                },
                outcome={"score": score, "drop_points": drop, "previous": account.health_score},
                reasons=(
                    f"score {score} = weighted mean of {', '.join(readings)} "
                    f"({account.segment.value} weights)",
                ),
            )
        ]
        if is_latest:
            store.set_account_health(
                account_id, score=score, scored_at=measured_at, drop_points=drop, now=now
            )
        if alerts:
            payload: dict[str, Any] = {
                "account_id": account_id,
                "score": score,
                "drop_points": drop,
                "alerts": alerts,
            }
            audit.append(
                AuditEntry(
                    occurred_at=now,
                    actor=actor,
                    action="health.alert",
                    subject_type="account",
                    subject_id=account_id,
                    account_id=account_id,
                    policy_ref=policy.ref,
                    inputs={"score": score},
                    outcome=payload,
                    reasons=tuple(alerts),
                )
            )
            store.add_events([OutboxEvent("health.alert", account_id, now, payload)])
        store.add_audit(audit)
        if is_latest:
            retargeted = retarget_account(
                store,
                account_id,
                policy=policy,
                now=now,
                actor=actor,
                cause=f"account health is now {score}",
            )
    return HealthOutcome(
        account_id=account_id,
        score=score,
        measured_at=measured_at,
        components=readings,
        weights=weights,
        drop_points=drop,
        alerts=alerts,
        tickets_retargeted=retargeted,
    )
