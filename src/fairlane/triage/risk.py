"""Escalation risk per ticket (T7): many weak signals, none enough alone.

The score (0-100) combines four families of signals, each capped so that no single family
can make a ticket "at risk" by itself (one angry message is not an escalation):

=============  ===================================================================  ======
family         signals (each 0-1)                                                   cap
=============  ===================================================================  ======
mood           0.6 x attention/100 of the latest customer message, 0.3 x its         0.70
               negativity, 0.5 x the drop in sentiment since the first message
value          0.45 x account value: log10(ARR) scaled so 1,000 is 0 and 1,000,000   0.45
               is 1
health         0.45 x (60 - fresh health score) / 60, when the score is under 60     0.45
service        0.8 x SLA time used beyond half of the most-used running clock,       0.80
               0.25 per reopening, 0.15 per other ticket from the same requester
               in 30 days
=============  ===================================================================  ======

``score = 100 * (1 - exp(-sum of family contributions))``; a ticket is **at risk** when the
score reaches the threshold (policy ``triage.escalation_risk_at``, default 60) **and** at
least two families contribute 0.1 or more. With the caps, the mood family alone reaches at
most 50. Every contribution is returned with a sentence, strongest first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = [
    "POSITIVE",
    "RISK_FEATURES",
    "RiskScore",
    "RiskSignals",
    "escalation_risk",
    "model_risk",
    "positive_label",
]

# A team's own escalation model (``fairlane model train --target escalation``) may read these
# numeric columns, named as here; its positive label is one of POSITIVE.
RISK_FEATURES = (
    "attention",
    "compound",
    "first_compound",
    "messages",
    "arr",
    "health_score",
    "sla_fraction_used",
    "reopenings",
    "repeat_contacts",
)
POSITIVE = ("true", "yes", "1", "escalated")

_CAPS = {"mood": 0.70, "value": 0.45, "health": 0.45, "service": 0.80}
_FAMILY_MIN = 0.1


@dataclass(frozen=True, slots=True)
class RiskSignals:
    attention: int  # 0-100, latest customer message (intake text at first)
    compound: float  # sentiment of the latest customer message, -1..1
    first_compound: float  # sentiment of the first message
    messages: int  # customer messages so far, the intake text included
    arr: float | None  # annual recurring revenue, in the account's currency units
    health_score: int | None  # only a fresh score; None when stale or unknown
    sla_fraction_used: float  # the most-used running clock: 1.0 = at its target
    reopenings: int
    repeat_contacts: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "attention": self.attention,
            "compound": round(self.compound, 4),
            "first_compound": round(self.first_compound, 4),
            "messages": self.messages,
            "arr": self.arr,
            "health_score": self.health_score,
            "sla_fraction_used": round(self.sla_fraction_used, 4),
            "reopenings": self.reopenings,
            "repeat_contacts": self.repeat_contacts,
        }


@dataclass(frozen=True, slots=True)
class RiskScore:
    score: int
    is_at_risk: bool
    contributions: tuple[tuple[str, float, str], ...]  # (family, contribution, why)
    families: int  # families contributing at least 0.1

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "is_at_risk": self.is_at_risk,
            "families": self.families,
            "contributions": [
                {"family": f, "points": round(c, 3), "why": why} for f, c, why in self.contributions
            ],
        }


def escalation_risk(signals: RiskSignals, *, at_risk: int = 60) -> RiskScore:
    parts: list[tuple[str, float, str]] = []
    negativity = max(0.0, -signals.compound)
    drop = max(0.0, signals.first_compound - signals.compound) / 2 if signals.messages > 1 else 0.0
    mood = 0.6 * signals.attention / 100 + 0.3 * negativity + 0.5 * drop
    why = [f"attention {signals.attention}"]
    if negativity:
        why.append(f"sentiment {signals.compound:+.2f}")
    if drop:
        why.append(f"down {signals.first_compound - signals.compound:.2f} since the first message")
    parts.append(("mood", mood, ", ".join(why)))
    if signals.arr is not None and signals.arr > 1_000:
        value = min(1.0, (math.log10(signals.arr) - 3) / 3)
        parts.append(("value", 0.45 * value, f"ARR {signals.arr:,.0f}"))
    if signals.health_score is not None and signals.health_score < 60:
        health = (60 - signals.health_score) / 60
        parts.append(("health", 0.45 * health, f"health score {signals.health_score}"))
    service = 0.8 * max(0.0, signals.sla_fraction_used - 0.5)
    service += 0.25 * signals.reopenings + 0.15 * signals.repeat_contacts
    if service:
        bits = []
        if signals.sla_fraction_used > 0.5:
            bits.append(f"{signals.sla_fraction_used:.0%} of the SLA time used")
        if signals.reopenings:
            bits.append(f"reopened {signals.reopenings}x")
        if signals.repeat_contacts:
            bits.append(f"{signals.repeat_contacts} other ticket(s) from the requester in 30 days")
        parts.append(("service", service, ", ".join(bits)))
    capped = [(family, min(points, _CAPS[family]), why) for family, points, why in parts]
    capped = [p for p in capped if p[1] > 0]
    capped.sort(key=lambda p: -p[1])
    total = sum(points for _, points, _ in capped)
    score = round(100 * (1 - math.exp(-total)))
    families = sum(points >= _FAMILY_MIN for _, points, _ in capped)
    return RiskScore(score, score >= at_risk and families >= 2, tuple(capped), families)


def positive_label(labels: tuple[str, ...]) -> str | None:
    return next((label for label in labels if label.casefold() in POSITIVE), None)


def model_risk(model: Any, text: str, signals: RiskSignals, *, at_risk: int = 60) -> RiskScore:
    """The risk a team's trained escalation model gives (``model``: a TextModel with target
    ``escalation``): 100 x its calibrated probability of the positive label, at risk from
    ``at_risk``. Its contributions are what moved the positive score: the text, and each
    numeric signal it reads (coefficient x standardised value), strongest first. A missing
    health score counts as 100 and a missing ARR as 0 for the model."""
    values = signals.as_dict()
    numeric = {
        name: float(
            values[name] if values[name] is not None else (100 if name == "health_score" else 0)
        )
        for name in model.numeric_columns
    }
    label = positive_label(model.labels)
    assert label is not None  # checked when the policy was compiled
    probabilities = model.predict_proba([text], numeric={k: [v] for k, v in numeric.items()})[0]
    score = round(100 * float(probabilities[model.labels.index(label)]))
    parts = model.contributions(text, label=label, numeric=numeric)
    contributions = tuple(
        sorted(
            (
                (
                    name,
                    round(points, 3),
                    f"{name} {numeric[name]:g}" if name in numeric else "the text",
                )
                for name, points in parts.items()
                if abs(points) >= 0.01
            ),
            key=lambda p: -p[1],
        )
    )
    families = sum(points >= 0.1 for _, points, _ in contributions)
    return RiskScore(score, score >= at_risk, contributions, families)
