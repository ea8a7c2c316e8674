"""The policy document: what a support-operations lead writes (pydantic, extra keys rejected).

Every default here is the shipped default named in REQUIREMENTS.md; ``docs/policy.md`` is the
reference for each key. Validation that needs more than one key (condition fields, team
calendars, phrase lists) happens in :mod:`fairlane.policy.compile`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from fairlane.domain.tickets import Lane, Priority
from fairlane.policy.durations import parse_duration

__all__ = ["WEEKDAYS", "PolicyDocument", "Weekday"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _check_duration(value: str) -> str:
    parse_duration(value)
    return value


Duration = Annotated[str, AfterValidator(_check_duration)]
Fraction = Annotated[float, Field(ge=0, le=1)]
Percent = Annotated[int, Field(ge=0, le=100)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HolidaysDoc(_Strict):
    country: str | None = Field(None, description="ISO 3166 code for the `holidays` library.")
    subdivision: str | None = Field(None, description="State/region code, e.g. 'ENG' or 'CA'.")
    dates: list[date] = Field(default_factory=list, description="Extra closed local dates.")


class CalendarDoc(_Strict):
    timezone: str = "UTC"
    always_open: bool = False
    hours: dict[Weekday, list[str]] = Field(default_factory=dict)
    holidays: HolidaysDoc = Field(default_factory=HolidaysDoc)


class TeamDoc(_Strict):
    calendar: str
    description: str = ""


class SlaTargetDoc(_Strict):
    first_response: Duration
    resolution: Duration
    clock: Literal["business", "24x7"] = "business"


class ModifierDoc(_Strict):
    factor: Annotated[float, Field(gt=0, le=1)] = 0.75


class RenewalModifierDoc(ModifierDoc):
    within_days: Annotated[int, Field(ge=0)] = 30


class HealthModifierDoc(ModifierDoc):
    below: Percent = 40


class SlaModifiersDoc(_Strict):
    renewal_window: RenewalModifierDoc = Field(default_factory=RenewalModifierDoc)
    low_health: HealthModifierDoc = Field(default_factory=HealthModifierDoc)


def _default_matrix() -> dict[Lane, dict[Priority, SlaTargetDoc]]:
    def row(fr: list[str], res: list[str]) -> dict[Priority, SlaTargetDoc]:
        return {
            p: SlaTargetDoc(first_response=f, resolution=r)
            for p, f, r in zip(Priority, fr, res, strict=True)
        }

    return {
        Lane.VIP: row(["15m", "30m", "30m", "30m"], ["4h", "8h", "24h", "24h"]),
        Lane.STANDARD: row(["1h", "2h", "4h", "4h"], ["8h", "24h", "48h", "48h"]),
    }


class SlaDoc(_Strict):
    matrix: dict[Lane, dict[Priority, SlaTargetDoc]] = Field(default_factory=_default_matrix)
    standard_first_response_cap: Duration = Field(
        "24h",
        description="No standard-lane first response is ever due later than this, in elapsed time.",
    )
    warning_at: Fraction = 0.75
    acknowledgement: Duration = Field(
        "30m", description="S7: a customer message is acknowledged within this (business time)."
    )
    update_every: dict[Priority, Duration] = Field(
        default_factory=lambda: {
            Priority.P1: "1h",
            Priority.P2: "4h",
            Priority.P3: "24h",
            Priority.P4: "24h",
        },
        description="S7: the next update an agent reply promises when it names no time.",
    )
    modifiers: SlaModifiersDoc = Field(default_factory=SlaModifiersDoc)


class CriterionDoc(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    description: str = ""
    when: dict[str, Any]


def _default_criteria() -> list[CriterionDoc]:
    return [
        CriterionDoc(
            name="high-arr",
            description="Annual recurring revenue of 250,000 or more",
            when={"field": "arr", "op": ">=", "value": 250_000},
        ),
        CriterionDoc(
            name="strategic",
            description="Flagged strategic (partnership, new market, brand)",
            when={"field": "is_strategic", "op": "==", "value": True},
        ),
        CriterionDoc(
            name="renewal-soon",
            description="Renews within 30 days with ARR of 50,000 or more",
            when={
                "all": [
                    {"field": "days_to_renewal", "op": "<=", "value": 30},
                    {"field": "days_to_renewal", "op": ">=", "value": 0},
                    {"field": "arr", "op": ">=", "value": 50_000},
                ]
            },
        ),
        CriterionDoc(
            name="at-risk",
            description="Fresh health score below 40 with ARR of 50,000 or more",
            when={
                "all": [
                    {"field": "health_score", "op": "<", "value": 40},
                    {"field": "is_health_stale", "op": "==", "value": False},
                    {"field": "arr", "op": ">=", "value": 50_000},
                ]
            },
        ),
    ]


class VipDoc(_Strict):
    criteria: list[CriterionDoc] = Field(default_factory=_default_criteria)
    out_of_scope_signals: list[str] = Field(
        default_factory=lambda: ["feature-request"],
        description="Rules or triggers whose tickets stay in the standard lane even for VIPs.",
    )
    reserve_fraction: Annotated[float, Field(ge=0.15, le=0.25)] = 0.20
    mode: Literal["pooled", "dedicated"] = "pooled"


class TriggerDoc(_Strict):
    priority: Priority
    reason: str
    phrases: Annotated[list[str], Field(min_length=1)]
    escalate: bool = True
    intent: str | None = None  # when it matches, the ticket's intent (T4), over the model


class PriorityRuleDoc(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    priority: Priority
    reason: str
    phrases: Annotated[list[str], Field(min_length=1)]
    intent: str | None = None


class TriageModelsDoc(_Strict):
    """Model directories (``fairlane model train --target ...``) replacing the shipped ones."""

    intent: str | None = None
    urgency: str | None = None
    priority: str | None = None  # a model with labels P1-P4, instead of an urgency model
    escalation: str | None = None  # labels true/false, numeric columns from the risk signals


class TriageDoc(_Strict):
    default_priority: Priority = Priority.P3
    confidence_threshold: Annotated[float, Field(ge=0.5, le=0.99)] = 0.70
    # The most urgent priority a model may apply on its own; a more urgent reading is applied
    # at this level and held for review (P1 pages people: a trigger, a rule or a person sets it).
    model_may_set: Priority = Priority.P2
    escalation_risk_at: Annotated[int, Field(ge=1, le=100)] = 60  # T7: at-risk threshold
    models: TriageModelsDoc = Field(default_factory=TriageModelsDoc)
    hard_triggers: dict[str, TriggerDoc] = Field(default_factory=dict)
    priority_rules: list[PriorityRuleDoc] = Field(default_factory=list)


class HealthWeightsDoc(_Strict):
    usage: Fraction = 0.40
    support: Fraction = 0.25
    executive: Fraction = 0.20
    financial: Fraction = 0.15


class HealthDoc(_Strict):
    weights: dict[str, HealthWeightsDoc] = Field(
        default_factory=lambda: {"default": HealthWeightsDoc()},
        description="Per segment ('enterprise', 'mid-market', 'digital-first') or 'default'.",
    )
    alert_below: Percent = 40
    drop_points: Percent = 15
    drop_within_days: Annotated[int, Field(ge=1)] = 7
    freshness_days: Annotated[int, Field(ge=1)] = 30


class EscalationDoc(_Strict):
    breach_escalate_after: dict[Priority, Duration] = Field(
        default_factory=lambda: {Priority.P1: "30m", Priority.P2: "2h", Priority.P3: "8h"}
    )
    tier1_unresolved_after: Duration = "24h"
    no_customer_update_review_after: Duration = "4h"


class TargetsDoc(_Strict):
    escalation_rate_max: Fraction = 0.15
    escalated_breach_gap_max_points: Percent = 10
    bounceback_rate_max: Fraction = 0.20
    context_loss_rate_max: Fraction = 0.10
    recontact_rate_max: Fraction = 0.15
    critical_handoff_delay_max: Duration = "30m"
    quality_high_share_min: Fraction = 0.75
    quality_low_share_max: Fraction = 0.05


class AuthorityDoc(_Strict):
    agent_refund_limit_cents: Annotated[int, Field(ge=0)] = 50_000


class PolicyDocument(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")] = (
        "default"
    )
    description: str = ""
    calendars: dict[str, CalendarDoc] = Field(
        default_factory=lambda: {"24x7": CalendarDoc(always_open=True)}
    )
    teams: dict[str, TeamDoc] = Field(default_factory=lambda: {"support": TeamDoc(calendar="24x7")})
    default_team: str = "support"
    sla: SlaDoc = Field(default_factory=SlaDoc)
    vip: VipDoc = Field(default_factory=VipDoc)
    triage: TriageDoc = Field(default_factory=TriageDoc)
    health: HealthDoc = Field(default_factory=HealthDoc)
    escalation: EscalationDoc = Field(default_factory=EscalationDoc)
    targets: TargetsDoc = Field(default_factory=TargetsDoc)
    authority: AuthorityDoc = Field(default_factory=AuthorityDoc)
    holdout_fraction: Annotated[float, Field(ge=0, le=0.5)] = 0.05
