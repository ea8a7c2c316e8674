"""Accounts: the customer organisations behind requesters (A1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

__all__ = ["Account", "Segment", "normalise_domain"]


class Segment(StrEnum):
    ENTERPRISE = "enterprise"
    MID_MARKET = "mid-market"
    DIGITAL_FIRST = "digital-first"


@dataclass(frozen=True, slots=True)
class Account:
    """An account as fairlane knows it. Money is integer cents in ``currency``."""

    id: str
    name: str
    segment: Segment
    plan: str | None = None
    arr_cents: int = 0
    acv_cents: int = 0
    currency: str = "USD"
    renewal_on: date | None = None
    is_strategic: bool = False
    strategic_reason: str | None = None
    csm_owner: str | None = None
    email_domains: tuple[str, ...] = ()
    client_ids: tuple[str, ...] = ()
    requester_tags: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    health_score: int | None = None
    health_scored_at: datetime | None = None
    health_drop_points: int | None = None  # fall from the recent high (A4), when one was seen

    def days_to_renewal(self, today: date) -> int | None:
        """Whole days from ``today`` to the renewal date (negative once it has passed)."""
        if self.renewal_on is None:
            return None
        return (self.renewal_on - today).days

    def health_age_days(self, now: datetime) -> float | None:
        if self.health_scored_at is None:
            return None
        return (now - self.health_scored_at).total_seconds() / 86_400


def normalise_domain(value: str) -> str:
    """``Mail.Example.COM.`` -> ``mail.example.com``; the form identifiers are matched in."""
    return value.strip().strip(".").casefold()
