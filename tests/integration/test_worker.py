"""The clock worker fires each warning and breach exactly once (S5, S6), on both databases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from fairlane.adapters.db import tables as t
from fairlane.bootstrap import Application
from fairlane.services.events import TicketEventIn, record_event
from fairlane.services.tickets import ticket_audit
from fairlane.services.worker import next_wake_at, run_due
from tests.conftest import new_ticket as _ticket


def _actions(app: Application, ticket_id: str) -> list[tuple[str, str]]:
    return [
        (e["action"], e["outcome"].get("clock", ""))
        for e in ticket_audit(ticket_id, uow=app.uow)
        if e["action"] in ("sla.warning", "sla.breached")
    ]


def test_warning_fires_at_75_percent_of_the_clock_and_only_once(app: Application) -> None:
    ticket_id = _ticket(app)  # standard P4: first response 4 h of business time
    app.clock.advance(timedelta(hours=2, minutes=59))
    assert run_due(uow=app.uow, policy=app.policy, clock=app.clock).warnings == 0
    app.clock.advance(timedelta(minutes=1))
    assert run_due(uow=app.uow, policy=app.policy, clock=app.clock).warnings == 1
    assert run_due(uow=app.uow, policy=app.policy, clock=app.clock).warnings == 0
    assert _actions(app, ticket_id) == [("sla.warning", "first_response")]


def test_breach_is_stamped_with_the_instant_it_was_due(app: Application) -> None:
    ticket_id = _ticket(app)
    app.clock.advance(timedelta(days=8))  # noticed long after both were due
    result = run_due(uow=app.uow, policy=app.policy, clock=app.clock)
    assert result.breaches == 2  # first response and resolution
    breach = next(
        e
        for e in ticket_audit(ticket_id, uow=app.uow)
        if e["action"] == "sla.breached" and e["outcome"]["clock"] == "first_response"
    )
    assert breach["occurred_at"].isoformat() == breach["outcome"]["due_at"]
    assert breach["inputs"]["noticed_at"] == app.clock.now().isoformat()
    with app.engine.connect() as connection:
        events = connection.scalar(
            select(func.count()).where(t.outbox.c.event_type == "sla.breached")
        )
    assert events == 2


def test_paused_and_met_clocks_fire_nothing(app: Application) -> None:
    paused = _ticket(app, external_id="p")
    answered = _ticket(app, external_id="a")
    for ticket_id, fields in (
        (paused, {"kind": "status_changed", "status": "waiting_on_customer"}),
        (answered, {"kind": "status_changed", "status": "solved"}),
    ):
        record_event(
            ticket_id,
            TicketEventIn.model_validate(fields),
            uow=app.uow,
            policy=app.policy,
            clock=app.clock,
            actor="test",
        )
    app.clock.advance(timedelta(days=5))
    result = run_due(uow=app.uow, policy=app.policy, clock=app.clock)
    assert (result.warnings, result.breaches) == (0, 0)


def test_the_next_wake_up_is_the_earliest_pending_action(app: Application) -> None:
    assert next_wake_at(uow=app.uow) is None
    _ticket(app)
    wake = next_wake_at(uow=app.uow)
    assert wake == app.clock.now() + timedelta(hours=3)  # 75% of 4 business hours, Monday 09:00


def test_a_late_reply_still_records_the_breach_the_worker_had_not_noticed(app: Application) -> None:
    ticket_id = _ticket(app)
    app.clock.advance(timedelta(hours=5))  # first response (4 h) passed unnoticed: no worker ran
    record_event(
        ticket_id,
        TicketEventIn(kind="agent_reply"),
        uow=app.uow,
        policy=app.policy,
        clock=app.clock,
        actor="test",
    )
    assert ("sla.breached", "first_response") in _actions(app, ticket_id)
    run_due(uow=app.uow, policy=app.policy, clock=app.clock)
    assert _actions(app, ticket_id).count(("sla.breached", "first_response")) == 1


def test_capped_first_response_warns_no_later_than_it_breaches(app: Application) -> None:
    friday_evening = app.clock.now() + timedelta(days=4, hours=9)  # Friday 18:00 New York
    app.clock.set(friday_evening)
    ticket_id = _ticket(app, created_at=friday_evening.isoformat())
    with app.uow() as store:
        first = next(c for c in store.clocks_for(ticket_id) if c["kind"] == "first_response")
    assert first["warning_at"] <= first["due_at"]
