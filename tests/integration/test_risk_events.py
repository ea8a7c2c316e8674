"""Escalation risk and the sentiment trajectory, re-scored on every interaction (T3, T7)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fairlane.bootstrap import Application
from fairlane.services.accounts import upsert_accounts
from fairlane.services.events import TicketEventIn, record_event
from fairlane.services.schemas import AccountIn
from fairlane.services.tickets import get_ticket, ticket_audit, triage_report
from tests.conftest import account_data
from tests.conftest import new_ticket as _ticket


def _event(app: Application, ticket_id: str, **fields: Any) -> None:
    record_event(
        ticket_id,
        TicketEventIn.model_validate(fields),
        uow=app.uow,
        policy=app.policy,
        clock=app.clock,
        actor="test",
    )


def _report(app: Application, ticket_id: str) -> dict[str, Any]:
    return triage_report(ticket_id, uow=app.uow, policy=app.policy, clock=app.clock)


def _big_account(app: Application) -> None:
    upsert_accounts(
        [AccountIn.model_validate(account_data(arr="900000"))],
        uow=app.uow,
        clock=app.clock,
        policy=app.policy,
        actor="test",
    )


def test_every_new_ticket_gets_a_risk_score_with_its_reasons(app: Application) -> None:
    ticket_id = _ticket(app)
    ticket = get_ticket(ticket_id, uow=app.uow)
    assert 0 <= ticket["escalation_risk"] <= 100
    risk = ticket["decisions"]["risk"]
    assert risk["score"] == ticket["escalation_risk"]
    assert risk["signals"]["messages"] == 1
    assert all(c["why"] for c in risk["contributions"])


def test_an_angrier_customer_message_raises_the_risk_and_is_audited(app: Application) -> None:
    _big_account(app)
    ticket_id = _ticket(app, body="Hi, a quick question about exports, thanks!")
    before = get_ticket(ticket_id, uow=app.uow)["escalation_risk"]
    app.clock.advance(timedelta(hours=3))
    _event(
        app,
        ticket_id,
        kind="customer_message",
        body="Third time asking!! STILL nothing works and nobody answers. This is unacceptable.",
    )
    after = get_ticket(ticket_id, uow=app.uow)
    assert after["escalation_risk"] > before
    report = _report(app, ticket_id)
    trajectory = report["sentiment_trajectory"]
    assert [p["source"] for p in trajectory] == ["ticket", "customer_message"]
    assert trajectory[1]["compound"] < trajectory[0]["compound"]
    assert trajectory[1]["frustration"] > 0.5
    families = {c["family"] for c in report["escalation_risk"]["contributions"]}
    assert {"mood", "value"} <= families
    rescored = [e for e in ticket_audit(ticket_id, uow=app.uow) if e["action"] == "triage.rescored"]
    assert rescored[-1]["outcome"]["before"] == before
    assert rescored[-1]["inputs"]["signals"]["messages"] == 2


def test_a_reopened_ticket_counts_its_reopening(app: Application) -> None:
    ticket_id = _ticket(app)
    _event(app, ticket_id, kind="status_changed", status="solved")
    app.clock.advance(timedelta(hours=1))
    _event(app, ticket_id, kind="status_changed", status="open")
    signals = _report(app, ticket_id)["escalation_risk"]["signals"]
    assert signals["reopenings"] == 1


def test_repeat_contacts_from_the_same_requester_are_counted(app: Application) -> None:
    _ticket(app, external_id="1")
    _ticket(app, external_id="2")
    third = _ticket(app, external_id="3")
    assert get_ticket(third, uow=app.uow)["decisions"]["risk"]["signals"]["repeat_contacts"] == 2
    assert _report(app, third)["escalation_risk"]["signals"]["repeat_contacts"] == 2


def test_a_customer_message_body_with_a_nul_character_is_refused() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        TicketEventIn.model_validate({"kind": "customer_message", "body": "bad\x00text"})


def test_an_event_that_moves_nothing_writes_no_rescoring(app: Application) -> None:
    ticket_id = _ticket(app)
    _event(app, ticket_id, kind="customer_message", body="Thanks, that works now!")
    count = len(
        [e for e in ticket_audit(ticket_id, uow=app.uow) if e["action"] == "triage.rescored"]
    )
    _event(app, ticket_id, kind="agent_reply")
    again = [e for e in ticket_audit(ticket_id, uow=app.uow) if e["action"] == "triage.rescored"]
    assert len(again) == count
