"""The intake decisions: triage rules, VIP eligibility, lane and SLA targets.

Pure functions of their inputs and a compiled policy; each returns a result that carries
its own reasons. The live service, the worker and the simulator all call these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fairlane.domain.accounts import Account
from fairlane.domain.tickets import Lane, Priority
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.conditions import FactValue, jsonable_fact
from fairlane.policy.durations import format_duration
from fairlane.policy.facts import account_facts
from fairlane.triage.phrases import PhraseMatch
from fairlane.triage.reading import TextReading

__all__ = [
    "INTENT_REASON",
    "URGENCY_PRIORITY",
    "LaneDecision",
    "SignalHit",
    "SlaDecision",
    "SlaTargets",
    "Suggestion",
    "TriageResult",
    "VipEvaluation",
    "decide_lane",
    "decide_sla",
    "decide_sla_targets",
    "decide_triage",
    "evaluate_vip",
]


@dataclass(frozen=True, slots=True)
class SignalHit:
    """A hard trigger or priority rule that fired, with the words that fired it."""

    name: str
    kind: str  # "trigger" | "rule"
    priority: Priority
    reason: str
    phrase: str
    matched_text: str
    is_exact: bool
    escalates: bool = False
    intent: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "intent": self.intent,
            "kind": self.kind,
            "priority": self.priority.value,
            "reason": self.reason,
            "phrase": self.phrase,
            "matched_text": self.matched_text,
            "is_exact": self.is_exact,
            "escalates": self.escalates,
        }


# The triage reasons about the intent start with this (the rest are about the priority); the
# ticket's explanation sorts them by it.
INTENT_REASON = "intent: "

URGENCY_PRIORITY = {
    "critical": Priority.P1,
    "high": Priority.P2,
    "normal": Priority.P3,
    "low": Priority.P4,
}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A model's answer that was not applied because its confidence is under the policy's
    threshold (T6): it waits in the review queue for a person to accept or correct."""

    field: str  # "priority" | "intent"
    value: str
    confidence: float
    applied: str | None  # what is in force meanwhile
    model_id: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "value": self.value,
            "confidence": round(self.confidence, 4),
            "applied": self.applied,
            "model_id": self.model_id,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class TriageResult:
    priority: Priority
    hits: tuple[SignalHit, ...]
    reasons: tuple[str, ...]
    source: str = "default"  # "trigger" | "rule" | "model" | "default"
    confidence: float = 1.0  # of the applied priority: 1.0 for a policy rule
    intent: str | None = None  # applied intent; None while it waits for review
    reading: TextReading | None = None
    suggestions: tuple[Suggestion, ...] = ()
    triggers: tuple[SignalHit, ...] = field(init=False)
    signal_names: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "triggers", tuple(h for h in self.hits if h.kind == "trigger"))
        object.__setattr__(self, "signal_names", frozenset(h.name for h in self.hits))

    @property
    def is_escalation_required(self) -> bool:
        """A hard trigger marked ``escalate`` fired (T5: escalates regardless of tier)."""
        return any(h.escalates for h in self.triggers)

    @property
    def needs_review(self) -> bool:
        return bool(self.suggestions)

    def as_dict(self) -> dict[str, Any]:
        return {
            "priority": self.priority.value,
            "priority_source": self.source,
            "priority_confidence": round(self.confidence, 4),
            "intent": self.intent,
            "hits": [h.as_dict() for h in self.hits],
            "is_escalation_required": self.is_escalation_required,
            "models": None if self.reading is None else self.reading.as_dict(),
            "suggestions": [s.as_dict() for s in self.suggestions],
            "needs_review": self.needs_review,
            "reasons": list(self.reasons),
        }


def decide_triage(
    subject: str, body: str, policy: CompiledPolicy, reading: TextReading | None = None
) -> TriageResult:
    """Priority (T1) from the policy's hard triggers (T5) and rules and, with a ``reading``
    of the text by the models (T2, T4), from the urgency model; the intent from the intent
    model. A model's answer is applied when its calibrated confidence reaches
    ``triage.confidence_threshold``; under it, the answer becomes a review suggestion and the
    rule (or the policy default) stays in force (T6). A model never lowers the priority a
    trigger or rule gave: it can only raise it, to P1 or P2."""
    ruled = _rule_triage(subject, body, policy)
    if reading is None:
        return ruled
    threshold = policy.document.triage.confidence_threshold
    urgency = reading.urgency
    suggested = URGENCY_PRIORITY.get(urgency.label) or _priority_label(urgency.label)
    reasons = list(ruled.reasons)
    suggestions: list[Suggestion] = []
    priority, source, confidence = ruled.priority, ruled.source, ruled.confidence
    seen = f"the urgency model reads {urgency.label} ({urgency.confidence:.2f})"
    if suggested is not None:
        ruled_by_policy = ruled.source in ("trigger", "rule")
        # Over a trigger or rule, only urgency the rules missed counts (T2): a model that
        # reads "normal" does not move a how-to question from P4 to P3.
        raises = suggested.rank < ruled.priority.rank and suggested.rank <= Priority.P2.rank
        ceiling = policy.document.triage.model_may_set
        confident = urgency.confidence >= threshold
        if confident and suggested.rank < min(ceiling.rank, ruled.priority.rank):
            applied = ceiling if ceiling.rank < ruled.priority.rank else ruled.priority
            why = (
                f"{seen}, above {ceiling.value}, the most urgent a model may set alone: held for "
                "review"
            )
            suggestions.append(
                Suggestion(
                    "priority",
                    suggested.value,
                    urgency.confidence,
                    applied.value,
                    urgency.model_id,
                    why,
                )
            )
            if applied != ruled.priority:
                reasons.insert(0, f"{applied.value} ({applied.label}): {seen} in the text")
                priority, source, confidence = applied, "model", urgency.confidence
            reasons.append(f"suggested {suggested.value}: {why}; {applied.value} applies")
        elif confident and (raises or not ruled_by_policy):
            if suggested != ruled.priority:
                reasons.insert(
                    0,
                    f"{suggested.value} ({suggested.label}): {seen} in the text"
                    + (
                        f", more urgent than {ruled.source} priority {ruled.priority.value}"
                        if ruled_by_policy
                        else f" (at least {threshold:.2f}: applied instead of the default)"
                    ),
                )
            priority, source, confidence = suggested, "model", urgency.confidence
        elif suggested != ruled.priority and (raises or not ruled_by_policy):
            why = f"{seen}, under the confidence threshold {threshold:.2f}: held for review"
            suggestions.append(
                Suggestion(
                    "priority",
                    suggested.value,
                    urgency.confidence,
                    ruled.priority.value,
                    urgency.model_id,
                    why,
                )
            )
            reasons.append(f"suggested {suggested.value}: {why}; {ruled.priority.value} applies")
    intent = reading.intent
    applied_intent: str | None = intent.label
    ruled_intent = next((h for h in ruled.hits if h.intent is not None), None)
    if ruled_intent is not None:
        applied_intent = ruled_intent.intent
        reasons.append(
            f"{INTENT_REASON}{applied_intent}: {ruled_intent.kind} '{ruled_intent.name}' says so"
            + (
                ""
                if intent.label == applied_intent
                else f" (the intent model read {intent.label}, {intent.confidence:.2f})"
            )
        )
    elif intent.confidence < threshold:
        applied_intent = None
        why = (
            f"the intent model reads {intent.label} ({intent.confidence:.2f}), under the "
            f"confidence threshold {threshold:.2f}: held for review"
        )
        suggestions.append(
            Suggestion("intent", intent.label, intent.confidence, None, intent.model_id, why)
        )
        reasons.append(f"{INTENT_REASON}{why}")
    else:
        reasons.append(f"{INTENT_REASON}{intent.label} ({intent.confidence:.2f})")
    return TriageResult(
        priority,
        ruled.hits,
        tuple(reasons),
        source,
        confidence,
        applied_intent,
        reading,
        tuple(suggestions),
    )


def _priority_label(label: str) -> Priority | None:
    """A priority model's label (P1-P4) as a priority."""
    return next((p for p in Priority if p.value == label), None)


def _rule_triage(subject: str, body: str, policy: CompiledPolicy) -> TriageResult:
    """Rule-based priority (T1) and hard triggers (T5) from the subject and body."""
    text = f"{subject}\n{body}"
    hits = [
        _hit(m, "trigger" if m.label in policy.triggers else "rule", policy)
        for m in _best_per_label(policy.signal_matcher.find(text))
    ]
    default = policy.document.triage.default_priority
    if not hits:
        return TriageResult(
            default,
            (),
            (
                f"{default.value} ({default.label}): no trigger or "
                "priority rule matched; the policy default applies",
            ),
        )
    hits.sort(key=lambda h: (h.priority.rank, h.kind != "trigger", h.name))
    top = hits[0]
    reasons = [
        f"{top.priority.value} ({top.priority.label}): {top.kind} '{top.name}' "
        f"({top.reason}) matched \u201c{top.matched_text}\u201d"
        + ("" if top.is_exact else f" as a variant of \u201c{top.phrase}\u201d")
    ]
    reasons += [
        f"also matched {h.kind} '{h.name}' ({h.priority.value}) on \u201c{h.matched_text}\u201d"
        for h in hits[1:]
    ]
    if any(h.escalates for h in hits):
        reasons.append("a hard trigger escalates regardless of tier or lane (T5)")
    return TriageResult(top.priority, tuple(hits), tuple(reasons), top.kind)


def _best_per_label(matches: list[PhraseMatch]) -> list[PhraseMatch]:
    best: dict[str, PhraseMatch] = {}
    for match in matches:
        current = best.get(match.label)
        if current is None or (match.is_exact and not current.is_exact):
            best[match.label] = match
    return list(best.values())


def _hit(match: PhraseMatch, kind: str, policy: CompiledPolicy) -> SignalHit:
    if kind == "trigger":
        trigger = policy.triggers[match.label]
        return SignalHit(
            match.label,
            kind,
            trigger.priority,
            trigger.reason,
            match.phrase,
            match.matched_text,
            match.is_exact,
            trigger.escalate,
            trigger.intent,
        )
    rule = policy.priority_rules[match.label]
    return SignalHit(
        match.label,
        kind,
        rule.priority,
        rule.reason,
        match.phrase,
        match.matched_text,
        match.is_exact,
        intent=rule.intent,
    )


@dataclass(frozen=True, slots=True)
class VipEvaluation:
    """Which VIP criteria held for an account, with the facts they read (V1)."""

    account_id: str | None
    is_eligible: bool
    matched: tuple[str, ...]
    criteria: tuple[dict[str, Any], ...]
    facts: dict[str, Any]
    policy_ref: str
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "is_eligible": self.is_eligible,
            "matched": list(self.matched),
            "criteria": list(self.criteria),
            "facts": self.facts,
            "policy": self.policy_ref,
            "reasons": list(self.reasons),
        }


def evaluate_vip(
    account: Account | None, policy: CompiledPolicy, *, now: datetime
) -> VipEvaluation:
    if account is None:
        return VipEvaluation(
            None,
            False,
            (),
            (),
            {},
            policy.ref,
            (
                "account unknown: the requester matched no account, so no VIP "
                "criteria can hold; the ticket runs in the standard lane",
            ),
        )
    facts = account_facts(account, now=now, freshness_days=policy.document.health.freshness_days)
    results: list[dict[str, Any]] = []
    matched: list[str] = []
    for criterion in policy.criteria:
        trace = criterion.condition.evaluate(facts)
        results.append(
            {
                "name": criterion.name,
                "description": criterion.description,
                "held": trace.held,
                "trace": trace.as_dict(),
            }
        )
        if trace.held:
            matched.append(criterion.name)
    shown = {k: jsonable_fact(v) for k, v in facts.items()}
    if matched:
        held = [r for r in results if r["held"]]
        reasons = tuple(
            f"VIP criterion '{r['name']}' held: {r['description']} ({_facts_text(r['trace'])})"
            for r in held
        )
    else:
        reasons = (
            f"no VIP criterion held (checked {len(results)}: "
            + ", ".join(r["name"] for r in results)
            + ")",
        )
        if facts.get("is_health_stale") and account.health_score is not None:
            reasons += ("the health score is stale, so health-based criteria did not use it",)
    return VipEvaluation(
        account.id, bool(matched), tuple(matched), tuple(results), shown, policy.ref, reasons
    )


def _facts_text(trace: dict[str, Any]) -> str:
    facts: dict[str, Any] = {}

    def walk(node: dict[str, Any]) -> None:
        facts.update(node.get("facts", {}))
        for child in node.get("children", []):
            walk(child)

    walk(trace)
    return ", ".join(f"{k} = {_show_fact(v)}" for k, v in facts.items())


def _show_fact(value: FactValue | Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:,}"
    return "unknown" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class LaneDecision:
    lane: Lane
    reasons: tuple[str, ...]


def decide_lane(vip: VipEvaluation, triage: TriageResult, policy: CompiledPolicy) -> LaneDecision:
    """VIP lane for eligible accounts, unless the request is out of the VIP scope (V6)."""
    if not vip.is_eligible:
        return LaneDecision(Lane.STANDARD, ("standard lane: " + vip.reasons[0],))
    scope_list = set(policy.document.vip.out_of_scope_signals)
    out_of_scope = sorted(triage.signal_names & scope_list)
    in_scope_triggers = [h for h in triage.triggers if h.name not in scope_list]
    if out_of_scope and not in_scope_triggers:
        return LaneDecision(
            Lane.STANDARD,
            (
                "standard lane: the account is VIP-eligible but this request is out of the VIP "
                f"scope ({', '.join(out_of_scope)})",
            ),
        )
    return LaneDecision(
        Lane.VIP,
        (
            "VIP lane: criteria held (" + ", ".join(vip.matched) + ")",
            f"severity beats status (V6): queued by priority first ({triage.priority.value}), "
            "then lane, so no standard ticket of higher priority waits behind it",
        ),
    )


@dataclass(frozen=True, slots=True)
class SlaDecision:
    lane: Lane
    priority: Priority
    team: str
    calendar: str
    timezone: str
    is_business_time: bool
    first_response_seconds: int
    resolution_seconds: int
    first_response_due_at: datetime
    resolution_due_at: datetime
    modifiers: tuple[dict[str, Any], ...] = ()
    reasons: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "lane": self.lane.value,
            "priority": self.priority.value,
            "team": self.team,
            "calendar": self.calendar,
            "timezone": self.timezone,
            "is_business_time": self.is_business_time,
            "first_response_seconds": self.first_response_seconds,
            "resolution_seconds": self.resolution_seconds,
            "first_response_due_at": self.first_response_due_at.isoformat(),
            "resolution_due_at": self.resolution_due_at.isoformat(),
            "modifiers": list(self.modifiers),
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class SlaTargets:
    """The targets alone (no due instants): what re-targeting an open ticket needs."""

    first_response_seconds: int
    resolution_seconds: int
    is_business_time: bool
    modifiers: tuple[dict[str, Any], ...]
    reasons: tuple[str, ...]


def decide_sla_targets(
    *,
    lane: Lane,
    priority: Priority,
    team: str,
    account: Account | None,
    policy: CompiledPolicy,
    now: datetime,
) -> SlaTargets:
    """Targets from the lane x priority matrix (S1), tightened by modifiers (S2)."""
    cell = policy.sla_matrix[lane][priority]
    calendar = policy.team_calendars[team]
    modifiers = _modifiers(account, policy, now=now)
    factor = min((m["factor"] for m in modifiers), default=1.0)
    first = max(60, round(cell.first_response_seconds * factor))
    resolution = max(60, round(cell.resolution_seconds * factor))
    where = (
        f"{calendar.name} business hours ({calendar.timezone})"
        if cell.is_business_time
        else "24x7 elapsed time"
    )
    reasons = [
        f"{lane.value} lane x {priority.value}: first response {format_duration(first)}, "
        f"resolution {format_duration(resolution)}, counted in {where} for team {team}"
    ]
    if modifiers:
        strongest = min(modifiers, key=lambda m: m["factor"])
        reasons.append(
            f"targets x{factor:g} because {strongest['reason']} (S2; the strongest "
            "modifier applies, they do not compound)"
        )
    return SlaTargets(first, resolution, cell.is_business_time, tuple(modifiers), tuple(reasons))


def decide_sla(
    *,
    lane: Lane,
    priority: Priority,
    team: str,
    account: Account | None,
    started_at: datetime,
    policy: CompiledPolicy,
    now: datetime,
) -> SlaDecision:
    """The targets (:func:`decide_sla_targets`) as due instants in the team's business
    calendar (S3), with the standard lane's elapsed-time cap on first response (S1)."""
    targets = decide_sla_targets(
        lane=lane, priority=priority, team=team, account=account, policy=policy, now=now
    )
    calendar = policy.team_calendars[team]
    clock = calendar if targets.is_business_time else None
    first_due = _add(clock, started_at, targets.first_response_seconds)
    resolution_due = _add(clock, started_at, targets.resolution_seconds)
    reasons = list(targets.reasons)
    cap = policy.standard_first_response_cap_seconds
    if lane is Lane.STANDARD and first_due > started_at + timedelta(seconds=cap):
        first_due = started_at + timedelta(seconds=cap)
        reasons.append(
            f"first response capped at {format_duration(cap)} elapsed: no standard "
            "ticket waits longer for a first answer (S1)"
        )
    return SlaDecision(
        lane,
        priority,
        team,
        calendar.name,
        calendar.timezone,
        clock is not None,
        targets.first_response_seconds,
        targets.resolution_seconds,
        first_due,
        resolution_due,
        targets.modifiers,
        tuple(reasons),
    )


def _add(calendar: Any, start: datetime, seconds: int) -> datetime:
    if calendar is None or calendar.is_always_open:
        return start + timedelta(seconds=seconds)
    due: datetime = calendar.add_business_seconds(start, seconds)
    return due


def _modifiers(
    account: Account | None, policy: CompiledPolicy, *, now: datetime
) -> list[dict[str, Any]]:
    if account is None:
        return []
    doc = policy.document.sla.modifiers
    found: list[dict[str, Any]] = []
    days = account.days_to_renewal(now.date())
    if days is not None and 0 <= days <= doc.renewal_window.within_days:
        found.append(
            {
                "name": "renewal_window",
                "factor": doc.renewal_window.factor,
                "reason": f"renewal is {days} days away (within {doc.renewal_window.within_days})",
            }
        )
    age = account.health_age_days(now)
    fresh = age is not None and age <= policy.document.health.freshness_days
    if account.health_score is not None and fresh:
        drop_limit = policy.document.health.drop_points
        why = None
        if account.health_score < doc.low_health.below:
            why = f"health score {account.health_score} is below {doc.low_health.below}"
        elif account.health_drop_points is not None and account.health_drop_points >= drop_limit:
            why = (
                f"health score fell {account.health_drop_points} points within "
                f"{policy.document.health.drop_within_days} days"
            )
        if why is not None:
            found.append({"name": "low_health", "factor": doc.low_health.factor, "reason": why})
    return found
