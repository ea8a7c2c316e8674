"""Single-ticket intake through the service layer (accept_ticket, one transaction each)."""

from __future__ import annotations

import time
from datetime import datetime

from benchmarks.common import (
    Figure,
    fresh_database,
    make_dataset,
    open_app,
    open_floor_engine,
    percentile,
    progress,
    seed_accounts,
)
from benchmarks.floor import Rows, insert_rows, outbox_chunks, read_rows
from fairlane.services.intake import accept_ticket
from fairlane.services.schemas import TicketIn

__all__ = ["run_single"]

NAME = "single intake"
SEED = 11
WARM_UP = 20


def run_single(kind: str, count: int, end: datetime) -> list[Figure]:
    progress(f"{NAME} [{kind}]: generating {count:,} tickets (+{WARM_UP} warm-up)")
    data = make_dataset(count + WARM_UP, seed=SEED, end=end)
    tickets = [TicketIn.model_validate(record) for record in data.tickets]
    with fresh_database(kind, "single") as url:
        app = open_app(url, end)
        try:
            seed_accounts(app, data.accounts)
            progress(f"{NAME} [{kind}]: accept_ticket one by one, one transaction each")
            latencies: list[float] = []
            started = 0.0
            for position, ticket in enumerate(tickets):
                if position == WARM_UP:
                    started = time.perf_counter()
                sent = time.perf_counter()
                accept_ticket(ticket, uow=app.uow, policy=app.policy, clock=app.clock)
                if position >= WARM_UP:
                    latencies.append(time.perf_counter() - sent)
            service_s = time.perf_counter() - started
            rows = [read_rows(app.engine, events) for events in outbox_chunks(app.engine, 1)]
        finally:
            app.close()
    progress(f"{NAME} [{kind}]: {count:,} tickets in {service_s:.2f} s; floor: raw inserts")
    if [r.counts() for r in rows] != [(1, 5, 1, 2)] * len(tickets):
        raise RuntimeError(
            "expected one ticket row, five audit rows, one event and two clocks per ticket"
        )
    floor_latencies, floor_s = _floor(kind, rows)
    return _figures(kind, count, service_s, latencies, floor_s, floor_latencies)


def _floor(kind: str, rows: list[Rows]) -> tuple[list[float], float]:
    """The same rows, ticket by ticket, one transaction each, into a fresh database."""
    with fresh_database(kind, "single_floor") as url:
        engine = open_floor_engine(url)
        try:
            latencies: list[float] = []
            started = 0.0
            for position, ticket_rows in enumerate(rows):
                if position == WARM_UP:
                    started = time.perf_counter()
                sent = time.perf_counter()
                insert_rows(engine, ticket_rows)
                if position >= WARM_UP:
                    latencies.append(time.perf_counter() - sent)
            total = time.perf_counter() - started
        finally:
            engine.dispose()
    return latencies, total


def _figures(
    kind: str,
    count: int,
    service_s: float,
    latencies: list[float],
    floor_s: float,
    floor_latencies: list[float],
) -> list[Figure]:
    label = (
        "raw Core insert of the same rows (1 ticket + 2 clocks + 5 audit + 1 outbox), 1 txn each"
    )
    figures = [
        Figure(
            NAME,
            kind,
            f"{count:,} tickets: tickets/s",
            count / service_s,
            "/s",
            count / floor_s,
            label,
            note=f"{WARM_UP} warm-up tickets not counted",
        )
    ]
    for q in (50, 99):
        figures.append(
            Figure(
                NAME,
                kind,
                f"p{q} latency",
                percentile(latencies, q) * 1000,
                "ms",
                percentile(floor_latencies, q) * 1000,
                label,
            )
        )
    return figures
