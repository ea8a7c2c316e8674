"""The typed catalogue of account facts that VIP criteria may read (V1)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from fairlane.domain.accounts import Account, Segment
from fairlane.policy.conditions import FactValue, FieldSpec

__all__ = ["ACCOUNT_FIELDS", "account_facts"]

ACCOUNT_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FieldSpec("arr", "number", "Annual recurring revenue, in currency units (not cents)."),
        FieldSpec("acv", "number", "Annual contract value, in currency units."),
        FieldSpec("segment", "text", "Customer segment.", tuple(s.value for s in Segment)),
        FieldSpec("plan", "text", "Subscription level, as written in the account record."),
        FieldSpec("is_strategic", "bool", "Flagged strategic (partnership, new market, brand)."),
        FieldSpec("strategic_reason", "text", "Why the account is strategic."),
        FieldSpec(
            "days_to_renewal",
            "number",
            "Whole days until the renewal date (negative once passed; unknown if no date).",
        ),
        FieldSpec("health_score", "number", "Latest health score 0-100 (unknown if never scored)."),
        FieldSpec("health_age_days", "number", "Age of the latest health score, in days."),
        FieldSpec(
            "health_drop_points",
            "number",
            "Points the score fell from its high in the last health.drop_within_days.",
        ),
        FieldSpec(
            "is_health_stale",
            "bool",
            "True when the health score is older than health.freshness_days or missing.",
        ),
        FieldSpec("tags", "set", "The account's tags (lower case)."),
        FieldSpec("csm_owner", "text", "Customer success manager."),
    )
}


def account_facts(account: Account, *, now: datetime, freshness_days: int) -> dict[str, FactValue]:
    """Every catalogue field for ``account`` at instant ``now``."""
    age = account.health_age_days(now)
    days = account.days_to_renewal(now.date())
    return {
        "arr": Decimal(account.arr_cents) / 100,
        "acv": Decimal(account.acv_cents) / 100,
        "segment": account.segment.value,
        "plan": account.plan,
        "is_strategic": account.is_strategic,
        "strategic_reason": account.strategic_reason,
        "days_to_renewal": days,
        "health_score": account.health_score,
        "health_age_days": None if age is None else Decimal(f"{age:.1f}"),
        "health_drop_points": account.health_drop_points,
        "is_health_stale": age is None or age > freshness_days,
        "tags": frozenset(t.casefold() for t in account.tags),
        "csm_owner": account.csm_owner,
    }
