"""The review lane for low-confidence triage (T6) and the override record (T9), on both
databases. The models are replaced by a reader that always reads the same unsure answer
(intent billing at 0.55, urgency high at 0.60), so every ticket gets both suggestions."""

from __future__ import annotations

import pytest

from fairlane.bootstrap import Application
from fairlane.errors import Conflict, ValidationFailed
from fairlane.services.events import sla_report
from fairlane.services.reviews import accept_review, correct_review, list_reviews, review_stats
from fairlane.services.tickets import get_ticket, ticket_audit, triage_report
from tests.conftest import new_ticket as _ticket


def _pending(app: Application, ticket_id: str, field: str) -> dict[str, object]:
    rows = list_reviews(uow=app.uow, ticket_id=ticket_id, limit=10)
    return next(r for r in rows if r["field"] == field)


def test_an_unsure_intent_waits_for_review_instead_of_being_applied(
    unsure_app: Application,
) -> None:
    ticket_id = _ticket(unsure_app, body="Something is off with the numbers on our invoice")
    ticket = get_ticket(ticket_id, uow=unsure_app.uow)
    assert ticket["intent"] is None
    assert ticket["needs_review"] is True
    review = _pending(unsure_app, ticket_id, "intent")
    assert (review["status"], review["suggested"], review["confidence"]) == (
        "pending",
        "billing",
        0.55,
    )
    assert ticket["priority"] == "P3"  # the default stays while P2 waits for a person
    assert _pending(unsure_app, ticket_id, "priority")["suggested"] == "P2"
    actions = [e["action"] for e in ticket_audit(ticket_id, uow=unsure_app.uow)]
    assert "triage.review_requested" not in actions  # audited with priority.decided
    decided = next(
        e for e in ticket_audit(ticket_id, uow=unsure_app.uow) if e["action"] == "priority.decided"
    )
    assert ["intent", "billing", 0.55] in decided["outcome"]["held_for_review"]


def test_accepting_applies_the_suggestion_and_clears_the_flag(unsure_app: Application) -> None:
    ticket_id = _ticket(unsure_app, body="Something is off with the numbers on our invoice")
    for review in list_reviews(uow=unsure_app.uow, ticket_id=ticket_id, limit=10):
        decided = accept_review(
            int(review["id"]),
            uow=unsure_app.uow,
            policy=unsure_app.policy,
            clock=unsure_app.clock,
            actor="sam@support.example",
        )
        assert decided["status"] == "accepted"
    ticket = get_ticket(ticket_id, uow=unsure_app.uow)
    assert ticket["intent"] == _reviewed(unsure_app, ticket_id, "intent")["suggested"]
    assert ticket["needs_review"] is False
    entry = next(
        e
        for e in ticket_audit(ticket_id, uow=unsure_app.uow)
        if e["action"] == "triage.review_accepted"
    )
    assert entry["actor"] == "sam@support.example"


def _reviewed(app: Application, ticket_id: str, field: str) -> dict[str, object]:
    rows = list_reviews(uow=app.uow, status=None, ticket_id=ticket_id, limit=10)
    return next(r for r in rows if r["field"] == field)


def test_a_corrected_priority_is_applied_audited_and_re_decides_the_sla(
    unsure_app: Application,
) -> None:
    ticket_id = _ticket(unsure_app, body="The report page shows an odd total since the update")
    review = _pending(unsure_app, ticket_id, "priority")
    before = {
        c["kind"]: c["target_seconds"]
        for c in sla_report(
            ticket_id, uow=unsure_app.uow, policy=unsure_app.policy, clock=unsure_app.clock
        )["clocks"]
    }
    decided = correct_review(
        int(review["id"]),
        "p1",
        uow=unsure_app.uow,
        policy=unsure_app.policy,
        clock=unsure_app.clock,
        actor="lead@support.example",
        note="whole finance team blocked",
    )
    assert (decided["status"], decided["final"]) == ("corrected", "P1")
    ticket = get_ticket(ticket_id, uow=unsure_app.uow)
    assert ticket["priority"] == "P1"
    after = {
        c["kind"]: c["target_seconds"]
        for c in sla_report(
            ticket_id, uow=unsure_app.uow, policy=unsure_app.policy, clock=unsure_app.clock
        )["clocks"]
    }
    assert after["first_response"] < before["first_response"]
    audit = ticket_audit(ticket_id, uow=unsure_app.uow)
    override = next(e for e in audit if e["action"] == "triage.overridden")
    assert override["inputs"]["suggested"] == review["suggested"]
    assert override["outcome"]["final"] == "P1"
    assert "whole finance team blocked" in override["reasons"]
    assert any(e["action"] == "sla.targets_changed" for e in audit)


def test_the_override_rate_counts_corrections_among_decided_reviews(
    unsure_app: Application,
) -> None:
    first = _ticket(unsure_app, external_id="a", body="Something is off with our invoice")
    second = _ticket(unsure_app, external_id="b", body="Something is off with our invoice")
    kwargs = {
        "uow": unsure_app.uow,
        "policy": unsure_app.policy,
        "clock": unsure_app.clock,
        "actor": "x",
    }
    accept_review(int(_pending(unsure_app, first, "intent")["id"]), **kwargs)
    correct_review(int(_pending(unsure_app, second, "intent")["id"]), "refund", **kwargs)
    stats = review_stats(uow=unsure_app.uow)
    assert (stats.accepted, stats.corrected) == (1, 1)
    assert stats.override_rate == 0.5
    assert stats.by_field["intent"]["corrected"] == 1


def test_a_decided_review_cannot_be_decided_again(unsure_app: Application) -> None:
    ticket_id = _ticket(unsure_app, body="Something is off with our invoice")
    review_id = int(_pending(unsure_app, ticket_id, "intent")["id"])
    kwargs = {
        "uow": unsure_app.uow,
        "policy": unsure_app.policy,
        "clock": unsure_app.clock,
        "actor": "x",
    }
    accept_review(review_id, **kwargs)
    with pytest.raises(Conflict, match="already accepted by x"):
        correct_review(review_id, "billing", **kwargs)


def test_a_correction_to_an_unknown_value_is_refused_with_a_suggestion(
    unsure_app: Application,
) -> None:
    ticket_id = _ticket(unsure_app, body="Something is off with our invoice")
    review_id = int(_pending(unsure_app, ticket_id, "intent")["id"])
    with pytest.raises(ValidationFailed) as caught:
        correct_review(
            review_id,
            "biling",
            uow=unsure_app.uow,
            policy=unsure_app.policy,
            clock=unsure_app.clock,
            actor="x",
        )
    assert caught.value.problems[0].suggestion == "did you mean 'billing'?"
    assert _pending(unsure_app, ticket_id, "intent")["status"] == "pending"


def test_triage_report_shows_every_signal_and_model_output(app: Application) -> None:
    ticket_id = _ticket(
        app, subject="URGENT", body="Third time asking!! We were hacked and nobody answers."
    )
    report = triage_report(ticket_id, uow=app.uow, policy=app.policy, clock=app.clock)
    assert report["priority"] == "P1"
    assert report["priority_source"] == "trigger"
    assert report["intent"] == "security"
    assert {h["name"] for h in report["hits"]} >= {"security", "business-blocked"}
    models = report["models"]
    assert set(models) == {"intent", "urgency", "sentiment", "attention", "is_urgent"}
    assert models["sentiment"]["frustration"] > 0.5
    assert 0 <= report["attention"] <= 100
