"""The intake decisions as pure functions of their inputs and the policy."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from fairlane.domain.accounts import Account, Segment
from fairlane.domain.tickets import Lane, Priority
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.decisions import decide_lane, decide_sla, decide_triage, evaluate_vip

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # Monday 09:00 in New York


def account(**overrides: object) -> Account:
    base = Account(
        id="acme",
        name="Acme",
        segment=Segment.MID_MARKET,
        arr_cents=8_000_000,
        renewal_on=date(2027, 6, 1),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def test_polite_subject_hiding_an_outage_is_critical(policy: CompiledPolicy) -> None:
    result = decide_triage(
        "Quick question",
        "Hi! Sorry to bother, but production is down for all our stores since this morning.",
        policy,
    )
    assert result.priority is Priority.P1
    assert result.triggers[0].name == "outage"
    assert result.is_escalation_required


def test_misspelt_legal_threat_still_triggers(policy: CompiledPolicy) -> None:
    result = decide_triage("Invoice", "We will take legal acton and our lawyre is cc'd.", policy)
    assert result.priority is Priority.P2
    assert {h.name for h in result.triggers} == {"legal"}


def test_plain_how_to_question_is_low_priority(policy: CompiledPolicy) -> None:
    result = decide_triage("Exports", "How do I export my contacts to CSV?", policy)
    assert result.priority is Priority.P4
    assert not result.is_escalation_required


def test_text_matching_nothing_gets_the_policy_default_with_a_reason(
    policy: CompiledPolicy,
) -> None:
    result = decide_triage("Hello", "Thanks for the call yesterday.", policy)
    assert result.priority is Priority.P3
    assert "policy default" in result.reasons[0]


def test_vip_evaluation_names_the_criteria_and_the_facts_read(policy: CompiledPolicy) -> None:
    evaluation = evaluate_vip(account(arr_cents=30_000_000), policy, now=NOW)
    assert evaluation.is_eligible
    assert evaluation.matched == ("high-arr",)
    assert "arr = 300,000" in evaluation.reasons[0]
    assert evaluation.policy_ref == policy.ref


def test_stale_health_score_does_not_make_an_account_vip(policy: CompiledPolicy) -> None:
    old = account(health_score=20, health_scored_at=NOW - timedelta(days=90))
    fresh = account(health_score=20, health_scored_at=NOW - timedelta(days=2))
    assert not evaluate_vip(old, policy, now=NOW).is_eligible
    assert evaluate_vip(fresh, policy, now=NOW).matched == ("at-risk",)


def test_feature_request_from_a_vip_stays_in_the_standard_lane(policy: CompiledPolicy) -> None:
    vip = evaluate_vip(account(is_strategic=True), policy, now=NOW)
    triage = decide_triage(
        "Idea", "Feature request: it would be great if reports had dark mode.", policy
    )
    decision = decide_lane(vip, triage, policy)
    assert decision.lane is Lane.STANDARD
    assert "out of the VIP scope" in decision.reasons[0]


def test_friday_evening_standard_ticket_is_capped_at_24_elapsed_hours(
    policy: CompiledPolicy,
) -> None:
    friday_evening = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)  # 18:30 New York, after hours
    sla = decide_sla(
        lane=Lane.STANDARD,
        priority=Priority.P3,
        team="support-americas",
        account=None,
        started_at=friday_evening,
        policy=policy,
        now=friday_evening,
    )
    assert sla.first_response_due_at == friday_evening + timedelta(hours=24)
    assert any("capped at 24h" in reason for reason in sla.reasons)


def test_vip_first_response_runs_in_business_hours(policy: CompiledPolicy) -> None:
    friday_night = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)  # Friday 21:00 New York, closed
    sla = decide_sla(
        lane=Lane.VIP,
        priority=Priority.P3,
        team="support-americas",
        account=None,
        started_at=friday_night,
        policy=policy,
        now=friday_night,
    )
    # Monday 30 November 08:00 New York (13:00 UTC) + 30 minutes.
    assert sla.first_response_due_at == datetime(2026, 11, 30, 13, 30, tzinfo=UTC)


def test_thanksgiving_is_not_business_time_for_the_americas_team(policy: CompiledPolicy) -> None:
    wednesday_evening = datetime(2026, 11, 26, 0, 30, tzinfo=UTC)  # Wed 19:30 New York
    sla = decide_sla(
        lane=Lane.VIP,
        priority=Priority.P2,
        team="support-americas",
        account=None,
        started_at=wednesday_evening,
        policy=policy,
        now=wednesday_evening,
    )
    # 30 minutes remain on Wednesday; Thursday 26 Nov is Thanksgiving; Friday opens 08:00.
    assert sla.first_response_due_at == datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    assert sla.resolution_due_at.date() == date(2026, 11, 27)


def test_strongest_modifier_applies_without_compounding(policy: CompiledPolicy) -> None:
    risky = account(renewal_on=date(2026, 12, 1), health_score=10, health_scored_at=NOW)
    sla = decide_sla(
        lane=Lane.STANDARD,
        priority=Priority.P3,
        team="support",
        account=risky,
        started_at=NOW,
        policy=policy,
        now=NOW,
    )
    assert len(sla.modifiers) == 2
    assert sla.first_response_seconds == round(4 * 3600 * 0.75)


def test_everyday_words_near_trigger_words_do_not_escalate(policy: CompiledPolicy) -> None:
    calm = [
        "Our files are backed up and packed for the move.",
        "Please drive safely to the offsite, and bring the wipes.",
        "The count is wrong on the new layer of the report.",
        "The items are in stock; my broker mailed the form.",
        "We reached a compromise with the vendor.",
    ]
    for text in calm:
        result = decide_triage("Update", text, policy)
        assert not result.triggers, (text, [h.name for h in result.triggers])


def test_trigger_marked_not_to_escalate_sets_priority_only() -> None:
    from fairlane.policy.loader import load_policy_text

    policy = load_policy_text("triage:\n  hard_triggers:\n    refund-dispute: {escalate: false}\n")
    result = decide_triage("Billing", "I was double charged this month.", policy)
    assert result.priority is Priority.P2
    assert not result.is_escalation_required


def test_a_trigger_listed_out_of_vip_scope_keeps_the_ticket_standard() -> None:
    from fairlane.policy.loader import load_policy_text

    policy = load_policy_text("vip:\n  out_of_scope_signals: [refund-dispute]\n")
    vip = evaluate_vip(account(is_strategic=True), policy, now=NOW)
    refund = decide_triage("Billing", "I was double charged this month.", policy)
    outage = decide_triage("Billing", "Double charged, and the site is down.", policy)
    assert decide_lane(vip, refund, policy).lane is Lane.STANDARD
    assert decide_lane(vip, outage, policy).lane is Lane.VIP


def test_near_misses_of_outage_safety_and_legal_words_stay_calm(policy: CompiledPolicy) -> None:
    calm = [
        "Is the page down for maintenance tomorrow? The report is broken down by team.",
        "We are insured through our broker.",
        "The new law regulates how we store invoices.",
    ]
    for text in calm:
        assert not decide_triage("Question", text, policy).triggers, text
