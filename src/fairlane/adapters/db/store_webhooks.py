"""Repositories for webhook subscriptions and deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    func,
    insert,
    select,
    update,
)

from fairlane.adapters.db import tables as t


class WebhookRepository:
    connection: Connection

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
