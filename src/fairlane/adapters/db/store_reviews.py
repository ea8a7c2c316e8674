"""Repository for the triage review queue (T6, T9)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from fairlane.adapters.db import tables as t


class ReviewRepository:
    connection: Connection

    def add_reviews(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.connection.execute(insert(t.triage_reviews), list(rows))

    def list_reviews(
        self, *, status: str | None, ticket_id: str | None, limit: int
    ) -> list[dict[str, Any]]:
        """Reviews, the most urgent first: suggested priority, then the oldest."""
        c = t.triage_reviews.c
        query = select(t.triage_reviews)
        if status is not None:
            query = query.where(c.status == status)
        if ticket_id is not None:
            query = query.where(c.ticket_id == ticket_id)
        urgency = (c.field != "priority", c.suggested)  # priority reviews, P1 first
        query = query.order_by(*urgency, c.created_at, c.id).limit(limit)
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def lock_review(self, review_id: int) -> dict[str, Any] | None:
        query = select(t.triage_reviews).where(t.triage_reviews.c.id == review_id).with_for_update()
        row = self.connection.execute(query).first()
        return None if row is None else dict(row._mapping)

    def decide_review(
        self, review_id: int, *, status: str, final: str, by: str, at: datetime, note: str | None
    ) -> None:
        self.connection.execute(
            update(t.triage_reviews)
            .where(t.triage_reviews.c.id == review_id)
            .values(status=status, final=final, decided_by=by, decided_at=at, note=note)
        )

    def pending_reviews_for(self, ticket_id: str) -> int:
        c = t.triage_reviews.c
        count = self.connection.scalar(
            select(func.count()).where(c.ticket_id == ticket_id, c.status == "pending")
        )
        return int(count or 0)

    def review_counts(
        self, *, since: datetime | None, until: datetime | None
    ) -> list[tuple[str, str, int]]:
        """(field, status, count) of the reviews created in [since, until)."""
        c = t.triage_reviews.c
        query = select(c.field, c.status, func.count()).group_by(c.field, c.status)
        if since is not None:
            query = query.where(c.created_at >= since)
        if until is not None:
            query = query.where(c.created_at < until)
        return [(f, s, int(n)) for f, s, n in self.connection.execute(query)]
