"""The floor: the rows intake wrote, read back and inserted again with plain SQLAlchemy Core."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select

from fairlane.adapters.db import tables as t

__all__ = ["Rows", "insert_rows", "outbox_chunks", "read_rows"]

_AUDIT_COLUMNS = [c for c in t.audit_entries.c if c.name != "id"]
_OUTBOX_COLUMNS = [c for c in t.outbox.c if c.name != "id"]
_REVIEW_COLUMNS = [c for c in t.triage_reviews.c if c.name != "id"]


@dataclass
class Rows:
    """The rows intake wrote for some tickets (audit, outbox and reviews without their serial
    ids)."""

    tickets: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    outbox: list[dict[str, Any]]
    clocks: list[dict[str, Any]]
    reviews: list[dict[str, Any]]

    def counts(self) -> tuple[int, int, int, int, int]:
        return (
            len(self.tickets),
            len(self.audit),
            len(self.outbox),
            len(self.clocks),
            len(self.reviews),
        )


def outbox_chunks(engine: Engine, size: int) -> Iterator[list[dict[str, Any]]]:
    """``ticket.created`` events in the order intake wrote them, ``size`` at a time."""
    last = 0
    query = select(t.outbox.c.id, *_OUTBOX_COLUMNS).where(t.outbox.c.event_type == "ticket.created")
    while True:
        with engine.connect() as connection:
            rows = (
                connection.execute(
                    query.where(t.outbox.c.id > last).order_by(t.outbox.c.id).limit(size)
                )
                .mappings()
                .all()
            )
        if not rows:
            return
        last = rows[-1]["id"]
        yield [{k: v for k, v in row.items() if k != "id"} for row in rows]


def read_rows(engine: Engine, events: Sequence[dict[str, Any]]) -> Rows:
    """The ticket and audit rows of the tickets these ``ticket.created`` events announce."""
    ids = [event["subject_id"] for event in events]
    with engine.connect() as connection:
        tickets = {
            row["id"]: dict(row)
            for row in connection.execute(select(t.tickets).where(t.tickets.c.id.in_(ids)))
            .mappings()
            .all()
        }
        audit = (
            connection.execute(
                select(*_AUDIT_COLUMNS)
                .where(t.audit_entries.c.ticket_id.in_(ids))
                .order_by(t.audit_entries.c.id)
            )
            .mappings()
            .all()
        )
        clocks = (
            connection.execute(select(t.sla_clocks).where(t.sla_clocks.c.ticket_id.in_(ids)))
            .mappings()
            .all()
        )
        reviews = (
            connection.execute(
                select(*_REVIEW_COLUMNS).where(t.triage_reviews.c.ticket_id.in_(ids))
            )
            .mappings()
            .all()
        )
    return Rows(
        [tickets[i] for i in ids],
        [dict(r) for r in audit],
        list(events),
        [dict(c) for c in clocks],
        [dict(r) for r in reviews],
    )


def insert_rows(engine: Engine, rows: Rows) -> None:
    """Plain Core executemany of the rows, all in one transaction."""
    with engine.begin() as connection:
        if rows.tickets:
            connection.execute(insert(t.tickets), rows.tickets)
        if rows.clocks:
            connection.execute(insert(t.sla_clocks), rows.clocks)
        if rows.audit:
            connection.execute(insert(t.audit_entries), rows.audit)
        if rows.outbox:
            connection.execute(insert(t.outbox), rows.outbox)
        if rows.reviews:
            connection.execute(insert(t.triage_reviews), rows.reviews)
