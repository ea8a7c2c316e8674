"""The CRM lookup hook at intake (A2): fresh data when it answers, the stored record when not."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from fairlane.bootstrap import Application
from fairlane.services.accounts import upsert_accounts
from fairlane.services.intake import accept_ticket
from fairlane.services.schemas import AccountIn, TicketIn
from fairlane.services.tickets import get_ticket, ticket_audit
from tests.conftest import AppFactory, account_data, ticket_data

CRM_ACCOUNTS: dict[str, dict[str, Any]] = {}


def crm_hook(
    *, email: str | None, domain: str | None, client_id: str | None
) -> dict[str, Any] | None:
    """A CRM hook as a user would write one (loaded by FAIRLANE_CRM_LOOKUP='module:function')."""
    return CRM_ACCOUNTS.get(domain or "")


def broken_hook(
    *, email: str | None, domain: str | None, client_id: str | None
) -> dict[str, Any] | None:
    raise RuntimeError("CRM password expired")


class _Handler(BaseHTTPRequestHandler):
    delay_seconds = 0.0

    def do_GET(self) -> None:
        time.sleep(self.delay_seconds)
        domain = parse_qs(urlparse(self.path).query).get("domain", [""])[0]
        record = CRM_ACCOUNTS.get(domain)
        body = json.dumps(record).encode() if record else b'{"error": "no such account"}'
        self.send_response(200 if record else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (our timeout) breaks the pipe; that is the point of the test."""


@pytest.fixture
def crm_server() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"delay_seconds": 0.0})
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/accounts", handler
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _crm_records() -> Iterator[None]:
    CRM_ACCOUNTS.clear()
    CRM_ACCOUNTS["acme.example"] = account_data(arr="750000")
    yield
    CRM_ACCOUNTS.clear()


def _store_stale_acme(app: Application) -> None:
    upsert_accounts(
        [AccountIn.model_validate(account_data(arr="10000"))],
        uow=app.uow,
        clock=app.clock,
        policy=app.policy,
        actor="test",
    )


def _accept(app: Application) -> dict[str, Any]:
    outcome = accept_ticket(
        TicketIn.model_validate(ticket_data()),
        uow=app.uow,
        policy=app.policy,
        clock=app.clock,
        crm=app.crm,
    )
    assert outcome.ticket_id is not None
    return get_ticket(outcome.ticket_id, uow=app.uow)


def test_python_hook_refreshes_the_account_at_intake(make_app: AppFactory) -> None:
    app = make_app(crm_lookup="tests.integration.test_crm:crm_hook")
    _store_stale_acme(app)
    ticket = _accept(app)
    assert ticket["lane"] == "vip"  # ARR 750,000 from the CRM, not the stored 10,000
    assert ticket["decisions"]["account"]["matched_by"] == "crm"
    audit = [e["action"] for e in ticket_audit(ticket["id"], uow=app.uow)]
    assert "ticket.accepted" in audit


def test_a_crm_refresh_that_moves_the_renewal_retargets_the_accounts_open_tickets(
    make_app: AppFactory,
) -> None:
    app = make_app(crm_lookup="tests.integration.test_crm:crm_hook")
    CRM_ACCOUNTS["acme.example"] = account_data(arr="10000")  # renewal 2027-06-01, as stored
    _store_stale_acme(app)
    first = _accept(app)
    CRM_ACCOUNTS["acme.example"] = account_data(arr="10000", renewal_on="2026-12-10")
    outcome = accept_ticket(
        TicketIn.model_validate(ticket_data(external_id="1002")),
        uow=app.uow,
        policy=app.policy,
        clock=app.clock,
        crm=app.crm,
    )
    assert outcome.ticket_id is not None
    change = next(
        e for e in ticket_audit(first["id"], uow=app.uow) if e["action"] == "sla.targets_changed"
    )
    assert change["inputs"]["cause"] == "account changed: renewal_on"
    assert change["inputs"]["modifiers"][0]["name"] == "renewal_window"


def test_failing_hook_falls_back_to_the_stored_record_and_says_so(make_app: AppFactory) -> None:
    app = make_app(crm_lookup="tests.integration.test_crm:broken_hook")
    _store_stale_acme(app)
    ticket = _accept(app)
    assert ticket["account_id"] == "acme"
    assert ticket["lane"] == "standard"
    assert "CRM password expired" in ticket["decisions"]["account"]["reason"]
    assert "stored account record was used" in ticket["decisions"]["account"]["reason"]


def test_http_crm_answers_are_used(
    make_app: AppFactory, crm_server: tuple[str, type[_Handler]]
) -> None:
    url, _ = crm_server
    app = make_app(crm_lookup=url)
    _store_stale_acme(app)
    assert _accept(app)["lane"] == "vip"


def test_slow_http_crm_times_out_and_intake_goes_on(
    make_app: AppFactory, crm_server: tuple[str, type[_Handler]]
) -> None:
    url, handler = crm_server
    handler.delay_seconds = 1.0
    app = make_app(crm_lookup=url, crm_timeout_seconds=0.1)
    _store_stale_acme(app)
    ticket = _accept(app)
    assert ticket["account_id"] == "acme"
    assert "did not answer within 0.1s" in ticket["decisions"]["account"]["reason"]


def test_requester_unknown_to_the_crm_uses_stored_matching(make_app: AppFactory) -> None:
    app = make_app(crm_lookup="tests.integration.test_crm:crm_hook")
    CRM_ACCOUNTS.clear()
    _store_stale_acme(app)
    ticket = _accept(app)
    assert ticket["account_id"] == "acme"
    assert ticket["decisions"]["account"]["matched_by"] == "domain"


def test_account_named_by_the_ticket_wins_over_the_crm_answer(make_app: AppFactory) -> None:
    app = make_app(crm_lookup="tests.integration.test_crm:crm_hook")
    CRM_ACCOUNTS["acme.example"] = account_data(
        id="acme-parent", name="Acme Holdings", email_domains=["acme-holdings.example"]
    )
    _store_stale_acme(app)
    outcome = accept_ticket(
        TicketIn.model_validate(ticket_data(account_id="acme")),
        uow=app.uow,
        policy=app.policy,
        clock=app.clock,
        crm=app.crm,
    )
    assert outcome.ticket_id is not None
    ticket = get_ticket(outcome.ticket_id, uow=app.uow)
    assert ticket["account_id"] == "acme"
    assert ticket["decisions"]["account"]["matched_by"] == "account_id"


def test_many_requesters_against_a_hung_crm_all_fall_back_to_stored_records(
    make_app: AppFactory, crm_server: tuple[str, type[_Handler]]
) -> None:
    url, handler = crm_server
    handler.delay_seconds = 2.0
    app = make_app(crm_lookup=url, crm_timeout_seconds=0.2)
    tickets = [
        TicketIn.model_validate(
            ticket_data(external_id=str(n), requester_email=f"u{n}@d{n}.example")
        )
        for n in range(8)
    ]
    assert app.crm is not None
    refresh = app.crm.refresh([_draft_of(t) for t in tickets])
    assert len(refresh.notes) == 8
    assert all("stored account record was used" in note for note in refresh.notes.values())


def _draft_of(ticket: TicketIn) -> Any:
    from fairlane.domain.tickets import TicketDraft

    now = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    return TicketDraft(
        source=ticket.source,
        external_id=ticket.external_id,
        subject=ticket.subject,
        body=ticket.body,
        received_at=now,
        created_at=now,
        requester_email=ticket.requester_email,
    )
