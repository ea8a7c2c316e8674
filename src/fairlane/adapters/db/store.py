"""The Store port over SQLAlchemy Core, one transaction per unit of work."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError

from fairlane.adapters.db import tables as t
from fairlane.adapters.db.types import UTCDateTime
from fairlane.domain.accounts import Account, Segment
from fairlane.domain.audit import AuditEntry, OutboxEvent
from fairlane.errors import Conflict
from fairlane.services.ports import AccountMatchIndex, ApiKeyRow, DuplicateTicket, Store

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


class SqlStore:
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

    # --- clocks and ticket events ------------------------------------------------------------
    def add_clocks(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.connection.execute(insert(t.sla_clocks), list(rows))

    def clocks_for(self, ticket_id: str, *, for_update: bool = False) -> list[dict[str, Any]]:
        query = select(t.sla_clocks).where(t.sla_clocks.c.ticket_id == ticket_id)
        if for_update:
            query = query.with_for_update()
        return [
            dict(row._mapping)
            for row in self.connection.execute(query.order_by(t.sla_clocks.c.kind))
        ]

    def save_clock(self, row: dict[str, Any]) -> None:
        c = t.sla_clocks.c
        key = (c.ticket_id == row["ticket_id"], c.kind == row["kind"])
        if self.connection.execute(update(t.sla_clocks).where(*key).values(**row)).rowcount == 0:
            self.connection.execute(insert(t.sla_clocks).values(**row))

    def clocks_for_tickets(self, ticket_ids: Sequence[str]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        ids = list(ticket_ids)
        for start in range(0, len(ids), _CHUNK):
            query = select(t.sla_clocks).where(
                t.sla_clocks.c.ticket_id.in_(ids[start : start + _CHUNK])
            )
            rows += [dict(row._mapping) for row in self.connection.execute(query)]
        return rows

    def open_tickets_for_account(self, account_id: str) -> list[dict[str, Any]]:
        c = t.tickets.c
        query = select(c.id, c.lane, c.priority, c.team, c.created_at, c.account_id).where(
            c.account_id == account_id, c.status.in_(["open", "waiting_on_customer", "on_hold"])
        )
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def set_ticket_due(
        self,
        ticket_id: str,
        *,
        first_response_due_at: datetime | None,
        resolution_due_at: datetime | None,
    ) -> None:
        values = {
            k: v
            for k, v in (
                ("first_response_due_at", first_response_due_at),
                ("resolution_due_at", resolution_due_at),
            )
            if v is not None
        }
        if values:
            self.connection.execute(
                update(t.tickets).where(t.tickets.c.id == ticket_id).values(**values)
            )

    def set_tickets_due(self, rows: Sequence[dict[str, Any]]) -> None:
        """Set the due instants of many tickets (ticket_id, first_response_due_at,
        resolution_due_at; None keeps the stored value) with one prepared statement."""
        if not rows:
            return
        c = t.tickets.c
        statement = (
            update(t.tickets)
            .where(c.id == bindparam("key_id"))
            .values(
                first_response_due_at=func.coalesce(
                    bindparam("fr", type_=UTCDateTime()), c.first_response_due_at
                ),
                resolution_due_at=func.coalesce(
                    bindparam("res", type_=UTCDateTime()), c.resolution_due_at
                ),
            )
        )
        self.connection.execute(
            statement,
            [
                {
                    "key_id": r["ticket_id"],
                    "fr": r["first_response_due_at"],
                    "res": r["resolution_due_at"],
                }
                for r in rows
            ],
        )

    def add_health_score(self, row: dict[str, Any]) -> None:
        self.connection.execute(insert(t.health_scores).values(**row))

    def health_history(
        self,
        account_id: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        h = t.health_scores.c
        query = select(t.health_scores).where(h.account_id == account_id)
        if since is not None:
            query = query.where(h.measured_at >= since)
        if until is not None:
            query = query.where(h.measured_at < until)
        query = query.order_by(h.measured_at.desc(), h.id.desc()).limit(limit)
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def set_account_health(
        self,
        account_id: str,
        *,
        score: int,
        scored_at: datetime,
        drop_points: int | None,
        now: datetime,
    ) -> None:
        self.connection.execute(
            update(t.accounts)
            .where(t.accounts.c.id == account_id)
            .values(
                health_score=score,
                health_scored_at=scored_at,
                health_drop_points=drop_points,
                updated_at=now,
            )
        )

    def add_steps(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.connection.execute(insert(t.ticket_steps), list(rows))

    def save_step(self, row: dict[str, Any]) -> None:
        c = t.ticket_steps.c
        key = (c.ticket_id == row["ticket_id"], c.step == row["step"])
        if self.connection.execute(update(t.ticket_steps).where(*key).values(**row)).rowcount == 0:
            self.connection.execute(insert(t.ticket_steps).values(**row))

    def steps_for(self, ticket_id: str) -> list[dict[str, Any]]:
        c = t.ticket_steps.c
        query = select(t.ticket_steps).where(c.ticket_id == ticket_id).order_by(c.due_at)
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def due_steps(self, now: datetime, *, limit: int) -> list[dict[str, Any]]:
        c, tk = t.ticket_steps.c, t.tickets.c
        query = (
            select(
                t.ticket_steps,
                tk.priority,
                tk.lane,
                tk.account_id,
                tk.team,
                tk.tier,
                tk.status,
                tk.escalated_at,
            )
            .join(t.tickets, tk.id == c.ticket_id)
            .where(c.next_action_at <= now)
            .order_by(c.next_action_at)
            .limit(limit)
            .with_for_update(of=t.ticket_steps, skip_locked=True)
        )
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def next_step_at(self) -> datetime | None:
        value: datetime | None = self.connection.scalar(
            select(func.min(t.ticket_steps.c.next_action_at))
        )
        return value

    def set_ticket_fields(self, ticket_id: str, **values: Any) -> None:
        self.connection.execute(
            update(t.tickets).where(t.tickets.c.id == ticket_id).values(**values)
        )

    def claim_daily_job(self, key: str, *, day: str, now: datetime) -> str | None:
        """Once per ``day`` for ``key``, the day it last ran ("" if never), else None; the
        caller runs the job in this transaction."""
        c = t.worker_state.c
        current = self.connection.execute(
            select(c.value).where(c.key == key).with_for_update()
        ).scalar()
        if current == day:
            return None
        if current is None:
            try:
                with self.connection.begin_nested():
                    self.connection.execute(
                        insert(t.worker_state).values(key=key, value=day, updated_at=now)
                    )
            except IntegrityError:  # another worker claimed it first
                return None
        else:
            self.connection.execute(
                update(t.worker_state).where(c.key == key).values(value=day, updated_at=now)
            )
        return str(current or "")

    def accounts_renewing_on(self, days: Sequence[date]) -> list[str]:
        c = t.accounts.c
        query = select(c.id).where(c.renewal_on.in_(list(days)))
        return [row.id for row in self.connection.execute(query)]

    def due_clocks(self, now: datetime, *, limit: int) -> list[dict[str, Any]]:
        """Clocks with an action due by ``now``, earliest first, with their ticket's context.

        Read from the ``next_action_at`` index, never a scan of open tickets; on PostgreSQL the
        rows are locked with SKIP LOCKED so several workers share the due set without overlap.
        """
        c, tk = t.sla_clocks.c, t.tickets.c
        query = (
            select(t.sla_clocks, tk.priority, tk.lane, tk.account_id, tk.team, tk.escalated_at)
            .join(t.tickets, tk.id == c.ticket_id)
            .where(c.next_action_at <= now)
            .order_by(c.next_action_at)
            .limit(limit)
            .with_for_update(of=t.sla_clocks, skip_locked=True)
        )
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def next_action_at(self) -> datetime | None:
        value: datetime | None = self.connection.scalar(
            select(func.min(t.sla_clocks.c.next_action_at))
        )
        return value

    def save_clocks(self, rows: Sequence[dict[str, Any]]) -> None:
        """Update many existing clocks with one prepared statement (executemany)."""
        if not rows:
            return
        c = t.sla_clocks.c
        columns = [name for name in rows[0] if name not in ("ticket_id", "kind")]
        statement = (
            update(t.sla_clocks)
            .where(c.ticket_id == bindparam("key_ticket_id"), c.kind == bindparam("key_kind"))
            .values({name: bindparam(name) for name in columns})
        )
        params = [
            {
                "key_ticket_id": row["ticket_id"],
                "key_kind": row["kind"],
                **{name: row[name] for name in columns},
            }
            for row in rows
        ]
        self.connection.execute(statement, params)

    def add_ticket_event(self, row: dict[str, Any]) -> bool:
        """False when an event with the same external id was already recorded (a retry)."""
        c = t.ticket_events.c
        if row.get("external_id") is not None:
            seen = self.connection.scalar(
                select(func.count()).where(
                    c.ticket_id == row["ticket_id"], c.external_id == row["external_id"]
                )
            )
            if seen:
                return False
        self.connection.execute(insert(t.ticket_events).values(**row))
        return True

    def set_ticket_status(self, ticket_id: str, status: str) -> None:
        self.connection.execute(
            update(t.tickets).where(t.tickets.c.id == ticket_id).values(status=status)
        )

    def lock_ticket(self, ticket_id: str) -> dict[str, Any] | None:
        query = select(t.tickets).where(t.tickets.c.id == ticket_id).with_for_update()
        row = self.connection.execute(query).first()
        return None if row is None else dict(row._mapping)

    # --- webhooks ---------------------------------------------------------------------------
    def add_subscription(self, row: dict[str, Any]) -> None:
        self.connection.execute(insert(t.webhook_subscriptions).values(**row))

    def list_subscriptions(self) -> list[dict[str, Any]]:
        c = t.webhook_subscriptions.c
        query = select(t.webhook_subscriptions).where(c.deleted_at.is_(None)).order_by(c.created_at)
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def delete_subscription(self, subscription_id: str, *, now: datetime) -> bool:
        c = t.webhook_subscriptions.c
        result = self.connection.execute(
            update(t.webhook_subscriptions)
            .where(c.id == subscription_id, c.deleted_at.is_(None))
            .values(deleted_at=now)
        )
        if result.rowcount:
            d = t.webhook_deliveries.c
            self.connection.execute(
                update(t.webhook_deliveries)
                .where(d.subscription_id == subscription_id, d.status == "pending")
                .values(status="cancelled", next_attempt_at=None)
            )
        return bool(result.rowcount)

    def pending_outbox(self, *, limit: int) -> list[dict[str, Any]]:
        c = t.outbox.c
        query = (
            select(t.outbox)
            .where(c.dispatched_at.is_(None))
            .order_by(c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def mark_dispatched(self, outbox_ids: Sequence[int], *, now: datetime) -> None:
        if outbox_ids:
            self.connection.execute(
                update(t.outbox)
                .where(t.outbox.c.id.in_(list(outbox_ids)))
                .values(dispatched_at=now)
            )

    def add_deliveries(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.connection.execute(insert(t.webhook_deliveries), list(rows))

    def claim_deliveries(
        self, now: datetime, *, limit: int, lease_until: datetime
    ) -> list[dict[str, Any]]:
        """Pending deliveries due by ``now``, leased until ``lease_until`` so that a worker
        that dies while sending lets another retry them after the lease."""
        d, s = t.webhook_deliveries.c, t.webhook_subscriptions.c
        query = (
            select(t.webhook_deliveries, s.url, s.secret)
            .join(t.webhook_subscriptions, s.id == d.subscription_id)
            .where(d.status == "pending", d.next_attempt_at <= now, s.deleted_at.is_(None))
            .order_by(d.next_attempt_at)
            .limit(limit)
            .with_for_update(of=t.webhook_deliveries, skip_locked=True)
        )
        rows = [dict(row._mapping) for row in self.connection.execute(query)]
        if rows:
            self.connection.execute(
                update(t.webhook_deliveries)
                .where(d.id.in_([r["id"] for r in rows]))
                .values(next_attempt_at=lease_until)
            )
        return rows

    def record_delivery(self, delivery_id: str, **values: Any) -> None:
        self.connection.execute(
            update(t.webhook_deliveries)
            .where(t.webhook_deliveries.c.id == delivery_id)
            .values(**values)
        )

    def list_deliveries(
        self, *, subscription_id: str | None, status: str | None, limit: int
    ) -> list[dict[str, Any]]:
        d = t.webhook_deliveries.c
        query = select(t.webhook_deliveries).order_by(d.created_at.desc(), d.id).limit(limit)
        if subscription_id is not None:
            query = query.where(d.subscription_id == subscription_id)
        if status is not None:
            query = query.where(d.status == status)
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def get_delivery(self, delivery_id: str) -> dict[str, Any] | None:
        d = t.webhook_deliveries.c
        row = self.connection.execute(
            select(t.webhook_deliveries).where(d.id == delivery_id)
        ).first()
        return None if row is None else dict(row._mapping)

    def next_delivery_at(self) -> datetime | None:
        d = t.webhook_deliveries.c
        value: datetime | None = self.connection.scalar(
            select(func.min(d.next_attempt_at)).where(d.status == "pending")
        )
        return value

    # --- accounts ------------------------------------------------------------------------
    def find_accounts(
        self, *, ids: set[str], identifiers: set[tuple[str, str]]
    ) -> AccountMatchIndex:
        ident = t.account_identifiers.c
        mapping: dict[tuple[str, str], str] = {}
        by_kind: dict[str, list[str]] = {}
        for kind, value in identifiers:
            by_kind.setdefault(kind, []).append(value)
        for kind, values in by_kind.items():
            for start in range(0, len(values), _CHUNK):
                chunk = values[start : start + _CHUNK]
                query = select(ident.value, ident.account_id).where(
                    ident.kind == kind, ident.value.in_(chunk)
                )
                for value, account_id in self.connection.execute(query):
                    mapping[(kind, value)] = account_id
        wanted = list(ids | set(mapping.values()))
        return AccountMatchIndex(self._load_accounts(wanted), mapping)

    def get_account(self, account_id: str) -> Account | None:
        return self._load_accounts([account_id]).get(account_id)

    def _load_accounts(self, ids: list[str]) -> dict[str, Account]:
        rows: list[Any] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows += self.connection.execute(
                select(t.accounts).where(t.accounts.c.id.in_(chunk))
            ).all()
        if not rows:
            return {}
        idents: dict[str, dict[str, list[str]]] = {}
        ident = t.account_identifiers.c
        for start in range(0, len(rows), _CHUNK):
            chunk_ids = [r.id for r in rows[start : start + _CHUNK]]
            query = (
                select(ident.account_id, ident.kind, ident.value)
                .where(ident.account_id.in_(chunk_ids))
                .order_by(ident.kind, ident.value)
            )
            for account_id, kind, value in self.connection.execute(query):
                idents.setdefault(account_id, {}).setdefault(kind, []).append(value)
        return {row.id: _account(row, idents.get(row.id, {})) for row in rows}

    def upsert_accounts(
        self, accounts: Sequence[Account], *, now: datetime
    ) -> list[Account | None]:
        before = self._load_accounts([a.id for a in accounts])
        self._check_identifier_owners(accounts)
        new_rows = [
            _account_row(a, created_at=now, updated_at=now) for a in accounts if a.id not in before
        ]
        if new_rows:
            self.connection.execute(insert(t.accounts), new_rows)
        for account in accounts:
            if account.id in before:
                row = _account_row(account, created_at=now, updated_at=now)
                del row["created_at"]
                self.connection.execute(
                    update(t.accounts).where(t.accounts.c.id == account.id), row
                )
        ids = [a.id for a in accounts]
        for start in range(0, len(ids), _CHUNK):
            self.connection.execute(
                delete(t.account_identifiers).where(
                    t.account_identifiers.c.account_id.in_(ids[start : start + _CHUNK])
                )
            )
        ident_rows = [
            {"kind": kind, "value": value, "account_id": a.id}
            for a in accounts
            for kind, value in _identifiers(a)
        ]
        if ident_rows:
            self.connection.execute(insert(t.account_identifiers), ident_rows)
        return [before.get(a.id) for a in accounts]

    def _check_identifier_owners(self, accounts: Sequence[Account]) -> None:
        claimed: dict[tuple[str, str], str] = {}
        for account in accounts:
            for key in _identifiers(account):
                other = claimed.setdefault(key, account.id)
                if other != account.id:
                    raise Conflict(
                        f"{key[0]} {key[1]!r} is claimed by both account {other!r} and "
                        f"account {account.id!r}; an identifier may belong to one account."
                    )
        existing = self.find_accounts(ids=set(), identifiers=set(claimed)).identifiers
        for key, owner in existing.items():
            if owner != claimed[key]:
                raise Conflict(
                    f"{key[0]} {key[1]!r} already belongs to account {owner!r}; remove it "
                    f"there first or drop it from account {claimed[key]!r}."
                )

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

    # --- policies ------------------------------------------------------------------------
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
    ) -> bool:
        exists = self.connection.scalar(select(func.count()).where(t.policies.c.ref == ref))
        if exists:
            return False
        self.connection.execute(
            insert(t.policies).values(
                ref=ref,
                name=name,
                version=version,
                document=document,
                source=source[:512],
                actor=actor,
                registered_at=now,
            )
        )
        return True

    def policy_changelog(self) -> list[dict[str, Any]]:
        c = t.policies.c
        query = select(c.ref, c.name, c.version, c.source, c.actor, c.registered_at).order_by(
            c.registered_at
        )
        return [dict(row._mapping) for row in self.connection.execute(query)]

    # --- API keys and agents -------------------------------------------------------------
    def add_api_key(self, row: ApiKeyRow) -> None:
        self.connection.execute(insert(t.api_keys).values(**asdict(row)))

    def find_api_key(self, prefix: str) -> ApiKeyRow | None:
        row = self.connection.execute(
            select(t.api_keys).where(t.api_keys.c.prefix == prefix)
        ).first()
        return None if row is None else ApiKeyRow(**row._mapping)

    def list_api_keys(self) -> list[ApiKeyRow]:
        rows = self.connection.execute(select(t.api_keys).order_by(t.api_keys.c.created_at))
        return [ApiKeyRow(**row._mapping) for row in rows]

    def revoke_api_key(self, key_id: str, *, now: datetime) -> bool:
        result = self.connection.execute(
            update(t.api_keys)
            .where(t.api_keys.c.id == key_id, t.api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return bool(result.rowcount)

    def upsert_agents(self, agents: Sequence[dict[str, Any]]) -> None:
        ids = [a["id"] for a in agents]
        if ids:
            self.connection.execute(delete(t.agents).where(t.agents.c.id.in_(ids)))
            self.connection.execute(insert(t.agents), list(agents))


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    return names


def _shallow(record: Any) -> dict[str, Any]:
    """A dataclass as a row, without ``asdict``'s deep copy of every nested document."""
    return {name: getattr(record, name) for name in _field_names(type(record))}


def _identifiers(account: Account) -> list[tuple[str, str]]:
    return (
        [("domain", d) for d in account.email_domains]
        + [("client_id", c) for c in account.client_ids]
        + [("tag", g) for g in account.requester_tags]
    )


def _account_row(account: Account, *, created_at: datetime, updated_at: datetime) -> dict[str, Any]:
    return {
        "id": account.id,
        "name": account.name,
        "segment": account.segment.value,
        "plan": account.plan,
        "arr_cents": account.arr_cents,
        "acv_cents": account.acv_cents,
        "currency": account.currency,
        "renewal_on": account.renewal_on,
        "is_strategic": account.is_strategic,
        "strategic_reason": account.strategic_reason,
        "csm_owner": account.csm_owner,
        "tags": list(account.tags),
        "health_score": account.health_score,
        "health_scored_at": account.health_scored_at,
        "health_drop_points": account.health_drop_points,
        "created_at": created_at,
        "updated_at": updated_at,
    }


def _account(row: Any, idents: dict[str, list[str]]) -> Account:
    return Account(
        id=row.id,
        name=row.name,
        segment=Segment(row.segment),
        plan=row.plan,
        arr_cents=row.arr_cents,
        acv_cents=row.acv_cents,
        currency=row.currency,
        renewal_on=row.renewal_on,
        is_strategic=row.is_strategic,
        strategic_reason=row.strategic_reason,
        csm_owner=row.csm_owner,
        email_domains=tuple(idents.get("domain", [])),
        client_ids=tuple(idents.get("client_id", [])),
        requester_tags=tuple(idents.get("tag", [])),
        tags=tuple(row.tags or []),
        health_score=row.health_score,
        health_scored_at=row.health_scored_at,
        health_drop_points=row.health_drop_points,
    )
