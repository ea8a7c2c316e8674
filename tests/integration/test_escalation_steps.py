"""Breach-driven escalation steps (S6), each fired once and audited, on both databases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fairlane.bootstrap import Application
from fairlane.services.events import TicketEventIn, record_event
from fairlane.services.tickets import get_ticket, ticket_audit
from fairlane.services.worker import run_due
from tests.conftest import new_ticket as _ticket

OUTAGE = "Our site is down for every customer."  # P1, standard lane: first response 1 h


def _run(app: Application) -> Any:
    return run_due(uow=app.uow, policy=app.policy, clock=app.clock)


def _steps(app: Application, ticket_id: str) -> list[str]:
    return [
        f"{e['action']}:{e['inputs'].get('step')}"
        for e in ticket_audit(ticket_id, uow=app.uow)
        if e["action"] in ("ticket.escalated", "ticket.flagged_for_review")
    ]


def _reply(app: Application, ticket_id: str) -> None:
    record_event(
        ticket_id,
        TicketEventIn(kind="agent_reply"),
        uow=app.uow,
        policy=app.policy,
        clock=app.clock,
        actor="test",
    )


def test_p1_breach_without_progress_escalates_after_30_minutes_once(app: Application) -> None:
    ticket_id = _ticket(app, body=OUTAGE)
    app.clock.advance(timedelta(hours=1))
    _run(app)  # first response breached at +1 h
    app.clock.advance(timedelta(minutes=29))
    _run(app)
    assert _steps(app, ticket_id) == []
    app.clock.advance(timedelta(minutes=1))
    _run(app)
    _run(app)
    assert _steps(app, ticket_id) == ["ticket.escalated:escalate"]
    assert get_ticket(ticket_id, uow=app.uow)["escalated_at"] is not None


def test_an_agent_reply_after_the_breach_cancels_the_escalation(app: Application) -> None:
    ticket_id = _ticket(app, body=OUTAGE)
    app.clock.advance(timedelta(hours=1))
    _run(app)
    app.clock.advance(timedelta(minutes=10))
    _reply(app, ticket_id)
    app.clock.advance(timedelta(hours=1))
    _run(app)
    assert "ticket.escalated:escalate" not in _steps(app, ticket_id)


def test_escalated_ticket_without_customer_update_for_4_hours_is_flagged(app: Application) -> None:
    ticket_id = _ticket(app, body=OUTAGE)
    app.clock.advance(timedelta(minutes=90))
    _run(app)  # breached at +1 h; escalation due at +1 h 30
    app.clock.advance(timedelta(minutes=1))
    _run(app)
    app.clock.advance(timedelta(hours=4))
    _run(app)
    assert _steps(app, ticket_id) == [
        "ticket.escalated:escalate",
        "ticket.flagged_for_review:review",
    ]


def test_tier_1_ticket_unresolved_after_24_business_hours_moves_to_tier_2(app: Application) -> None:
    ticket_id = _ticket(app)  # Monday 09:00 New York; 12 business hours a day
    app.clock.advance(timedelta(days=2))
    _run(app)
    assert get_ticket(ticket_id, uow=app.uow)["tier"] == 2
    assert "ticket.escalated:tier2" in _steps(app, ticket_id)


def test_solved_ticket_takes_no_more_steps(app: Application) -> None:
    ticket_id = _ticket(app, body=OUTAGE)
    record_event(
        ticket_id,
        TicketEventIn(kind="status_changed", status="solved"),
        uow=app.uow,
        policy=app.policy,
        clock=app.clock,
        actor="test",
    )
    app.clock.advance(timedelta(days=5))
    _run(app)
    assert _steps(app, ticket_id) == []
    assert get_ticket(ticket_id, uow=app.uow)["tier"] == 1


def test_a_ticket_is_flagged_for_review_only_once(app: Application) -> None:
    ticket_id = _ticket(app, body=OUTAGE)
    app.clock.advance(timedelta(minutes=91))
    _run(app)
    _run(app)
    app.clock.advance(timedelta(hours=4))
    _run(app)  # flagged
    _reply(app, ticket_id)
    app.clock.advance(timedelta(hours=5))
    _run(app)
    assert _steps(app, ticket_id).count("ticket.flagged_for_review:review") == 1
