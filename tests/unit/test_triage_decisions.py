"""How model readings and policy rules combine into the applied triage (T1, T2, T4, T6)."""

from __future__ import annotations

from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.decisions import decide_triage
from fairlane.triage.reading import ModelReading, TextReading
from fairlane.triage.sentiment import MessageSentiment
from fairlane.triage.shipped import seed_examples, shipped_model

CALM = MessageSentiment(0.0, "neutral", 0.0, ())


def _reading(
    urgency: str = "normal", u_conf: float = 0.9, intent: str = "how_to", i_conf: float = 0.9
) -> TextReading:
    return TextReading(
        intent=ModelReading("intent-model", intent, i_conf, ()),
        urgency=ModelReading("urgency-model", urgency, u_conf, ()),
        sentiment=CALM,
        attention=10,
        is_urgent=False,
    )


def test_a_confident_urgency_reading_sets_the_priority_when_no_rule_matched(
    policy: CompiledPolicy,
) -> None:
    triage = decide_triage("Hello", "The app is stuck again", policy, _reading("high", 0.82))
    assert (triage.priority.value, triage.source) == ("P2", "model")
    assert triage.confidence == 0.82
    assert triage.suggestions == ()


def test_urgency_read_from_the_body_raises_a_harmless_rule(policy: CompiledPolicy) -> None:
    """T2: a polite how-to subject hiding a critical problem. A model alone sets at most P2
    (``model_may_set``); its P1 reading waits for a person."""
    triage = decide_triage(
        "Quick question about exports",
        "all our stores stopped taking payments",
        policy,
        _reading("critical", 0.91),
    )
    assert (triage.priority.value, triage.source) == ("P2", "model")
    [held] = [s for s in triage.suggestions if s.field == "priority"]
    assert (held.value, held.applied) == ("P1", "P2")
    assert "the most urgent a model may set alone" in held.reason


def test_a_policy_may_let_the_model_set_p1(policy: CompiledPolicy) -> None:
    from fairlane.policy.loader import load_policy_text

    trusting = load_policy_text("triage:\n  model_may_set: P1\n")
    triage = decide_triage(
        "Quick question about exports", "all stores down", trusting, _reading("critical", 0.9)
    )
    assert (triage.priority.value, triage.source) == ("P1", "model")
    assert "more urgent than rule priority P4" in triage.reasons[0]
    assert not [s for s in triage.suggestions if s.field == "priority"]


def test_a_model_never_lowers_what_a_trigger_decided(policy: CompiledPolicy) -> None:
    triage = decide_triage("Outage", "production down", policy, _reading("low", 0.99))
    assert (triage.priority.value, triage.source) == ("P1", "trigger")


def test_a_normal_reading_does_not_move_a_how_to_question(policy: CompiledPolicy) -> None:
    triage = decide_triage("How do I add a user?", "", policy, _reading("normal", 0.95))
    assert (triage.priority.value, triage.source) == ("P4", "rule")


def test_an_unsure_reading_is_held_for_review_and_the_default_applies(
    policy: CompiledPolicy,
) -> None:
    triage = decide_triage("Hi", "something odd with the report", policy, _reading("high", 0.55))
    assert (triage.priority.value, triage.source) == ("P3", "default")
    [held] = [s for s in triage.suggestions if s.field == "priority"]
    assert (held.value, held.applied, held.confidence) == ("P2", "P3", 0.55)
    assert triage.needs_review


def test_an_unsure_intent_is_not_applied_but_suggested(policy: CompiledPolicy) -> None:
    triage = decide_triage("Hi", "hmm", policy, _reading(intent="billing", i_conf=0.4))
    assert triage.intent is None
    assert [(s.field, s.value) for s in triage.suggestions] == [("intent", "billing")]


def test_a_trigger_names_the_intent_over_the_model(policy: CompiledPolicy) -> None:
    triage = decide_triage(
        "Help", "we were hacked last night", policy, _reading(intent="login_sso", i_conf=0.9)
    )
    assert triage.intent == "security"
    assert any("trigger 'security' says so" in r for r in triage.reasons)


def test_without_a_reading_only_the_rules_decide(policy: CompiledPolicy) -> None:
    triage = decide_triage("Hi", "nothing special", policy)
    assert (triage.priority.value, triage.source, triage.intent) == ("P3", "default", None)


def test_the_shipped_models_were_trained_from_the_seeds_in_the_package() -> None:
    for name in ("intent", "urgency"):
        _, labels, digest = seed_examples(name)
        model = shipped_model(name)
        assert model.card.source is not None
        assert model.card.source["sha256"] == digest, "run `make models` and commit the result"
        assert set(model.labels) == set(labels)


def test_a_critical_reading_that_agrees_with_a_p1_trigger_needs_no_review(
    policy: CompiledPolicy,
) -> None:
    triage = decide_triage("Outage", "production down", policy, _reading("critical", 0.95))
    assert (triage.priority.value, triage.source) == ("P1", "trigger")
    assert [s for s in triage.suggestions if s.field == "priority"] == []


def test_a_critical_reading_over_a_p2_trigger_is_held_for_review(policy: CompiledPolicy) -> None:
    triage = decide_triage("Legal", "our lawyer will call", policy, _reading("critical", 0.95))
    assert (triage.priority.value, triage.source) == ("P2", "trigger")
    [held] = [s for s in triage.suggestions if s.field == "priority"]
    assert (held.value, held.applied) == ("P1", "P2")
