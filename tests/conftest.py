"""Shared fixtures: small factories with overrides, a fixed clock, and both databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from fairlane.bootstrap import Application, bootstrap
from fairlane.clock import FixedClock
from fairlane.config import Settings
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.loader import default_policy
from fairlane.triage.reading import ModelReading, TextReading, TicketReader
from fairlane.triage.sentiment import MessageSentiment

POSTGRES_URL = os.environ.get("FAIRLANE_TEST_POSTGRES_URL")
# Monday 23 November 2026, 14:00 UTC = 09:00 in New York: inside the americas calendar.
MONDAY_MORNING_NY = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_MORNING_NY)


@pytest.fixture(scope="session")
def policy() -> CompiledPolicy:
    return default_policy()


class UnsureReader(TicketReader):
    """Reads every ticket the same unsure way (intent billing at 0.55, urgency high at 0.60),
    so every ticket gets an intent and a priority suggestion for review."""

    def read(self, texts: Sequence[str]) -> list[TextReading]:
        reading = TextReading(
            intent=ModelReading("intent-test", "billing", 0.55, (("refund", 0.3),)),
            urgency=ModelReading("urgency-test", "high", 0.60, (("normal", 0.3),)),
            sentiment=MessageSentiment(0.0, "neutral", 0.0, ()),
            attention=30,
            is_urgent=False,
        )
        return [reading for _ in texts]


@pytest.fixture(scope="session")
def unsure_policy(policy: CompiledPolicy) -> CompiledPolicy:
    """The default policy with :class:`UnsureReader` in place of the models."""
    shipped = policy.reader
    reader = UnsureReader(
        intent=shipped.intent, urgency=shipped.urgency, sentiment=shipped.sentiment
    )
    return replace(policy, reader=reader)


def _postgres_schema_url() -> Iterator[str]:
    assert POSTGRES_URL is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on SQLite and on PostgreSQL (when FAIRLANE_TEST_POSTGRES_URL is set)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fairlane.db'}"
        return
    if POSTGRES_URL is None:
        pytest.skip("FAIRLANE_TEST_POSTGRES_URL is not set")
    yield from _postgres_schema_url()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fairlane.db'}"


AppFactory = Callable[..., Application]


@pytest.fixture
def make_app(database_url: str, clock: FixedClock) -> Iterator[AppFactory]:
    created: list[Application] = []

    def factory(**settings: Any) -> Application:
        application = bootstrap(Settings(database_url=database_url, **settings), clock=clock)
        created.append(application)
        return application

    yield factory
    for application in created:
        application.close()


@pytest.fixture
def app(make_app: AppFactory) -> Application:
    return make_app()


def account_data(**overrides: Any) -> dict[str, Any]:
    """An account record as an integrator sends it; override any field."""
    data: dict[str, Any] = {
        "id": "acme",
        "name": "Acme Corp",
        "segment": "mid-market",
        "plan": "business",
        "arr": "80000.00",
        "email_domains": ["acme.example"],
        "renewal_on": "2027-06-01",
    }
    data.update(overrides)
    return data


def ticket_data(**overrides: Any) -> dict[str, Any]:
    """A ticket as a help desk sends it; override any field."""
    data: dict[str, Any] = {
        "source": "zendesk",
        "external_id": "1001",
        "subject": "Question about invoices",
        "body": "Where can I find last month's invoice?",
        "requester_email": "sam@acme.example",
        "created_at": "2026-11-23T14:00:00Z",
    }
    data.update(overrides)
    return data


def new_ticket(app: Application, **overrides: Any) -> str:
    """Accept ``ticket_data(**overrides)`` through intake and return the new ticket's id."""
    from fairlane.services.intake import accept_ticket
    from fairlane.services.schemas import TicketIn

    outcome = accept_ticket(
        TicketIn.model_validate(ticket_data(**overrides)),
        uow=app.uow,
        policy=app.policy,
        clock=app.clock,
    )
    assert outcome.ticket_id is not None
    return outcome.ticket_id


@pytest.fixture
def unsure_app(
    database_url: str, clock: FixedClock, unsure_policy: CompiledPolicy
) -> Iterator[Application]:
    """An application whose models always read the same unsure answer (:class:`UnsureReader`)."""
    application = bootstrap(Settings(database_url=database_url), clock=clock, policy=unsure_policy)
    yield application
    application.close()
