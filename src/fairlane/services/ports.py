"""What the use cases need from the outside world, as Protocols (adapters implement them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from fairlane.domain.accounts import Account
from fairlane.domain.audit import AuditEntry, OutboxEvent

__all__ = [
    "AccountMatchIndex",
    "ApiKeyRow",
    "CrmLookup",
    "CrmUnavailable",
    "DuplicateTicket",
    "SendResult",
    "Store",
    "UnitOfWork",
    "WebhookSender",
]


@dataclass(frozen=True, slots=True)
class AccountMatchIndex:
    """Accounts found for a batch of requesters, and which identifier points at which account."""

    accounts: dict[str, Account]
    identifiers: dict[tuple[str, str], str]


@dataclass(frozen=True, slots=True)
class ApiKeyRow:
    id: str
    name: str
    role: str
    prefix: str
    key_hash: str
    created_at: datetime
    revoked_at: datetime | None


class Store(Protocol):
    """Repositories over one transaction."""

    def find_ticket_keys(
        self, keys: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[str, str]]:
        """(source, external_id) -> (ticket id, payload hash) for the keys that exist."""
        ...

    def find_accounts(
        self, *, ids: set[str], identifiers: set[tuple[str, str]]
    ) -> AccountMatchIndex: ...
    def get_account(self, account_id: str) -> Account | None: ...
    def upsert_accounts(
        self, accounts: Sequence[Account], *, now: datetime
    ) -> list[Account | None]:
        """Insert or update; returns each account's previous state (None when new)."""
        ...

    def add_tickets(self, rows: Sequence[dict[str, Any]]) -> None: ...
    def get_ticket(self, ticket_id: str) -> dict[str, Any] | None: ...
    def list_open_tickets(self, *, team: str | None, limit: int) -> list[dict[str, Any]]: ...
    def ticket_summary(self) -> dict[str, Any]: ...
    def add_clocks(self, rows: Sequence[dict[str, Any]]) -> None: ...
    def clocks_for(self, ticket_id: str, *, for_update: bool = False) -> list[dict[str, Any]]: ...
    def save_clock(self, row: dict[str, Any]) -> None: ...
    def save_clocks(
        self, rows: Sequence[dict[str, Any]], *, columns: Sequence[str] | None = None
    ) -> None: ...
    def due_clocks(self, now: datetime, *, limit: int) -> list[dict[str, Any]]: ...
    def claim_daily_job(self, key: str, *, day: str, now: datetime) -> str | None: ...
    def accounts_renewing_on(self, days: Sequence[date]) -> list[str]: ...
    def accounts_scored_between(self, start: datetime, end: datetime) -> list[str]: ...
    def add_steps(self, rows: Sequence[dict[str, Any]]) -> None: ...
    def save_step(self, row: dict[str, Any]) -> None: ...
    def steps_for(self, ticket_id: str) -> list[dict[str, Any]]: ...
    def due_steps(self, now: datetime, *, limit: int) -> list[dict[str, Any]]: ...
    def next_step_at(self) -> datetime | None: ...
    def set_ticket_fields(self, ticket_id: str, **values: Any) -> None: ...
    def open_clocks(
        self, *, kinds: Sequence[str], account_id: str | None = None, ticket_id: str | None = None
    ) -> list[dict[str, Any]]: ...
    def set_ticket_due(
        self,
        ticket_id: str,
        *,
        first_response_due_at: datetime | None,
        resolution_due_at: datetime | None,
    ) -> None: ...
    def set_tickets_due(self, rows: Sequence[dict[str, Any]]) -> None: ...
    def add_health_score(self, row: dict[str, Any]) -> None: ...
    def add_reviews(self, rows: Sequence[dict[str, Any]]) -> None: ...
    def ticket_events_for(self, ticket_id: str) -> list[dict[str, Any]]: ...
    def requester_ticket_counts(
        self, emails: Sequence[str], *, since: datetime, exclude: Sequence[str] = ()
    ) -> dict[str, int]: ...
    def list_reviews(
        self, *, status: str | None, ticket_id: str | None, limit: int
    ) -> list[dict[str, Any]]: ...
    def lock_review(self, review_id: int) -> dict[str, Any] | None: ...
    def decide_review(
        self, review_id: int, *, status: str, final: str, by: str, at: datetime, note: str | None
    ) -> None: ...
    def pending_reviews_for(self, ticket_id: str) -> int: ...
    def review_counts(
        self, *, since: datetime | None, until: datetime | None
    ) -> list[tuple[str, str, int]]: ...
    def health_history(
        self,
        account_id: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]: ...
    def set_account_health(
        self,
        account_id: str,
        *,
        score: int,
        scored_at: datetime,
        drop_points: int | None,
        now: datetime,
    ) -> None: ...
    def next_action_at(self) -> datetime | None: ...
    def add_ticket_event(self, row: dict[str, Any]) -> bool: ...
    def set_ticket_status(self, ticket_id: str, status: str) -> None: ...
    def lock_ticket(self, ticket_id: str) -> dict[str, Any] | None: ...
    def add_subscription(self, row: dict[str, Any]) -> None: ...
    def list_subscriptions(self) -> list[dict[str, Any]]: ...
    def delete_subscription(self, subscription_id: str, *, now: datetime) -> bool: ...
    def pending_outbox(self, *, limit: int) -> list[dict[str, Any]]: ...
    def mark_dispatched(self, outbox_ids: Sequence[int], *, now: datetime) -> None: ...
    def add_deliveries(self, rows: Sequence[dict[str, Any]]) -> None: ...
    def claim_deliveries(
        self, now: datetime, *, limit: int, lease_until: datetime
    ) -> list[dict[str, Any]]: ...
    def record_delivery(self, delivery_id: str, **values: Any) -> None: ...
    def list_deliveries(
        self, *, subscription_id: str | None, status: str | None, limit: int
    ) -> list[dict[str, Any]]: ...
    def get_delivery(self, delivery_id: str) -> dict[str, Any] | None: ...
    def next_delivery_at(self) -> datetime | None: ...
    def add_audit(self, entries: Sequence[AuditEntry]) -> None: ...
    def audit_for(
        self, *, ticket_id: str | None = None, account_id: str | None = None
    ) -> list[dict[str, Any]]: ...
    def add_events(self, events: Sequence[OutboxEvent]) -> None: ...
    def register_policy(
        self,
        *,
        ref: str,
        name: str,
        version: str,
        document: dict[str, Any],
        source: str,
        actor: str,
        now: datetime,
    ) -> bool: ...
    def policy_changelog(self) -> list[dict[str, Any]]: ...
    def add_api_key(self, row: ApiKeyRow) -> None: ...
    def find_api_key(self, prefix: str) -> ApiKeyRow | None: ...
    def list_api_keys(self) -> list[ApiKeyRow]: ...
    def revoke_api_key(self, key_id: str, *, now: datetime) -> bool: ...
    def upsert_agents(self, agents: Sequence[dict[str, Any]]) -> None: ...


UnitOfWork = Callable[[], AbstractContextManager[Store]]
"""Opens a transaction: commits when the block ends normally, rolls back on an exception."""


class DuplicateTicket(Exception):
    """Another transaction stored a ticket with the same (source, external_id) first."""


@dataclass(frozen=True, slots=True)
class SendResult:
    status_code: int | None  # None when no HTTP answer came back
    error: str | None = None

    @property
    def is_success(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class WebhookSender(Protocol):
    def send(self, url: str, body: bytes, headers: dict[str, str]) -> SendResult:
        """POST ``body`` to ``url``; never raises for network problems (they are a result)."""
        ...


class CrmUnavailable(Exception):
    """The CRM did not answer in time or answered with an error; use the stored record."""


class CrmTimedOut(CrmUnavailable):
    """The CRM's own client gave up waiting (reported like a missed deadline)."""


class CrmLookup(Protocol):
    name: str

    def lookup(
        self, *, email: str | None, domain: str | None, client_id: str | None
    ) -> dict[str, Any] | None:
        """The requester's account as an AccountIn-shaped mapping, None if the CRM has none."""
        ...
