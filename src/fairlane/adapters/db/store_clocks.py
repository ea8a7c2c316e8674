"""Repositories for SLA clocks, ticket events, escalation steps, health and worker state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from fairlane.adapters.db import tables as t
from fairlane.adapters.db.types import UTCDateTime
from fairlane.domain.tickets import OPEN_STATUSES


class ClockRepository:
    connection: Connection

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

    def open_clocks(
        self, *, kinds: Sequence[str], account_id: str | None = None, ticket_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The running or paused (not met) clocks of ``kinds`` of the open tickets of one
        account or one ticket, each with its ticket's ``lane``, ``priority`` and ``team``, in
        one query; without the columns re-targeting recomputes (``warning_at``,
        ``next_action_at``, ``reason``, ``policy_ref``)."""
        c, k = t.tickets.c, t.sla_clocks.c
        unused = {"warning_at", "next_action_at", "reason", "policy_ref"}  # rewritten anyway
        which = c.account_id == account_id if ticket_id is None else c.id == ticket_id
        query = (
            select(*(col for col in t.sla_clocks.c if col.name not in unused))
            .add_columns(c.lane, c.priority, c.team)
            .join(t.tickets, c.id == k.ticket_id)
            .where(
                which,
                c.status.in_(OPEN_STATUSES),
                k.kind.in_(list(kinds)),
                k.met_at.is_(None),
            )
            .order_by(k.ticket_id, k.kind)
        )
        result = self.connection.execute(query)
        names = list(result.keys())
        return [dict(zip(names, row, strict=True)) for row in result]

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

    def accounts_scored_between(self, start: datetime, end: datetime) -> list[str]:
        """Accounts whose current health score was taken in [start, end)."""
        c = t.accounts.c
        query = select(c.id).where(c.health_scored_at >= start, c.health_scored_at < end)
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

    def save_clocks(
        self, rows: Sequence[dict[str, Any]], *, columns: Sequence[str] | None = None
    ) -> None:
        """Update many existing clocks with one prepared statement (executemany); only
        ``columns`` when given (the rest are unchanged), else every column."""
        if not rows:
            return
        c = t.sla_clocks.c
        columns = (
            list(columns)
            if columns is not None
            else [name for name in rows[0] if name not in ("ticket_id", "kind")]
        )
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

    def ticket_events_for(self, ticket_id: str) -> list[dict[str, Any]]:
        c = t.ticket_events.c
        query = (
            select(c.kind, c.occurred_at, c.data)
            .where(c.ticket_id == ticket_id)
            .order_by(c.occurred_at, c.id)
        )
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def requester_ticket_counts(
        self, emails: Sequence[str], *, since: datetime, exclude: Sequence[str] = ()
    ) -> dict[str, int]:
        """Tickets per requester e-mail created since ``since`` (``exclude`` not counted)."""
        c = t.tickets.c
        wanted = sorted(set(emails))
        counts: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            query = (
                select(c.requester_email, func.count())
                .where(c.requester_email.in_(wanted[start : start + 500]), c.created_at >= since)
                .group_by(c.requester_email)
            )
            if exclude:
                query = query.where(c.id.not_in(list(exclude)))
            counts.update({email: int(n) for email, n in self.connection.execute(query)})
        return counts

    def set_ticket_status(self, ticket_id: str, status: str) -> None:
        self.connection.execute(
            update(t.tickets).where(t.tickets.c.id == ticket_id).values(status=status)
        )

    def lock_ticket(self, ticket_id: str) -> dict[str, Any] | None:
        query = select(t.tickets).where(t.tickets.c.id == ticket_id).with_for_update()
        row = self.connection.execute(query).first()
        return None if row is None else dict(row._mapping)
