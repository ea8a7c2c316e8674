"""Ticket intake end to end through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from fairlane.bootstrap import Application
from fairlane.errors import Conflict, ValidationFailed
from fairlane.services.accounts import upsert_accounts
from fairlane.services.intake import accept_ticket, accept_tickets
from fairlane.services.schemas import AccountIn, TicketIn
from fairlane.services.tickets import get_ticket, list_queue, ticket_audit
from tests.conftest import account_data, ticket_data


def _accounts(app: Application, *records: dict[str, object]) -> None:
    upsert_accounts(
        [AccountIn.model_validate(r) for r in records],
        uow=app.uow,
        clock=app.clock,
        policy=app.policy,
        actor="test",
    )


def _accept(app: Application, **overrides: object) -> str:
    outcome = accept_ticket(
        TicketIn.model_validate(ticket_data(**overrides)),
        uow=app.uow,
        policy=app.policy,
        clock=app.clock,
    )
    assert outcome.ticket_id is not None
    return outcome.ticket_id


def test_accepted_ticket_carries_every_decision_and_its_audit_trail(app: Application) -> None:
    _accounts(app, account_data(arr="400000"))
    ticket_id = _accept(
        app,
        subject="Quick question",
        body="Sorry to bother you, but production is down for everyone since 8am.",
    )
    ticket = get_ticket(ticket_id, uow=app.uow)
    assert ticket["priority"] == "P1"
    assert ticket["lane"] == "vip"
    assert ticket["account_id"] == "acme"
    assert ticket["is_escalation_required"] is True
    assert ticket["policy_ref"] == app.policy.ref
    assert ticket["decisions"]["vip"]["matched"] == ["high-arr"]
    actions = [entry["action"] for entry in ticket_audit(ticket_id, uow=app.uow)]
    assert actions == [
        "ticket.accepted",
        "priority.decided",
        "vip.evaluated",
        "lane.decided",
        "sla.targets_set",
    ]
    assert all(e["policy_ref"] == app.policy.ref for e in ticket_audit(ticket_id, uow=app.uow))


def test_retried_ticket_returns_the_same_ticket_and_writes_nothing_new(app: Application) -> None:
    first = _accept(app)
    second = accept_ticket(
        TicketIn.model_validate(ticket_data()), uow=app.uow, policy=app.policy, clock=app.clock
    )
    assert second.ticket_id == first
    assert second.is_new is False
    assert len(ticket_audit(first, uow=app.uow)) == 5
    assert len(list_queue(uow=app.uow, policy=app.policy, team=None, limit=10)) == 1


def test_same_external_id_with_different_content_is_a_conflict(app: Application) -> None:
    _accept(app)
    with pytest.raises(Conflict, match="external_id"):
        _accept(app, body="A completely different question")
    assert len(list_queue(uow=app.uow, policy=app.policy, team=None, limit=10)) == 1


def test_duplicates_inside_one_batch_become_one_ticket(app: Application) -> None:
    tickets = [TicketIn.model_validate(ticket_data()) for _ in range(3)]
    outcomes = accept_tickets(tickets, uow=app.uow, policy=app.policy, clock=app.clock)
    assert [o.is_new for o in outcomes] == [True, False, False]
    assert len(list_queue(uow=app.uow, policy=app.policy, team=None, limit=10)) == 1


def test_ticket_from_unknown_requester_is_accepted_in_the_standard_lane(app: Application) -> None:
    ticket_id = _accept(app, requester_email="someone@gmail.com")
    ticket = get_ticket(ticket_id, uow=app.uow)
    assert ticket["account_id"] is None
    assert ticket["lane"] == "standard"
    assert "account unknown" in ticket["decisions"]["account"]["reason"]


def test_requester_on_a_subdomain_matches_the_parent_domain(app: Application) -> None:
    _accounts(app, account_data())
    ticket = get_ticket(_accept(app, requester_email="ops@eu.mail.acme.example"), uow=app.uow)
    assert ticket["account_id"] == "acme"
    assert ticket["decisions"]["account"]["matched_by"] == "domain"


def test_client_id_wins_over_email_domain(app: Application) -> None:
    _accounts(
        app,
        account_data(),
        account_data(id="globex", name="Globex", email_domains=[], client_ids=["CL-9"]),
    )
    ticket = get_ticket(_accept(app, requester_client_id="CL-9"), uow=app.uow)
    assert ticket["account_id"] == "globex"


def test_instants_are_read_back_as_the_same_aware_utc_instants(app: Application) -> None:
    ticket_id = _accept(app, created_at="2026-11-23T09:00:00-05:00")
    ticket = get_ticket(ticket_id, uow=app.uow)
    assert ticket["created_at"] == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    assert ticket["created_at"].tzinfo is not None
    assert ticket["received_at"] == app.clock.now()


def test_standard_critical_ticket_is_queued_before_a_vip_minor_request(app: Application) -> None:
    _accounts(
        app,
        account_data(arr="900000"),
        account_data(id="small", name="Small Co", arr="1000", email_domains=["small.example"]),
    )
    vip_minor = _accept(app, external_id="1", body="How do I change my avatar?")
    standard_critical = _accept(
        app,
        external_id="2",
        requester_email="it@small.example",
        body="Our site is down, customers cannot check out.",
        created_at="2026-11-23T14:05:00Z",
    )
    order = [row["id"] for row in list_queue(uow=app.uow, policy=app.policy, team=None, limit=10)]
    assert order == [standard_critical, vip_minor]


def test_ticket_for_an_unknown_team_is_rejected_naming_the_field(app: Application) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _accept(app, team="suport-emea")
    assert caught.value.problems[0].path == "team"
    assert caught.value.problems[0].suggestion == "did you mean 'support-emea'?"


def test_ticket_dated_in_the_future_is_rejected(app: Application) -> None:
    future = (app.clock.now() + timedelta(hours=2)).isoformat()
    with pytest.raises(ValidationFailed, match="not accepted"):
        _accept(app, created_at=future)


def test_audit_entries_cannot_be_changed_or_deleted(app: Application) -> None:
    _accept(app)
    for statement in ("UPDATE audit_entries SET actor = 'mallory'", "DELETE FROM audit_entries"):
        with pytest.raises(Exception, match="append-only"), app.engine.begin() as connection:
            connection.execute(text(statement))


def test_renewal_within_thirty_days_tightens_the_targets(app: Application) -> None:
    _accounts(app, account_data(renewal_on="2026-12-10", arr="20000"))
    ticket = get_ticket(_accept(app), uow=app.uow)
    sla = ticket["decisions"]["sla"]
    assert sla["modifiers"][0]["name"] == "renewal_window"
    assert sla["first_response_seconds"] == 3 * 3600  # 4 h x 0.75


def test_two_writers_racing_on_one_ticket_store_it_once(app: Application) -> None:
    """The loser of the race sees the unique constraint, retries, and gets the stored ticket."""
    import threading

    ticket = TicketIn.model_validate(ticket_data())
    barrier = threading.Barrier(4)
    results: list[str | None] = []

    def post() -> None:
        barrier.wait()
        results.append(
            accept_ticket(ticket, uow=app.uow, policy=app.policy, clock=app.clock).ticket_id
        )

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1
    assert len(list_queue(uow=app.uow, policy=app.policy, team=None, limit=10)) == 1


def test_a_vip_lane_decision_is_announced_on_the_outbox(app: Application) -> None:
    from sqlalchemy import select

    from fairlane.adapters.db import tables as t

    _accounts(app, account_data(arr="400000"))
    ticket_id = _accept(app)
    with app.engine.connect() as connection:
        events = (
            connection.execute(
                select(t.outbox.c.event_type).where(t.outbox.c.subject_id == ticket_id)
            )
            .scalars()
            .all()
        )
    assert sorted(events) == ["ticket.created", "vip.decided"]
