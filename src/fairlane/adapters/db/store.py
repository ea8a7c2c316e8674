"""The Store port over SQLAlchemy Core, one transaction per unit of work."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    func,
    insert,
    select,
    true,
)
from sqlalchemy.exc import IntegrityError

from fairlane.adapters.db import tables as t
from fairlane.adapters.db.store_accounts import AccountRepository
from fairlane.adapters.db.store_admin import AdminRepository
from fairlane.adapters.db.store_clocks import ClockRepository
from fairlane.adapters.db.store_reviews import ReviewRepository
from fairlane.adapters.db.store_webhooks import WebhookRepository
from fairlane.domain.audit import AuditEntry, OutboxEvent
from fairlane.services.ports import DuplicateTicket, Store

__all__ = ["SqlStore", "SqlUnitOfWork"]

_CHUNK = 500  # keys per IN (...) query; well under SQLite's and PostgreSQL's parameter limits


class SqlUnitOfWork:
    """``with uow() as store:`` opens a transaction that commits on success."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def __call__(self) -> Iterator[Store]:
        with self.engine.begin() as connection:
            yield SqlStore(connection)


class SqlStore(
    ClockRepository, WebhookRepository, AccountRepository, AdminRepository, ReviewRepository
):
    """The Store port: one connection, one transaction; repositories grouped by concept."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # --- tickets -------------------------------------------------------------------------
    def find_ticket_keys(
        self, keys: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[str, str]]:
        """Grouped by source so each query uses the unique (source, external_id) index; a
        row-value ``IN`` makes SQLite scan the whole table."""
        found: dict[tuple[str, str], tuple[str, str]] = {}
        by_source: dict[str, list[str]] = {}
        for source, external_id in dict.fromkeys(keys):
            by_source.setdefault(source, []).append(external_id)
        c = t.tickets.c
        for source, external_ids in by_source.items():
            for start in range(0, len(external_ids), _CHUNK):
                chunk = external_ids[start : start + _CHUNK]
                query = select(c.external_id, c.id, c.payload_hash).where(
                    c.source == source, c.external_id.in_(chunk)
                )
                for external_id, ticket_id, payload_hash in self.connection.execute(query):
                    found[(source, external_id)] = (ticket_id, payload_hash)
        return found

    def add_tickets(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert new tickets; a concurrent writer that stored the same (source, external_id)
        first surfaces as DuplicateTicket, which intake answers by retrying (and finding it)."""
        if not rows:
            return
        try:
            self.connection.execute(insert(t.tickets), list(rows))
        except IntegrityError as exc:
            raise DuplicateTicket(str(exc.orig)) from exc

    def get_ticket(self, ticket_id: str) -> dict[str, Any] | None:
        row = self.connection.execute(select(t.tickets).where(t.tickets.c.id == ticket_id)).first()
        return None if row is None else dict(row._mapping)

    def list_open_tickets(self, *, team: str | None, limit: int) -> list[dict[str, Any]]:
        query = select(t.tickets).where(t.tickets.c.status == "open")
        if team is not None:
            query = query.where(t.tickets.c.team == team)
        lane_rank = t.tickets.c.lane != "vip"  # False (VIP) sorts first
        query = query.order_by(
            t.tickets.c.priority,
            lane_rank,
            t.tickets.c.first_response_due_at,
            t.tickets.c.created_at,
        ).limit(limit)
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def ticket_summary(self) -> dict[str, Any]:
        c = t.tickets.c
        grid = self.connection.execute(
            select(c.lane, c.priority, func.count()).group_by(c.lane, c.priority)
        ).all()
        escalations = (
            self.connection.scalar(select(func.count()).where(c.is_escalation_required.is_(True)))
            or 0
        )
        unknown = self.connection.scalar(select(func.count()).where(c.account_id.is_(None))) or 0
        return {
            "by_lane_priority": {(lane, priority): n for lane, priority, n in grid},
            "escalation_required": escalations,
            "account_unknown": unknown,
        }

    # --- audit and outbox ----------------------------------------------------------------
    def add_audit(self, entries: Sequence[AuditEntry]) -> None:
        if entries:
            rows = [_shallow(entry) for entry in entries]
            for row in rows:
                row["reasons"] = list(row["reasons"])
            self.connection.execute(insert(t.audit_entries), rows)

    def audit_for(
        self, *, ticket_id: str | None = None, account_id: str | None = None
    ) -> list[dict[str, Any]]:
        c = t.audit_entries.c
        conditions = []
        if ticket_id is not None:
            conditions.append(c.ticket_id == ticket_id)
        if account_id is not None:
            conditions.append(c.account_id == account_id)
        query = select(t.audit_entries).where(and_(true(), *conditions)).order_by(c.id)
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def add_events(self, events: Sequence[OutboxEvent]) -> None:
        if events:
            self.connection.execute(insert(t.outbox), [_shallow(e) for e in events])


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    return names


def _shallow(record: Any) -> dict[str, Any]:
    """A dataclass as a row, without ``asdict``'s deep copy of every nested document."""
    return {name: getattr(record, name) for name in _field_names(type(record))}
