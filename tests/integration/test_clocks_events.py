"""Ticket events move the SLA clocks (S4, S7), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fairlane.bootstrap import Application
from fairlane.errors import NotFound, ValidationFailed
from fairlane.services.events import TicketEventIn, record_event, sla_report
from fairlane.services.tickets import ticket_audit
from tests.conftest import new_ticket as _ticket


def _event(app: Application, ticket_id: str, **fields: Any) -> Any:
    return record_event(
        ticket_id,
        TicketEventIn.model_validate(fields),
        uow=app.uow,
        policy=app.policy,
        clock=app.clock,
        actor="test",
    )


def _clocks(app: Application, ticket_id: str) -> dict[str, dict[str, Any]]:
    report = sla_report(ticket_id, uow=app.uow, policy=app.policy, clock=app.clock)
    return {c["kind"]: c for c in report["clocks"]}


def test_new_ticket_runs_first_response_and_resolution_clocks(app: Application) -> None:
    clocks = _clocks(app, _ticket(app))
    assert set(clocks) == {"first_response", "resolution"}
    assert clocks["first_response"]["state"] == "running"
    assert clocks["first_response"]["target"] == "4h"
    assert "standard lane x P4" in clocks["first_response"]["why"]


def test_agent_reply_meets_first_response_and_promises_the_next_update(app: Application) -> None:
    ticket_id = _ticket(app)
    app.clock.advance(timedelta(minutes=20))
    _event(app, ticket_id, kind="agent_reply")
    clocks = _clocks(app, ticket_id)
    assert clocks["first_response"]["state"] == "met"
    assert clocks["first_response"]["elapsed_seconds"] == 20 * 60
    assert clocks["next_update"]["state"] == "running"
    assert clocks["next_update"]["target"] == "24h"  # the policy's interval for P4


def test_promised_update_time_is_tracked_exactly(app: Application) -> None:
    ticket_id = _ticket(app)
    promise = app.clock.now() + timedelta(hours=3)
    _event(app, ticket_id, kind="agent_reply", next_update_at=promise.isoformat())
    assert _clocks(app, ticket_id)["next_update"]["due_at"] == promise


def test_waiting_on_customer_pauses_and_the_customer_reply_resumes(app: Application) -> None:
    ticket_id = _ticket(app)
    app.clock.advance(timedelta(hours=1))
    _event(app, ticket_id, kind="status_changed", status="waiting_on_customer")
    app.clock.advance(timedelta(hours=3))
    paused = _clocks(app, ticket_id)["resolution"]
    assert paused["state"] == "paused"
    assert paused["elapsed_seconds"] == 3600
    assert paused["paused_seconds"] == 3 * 3600
    outcome = _event(app, ticket_id, kind="customer_message")
    assert outcome.status == "open"
    clocks = _clocks(app, ticket_id)
    assert clocks["resolution"]["state"] == "running"
    assert clocks["next_update"]["target"] == "30m"  # acknowledge the customer (S7)


def test_paused_ticket_does_not_breach_while_waiting_on_customer(app: Application) -> None:
    ticket_id = _ticket(app)
    _event(app, ticket_id, kind="status_changed", status="waiting_on_customer")
    app.clock.advance(timedelta(days=10))
    clocks = _clocks(app, ticket_id)
    assert clocks["resolution"]["state"] == "paused"
    assert clocks["resolution"]["breached_by_seconds"] == 0


def test_unanswered_ticket_reports_how_far_it_breached(app: Application) -> None:
    ticket_id = _ticket(app)
    app.clock.advance(timedelta(hours=5))  # Monday 09:00-14:00 New York: 5 business hours
    first = _clocks(app, ticket_id)["first_response"]
    assert first["state"] == "breached"
    assert first["breached_by_seconds"] == 3600


def test_solving_meets_every_clock_and_is_audited(app: Application) -> None:
    ticket_id = _ticket(app)
    _event(app, ticket_id, kind="status_changed", status="solved")
    clocks = _clocks(app, ticket_id)
    assert {c["state"] for c in clocks.values()} == {"met"}
    actions = [e["action"] for e in ticket_audit(ticket_id, uow=app.uow)]
    assert actions.count("sla.clock_changed") == 2


def test_repeated_event_with_the_same_external_id_changes_nothing(app: Application) -> None:
    ticket_id = _ticket(app)
    first = _event(app, ticket_id, kind="agent_reply", external_id="c-1")
    app.clock.advance(timedelta(hours=1))
    again = _event(app, ticket_id, kind="agent_reply", external_id="c-1")
    assert first.is_new is True
    assert again.is_new is False
    assert [e["action"] for e in ticket_audit(ticket_id, uow=app.uow)].count(
        "sla.clock_changed"
    ) == 2


def test_event_for_an_unknown_ticket_is_not_found(app: Application) -> None:
    with pytest.raises(NotFound):
        _event(app, "tkt_missing", kind="agent_reply")


def test_event_before_the_ticket_existed_is_rejected(app: Application) -> None:
    ticket_id = _ticket(app)
    earlier = (app.clock.now() - timedelta(days=1)).isoformat()
    with pytest.raises(ValidationFailed, match="not recorded"):
        _event(app, ticket_id, kind="agent_reply", occurred_at=earlier)
