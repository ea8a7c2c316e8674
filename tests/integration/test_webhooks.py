"""Signed webhook delivery from the outbox, with retries and a dead letter, on both databases."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from fairlane.adapters.webhooks import HttpSender
from fairlane.bootstrap import Application
from fairlane.services.webhooks import (
    MAX_ATTEMPTS,
    WebhookIn,
    create_subscription,
    deliver_due,
    fan_out,
    redeliver,
)
from fairlane.services.worker import run_due
from fairlane.signing import verify
from tests.conftest import new_ticket as _ticket


class Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.answer = 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks"

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up breaks the pipe; nothing to report."""


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append(({k: v for k, v in self.headers.items()}, body))
        self.send_response(self.server.answer)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def sender() -> Iterator[HttpSender]:
    client = HttpSender(timeout_seconds=2.0)
    yield client
    client.close()


def _subscribe(app: Application, url: str, events: list[str]) -> dict[str, Any]:
    hook = WebhookIn(url=url, events=events, secret="s3cret-s3cret-s3cret")
    return create_subscription(hook, uow=app.uow, clock=app.clock)


def _deliveries(app: Application, status: str | None = None) -> list[dict[str, Any]]:
    with app.uow() as store:
        return store.list_deliveries(subscription_id=None, status=status, limit=100)


def test_new_ticket_is_delivered_signed_to_its_subscriber(
    app: Application, receiver: Receiver, sender: HttpSender
) -> None:
    _subscribe(app, receiver.url, ["ticket.created"])
    ticket_id = _ticket(app)
    assert fan_out(uow=app.uow, clock=app.clock) >= 1
    assert deliver_due(uow=app.uow, clock=app.clock, sender=sender).delivered == 1
    headers, body = receiver.requests[0]
    assert verify(
        "s3cret-s3cret-s3cret",
        headers["Fairlane-Signature"],
        body,
        now=int(app.clock.now().timestamp()),
    )
    assert not verify(
        "wrong-secret-wrong",
        headers["Fairlane-Signature"],
        body,
        now=int(app.clock.now().timestamp()),
    )
    document = json.loads(body)
    assert document["type"] == "ticket.created"
    assert document["data"]["ticket_id"] == ticket_id
    assert headers["Fairlane-Delivery"] == document["id"]


def test_subscribers_only_get_the_events_they_asked_for(
    app: Application, receiver: Receiver, sender: HttpSender
) -> None:
    _subscribe(app, receiver.url, ["sla.breached"])
    _ticket(app)
    fan_out(uow=app.uow, clock=app.clock)
    assert _deliveries(app) == []
    app.clock.advance(timedelta(days=8))
    run_due(uow=app.uow, policy=app.policy, clock=app.clock)
    fan_out(uow=app.uow, clock=app.clock)
    deliver_due(uow=app.uow, clock=app.clock, sender=sender)
    assert [json.loads(b)["type"] for _, b in receiver.requests] == ["sla.breached"] * 2


def test_failing_receiver_is_retried_with_backoff_then_dead_lettered_and_redelivered(
    app: Application, receiver: Receiver, sender: HttpSender
) -> None:
    receiver.answer = 500
    _subscribe(app, receiver.url, ["*"])
    _ticket(app)
    fan_out(uow=app.uow, clock=app.clock)
    for _ in range(MAX_ATTEMPTS):
        deliver_due(uow=app.uow, clock=app.clock, sender=sender)
        app.clock.advance(timedelta(hours=2))
    assert len(receiver.requests) == MAX_ATTEMPTS
    dead = _deliveries(app, "dead")
    assert len(dead) == 1
    assert dead[0]["last_status_code"] == 500
    receiver.answer = 204
    redeliver(dead[0]["id"], uow=app.uow, clock=app.clock)
    assert deliver_due(uow=app.uow, clock=app.clock, sender=sender).delivered == 1
    assert _deliveries(app, "delivered")[0]["id"] == dead[0]["id"]


def test_a_retry_waits_for_its_backoff(
    app: Application, receiver: Receiver, sender: HttpSender
) -> None:
    receiver.answer = 503
    _subscribe(app, receiver.url, ["ticket.created"])
    _ticket(app)
    fan_out(uow=app.uow, clock=app.clock)
    deliver_due(uow=app.uow, clock=app.clock, sender=sender)
    assert deliver_due(uow=app.uow, clock=app.clock, sender=sender).failed == 0  # not due yet
    app.clock.advance(timedelta(seconds=31))
    assert deliver_due(uow=app.uow, clock=app.clock, sender=sender).failed == 1


def test_unreachable_receiver_never_blocks_the_clocks(app: Application, sender: HttpSender) -> None:
    _subscribe(app, "http://127.0.0.1:9/nowhere", ["*"])
    _ticket(app)
    fan_out(uow=app.uow, clock=app.clock)
    result = deliver_due(uow=app.uow, clock=app.clock, sender=sender)
    assert result.failed == 1
    assert _deliveries(app)[0]["last_error"]
    app.clock.advance(timedelta(days=8))
    assert run_due(uow=app.uow, policy=app.policy, clock=app.clock).breaches == 2


def test_a_new_subscription_gets_only_events_after_it_was_created(
    app: Application, receiver: Receiver, sender: HttpSender
) -> None:
    _ticket(app, external_id="before")
    app.clock.advance(timedelta(minutes=1))
    _subscribe(app, receiver.url, ["ticket.created"])
    _ticket(app, external_id="after")
    fan_out(uow=app.uow, clock=app.clock)
    deliver_due(uow=app.uow, clock=app.clock, sender=sender)
    assert [json.loads(b)["data"]["external_id"] for _, b in receiver.requests] == ["after"]


def test_deleting_a_subscription_cancels_its_pending_deliveries(
    app: Application, receiver: Receiver, sender: HttpSender
) -> None:
    hook = _subscribe(app, receiver.url, ["*"])
    _ticket(app)
    fan_out(uow=app.uow, clock=app.clock)
    with app.uow() as store:
        assert store.delete_subscription(hook["id"], now=app.clock.now())
    assert deliver_due(uow=app.uow, clock=app.clock, sender=sender).delivered == 0
    assert receiver.requests == []
    assert {d["status"] for d in _deliveries(app)} == {"cancelled"}
