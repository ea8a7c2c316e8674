"""Escalation risk (T7): several weak signals together, never one alone."""

from __future__ import annotations

from dataclasses import replace

from fairlane.triage.risk import RiskSignals, escalation_risk

CALM = RiskSignals(
    attention=10,
    compound=0.2,
    first_compound=0.2,
    messages=1,
    arr=None,
    health_score=None,
    sla_fraction_used=0.0,
    reopenings=0,
    repeat_contacts=0,
)


def test_one_angry_message_alone_is_not_at_risk() -> None:
    furious = replace(CALM, attention=100, compound=-0.95)
    risk = escalation_risk(furious)
    assert risk.score <= 50
    assert not risk.is_at_risk
    assert risk.families == 1


def test_high_value_and_negative_and_sla_at_risk_together_are_at_risk() -> None:
    signals = replace(CALM, attention=80, compound=-0.7, arr=900_000, sla_fraction_used=1.1)
    risk = escalation_risk(signals)
    assert risk.is_at_risk
    assert risk.families == 3
    assert [family for family, _, _ in risk.contributions] == ["mood", "service", "value"]
    assert "ARR 900,000" in risk.contributions[2][2]


def test_a_souring_conversation_counts_more_than_a_steady_one() -> None:
    steady = replace(CALM, compound=-0.4, first_compound=-0.4, messages=3)
    souring = replace(CALM, compound=-0.4, first_compound=0.6, messages=3)
    assert escalation_risk(souring).score > escalation_risk(steady).score
    assert "down 1.00 since the first message" in escalation_risk(souring).contributions[0][2]


def test_reopenings_and_repeat_contacts_raise_the_risk() -> None:
    base = escalation_risk(CALM).score
    again = escalation_risk(replace(CALM, reopenings=1, repeat_contacts=2)).score
    assert again > base


def test_a_low_fresh_health_score_contributes_and_a_missing_one_does_not() -> None:
    low = escalation_risk(replace(CALM, health_score=20))
    assert any(f == "health" for f, _, _ in low.contributions)
    assert not any(f == "health" for f, _, _ in escalation_risk(CALM).contributions)


def test_the_threshold_is_the_policys() -> None:
    signals = replace(CALM, attention=90, compound=-0.8, arr=500_000)
    assert escalation_risk(signals, at_risk=40).is_at_risk
    assert not escalation_risk(signals, at_risk=95).is_at_risk


def test_scores_stay_between_0_and_100() -> None:
    extreme = replace(
        CALM,
        attention=100,
        compound=-1.0,
        first_compound=1.0,
        messages=9,
        arr=1e12,
        health_score=0,
        sla_fraction_used=9.0,
        reopenings=9,
        repeat_contacts=9,
    )
    assert 0 <= escalation_risk(extreme).score <= 100
    assert escalation_risk(replace(CALM, attention=0, compound=0.0)).score == 0
