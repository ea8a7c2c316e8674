"""A validated policy, compiled into frozen objects the decision functions use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fairlane.domain.calendar import BusinessCalendar
from fairlane.domain.tickets import Lane, Priority
from fairlane.policy.conditions import Condition
from fairlane.policy.schema import PolicyDocument
from fairlane.triage.phrases import PhraseMatcher
from fairlane.triage.reading import TicketReader

__all__ = ["CompiledPolicy", "Criterion", "PriorityRule", "SlaCell", "Trigger"]


@dataclass(frozen=True, slots=True)
class Criterion:
    name: str
    description: str
    condition: Condition


@dataclass(frozen=True, slots=True)
class SlaCell:
    first_response_seconds: int
    resolution_seconds: int
    is_business_time: bool


@dataclass(frozen=True, slots=True)
class Trigger:
    name: str
    priority: Priority
    reason: str
    escalate: bool
    intent: str | None = None


@dataclass(frozen=True, slots=True)
class PriorityRule:
    name: str
    priority: Priority
    reason: str
    intent: str | None = None


@dataclass(frozen=True)
class CompiledPolicy:
    """Everything a decision needs, checked and ready. ``ref`` is ``name@version``."""

    document: PolicyDocument
    version: str
    calendars: dict[str, BusinessCalendar]
    team_calendars: dict[str, BusinessCalendar]
    criteria: tuple[Criterion, ...]
    sla_matrix: dict[Lane, dict[Priority, SlaCell]]
    standard_first_response_cap_seconds: int
    triggers: dict[str, Trigger]
    signal_matcher: PhraseMatcher  # hard triggers and priority rules, by name
    priority_rules: dict[str, PriorityRule]
    reader: TicketReader  # intent, urgency and sentiment models (T2-T4)

    @property
    def name(self) -> str:
        return self.document.name

    @property
    def ref(self) -> str:
        return f"{self.document.name}@{self.version}"

    @property
    def default_team(self) -> str:
        return self.document.default_team

    def as_dict(self) -> dict[str, Any]:
        return self.document.model_dump(mode="json")
