"""Batch import through the service layer (accept_tickets in chunks) against its raw-insert floor.

Runs in a spawned child process (see ``__main__``) so the peak RSS it reports is its own.
"""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import Engine

from benchmarks.common import (
    CHUNK,
    Figure,
    fresh_database,
    make_dataset,
    open_app,
    open_floor_engine,
    peak_rss_mib,
    progress,
    seed_accounts,
)
from benchmarks.floor import Rows, insert_rows, outbox_chunks, read_rows
from fairlane.bootstrap import Application
from fairlane.services.bulk import young_collections_only
from fairlane.services.intake import accept_tickets
from fairlane.services.schemas import TicketIn

__all__ = ["TARGET_SECONDS_PER_100K", "run_batch"]

NAME = "batch import"
TARGET_SECONDS_PER_100K = 60.0
SEED = 7


def run_batch(kind: str, count: int, end: datetime) -> list[Figure]:
    progress(f"{NAME} [{kind}]: generating 500 accounts and {count:,} tickets")
    data = make_dataset(count, seed=SEED, end=end)
    started = time.perf_counter()
    tickets = [TicketIn.model_validate(record) for record in data.tickets]
    validation_s = time.perf_counter() - started
    with fresh_database(kind, "intake") as url:
        app = open_app(url, end)
        try:
            seed_accounts(app, data.accounts)
            rss_before = peak_rss_mib()
            progress(f"{NAME} [{kind}]: accept_tickets, {count:,} tickets in chunks of {CHUNK:,}")
            intake_s, accepted, problems = _import(app, tickets, kind)
            rss_peak = peak_rss_mib()
            del tickets
            progress(
                f"{NAME} [{kind}]: {accepted:,} accepted, {problems} problems in {intake_s:.1f} s "
                f"({accepted / intake_s:,.0f} tickets/s); peak RSS {rss_peak:,.0f} MiB"
            )
            floor_s, written = _floor(app.engine, kind, count)
        finally:
            app.close()
    if accepted != count or problems or written != (count, 5 * count, count):
        raise RuntimeError(
            f"expected {count} tickets accepted with 5 audit rows and 1 event each; "
            f"got {accepted} accepted, {problems} problems, rows written {written}"
        )
    return _figures(kind, count, intake_s, floor_s, rss_before, rss_peak, validation_s)


def _import(app: Application, tickets: list[TicketIn], kind: str) -> tuple[float, int, int]:
    accepted = problems = 0
    step = max(1, len(tickets) // CHUNK // 10) * CHUNK
    started = time.perf_counter()
    with young_collections_only() as collected:  # as import_tickets (`fairlane import`) does
        for start in range(0, len(tickets), CHUNK):
            outcomes = accept_tickets(
                tickets[start : start + CHUNK],
                uow=app.uow,
                policy=app.policy,
                clock=app.clock,
                crm=app.crm,
                actor="bench",
            )
            collected()
            accepted += sum(1 for o in outcomes if o.is_new)
            problems += sum(1 for o in outcomes if o.problem is not None)
            done = start + CHUNK
            if done % step == 0 and done < len(tickets):
                elapsed = time.perf_counter() - started
                progress(f"{NAME} [{kind}]:   {done:,} tickets, {done / elapsed:,.0f}/s so far")
    return time.perf_counter() - started, accepted, problems


def _floor(source: Engine, kind: str, count: int) -> tuple[float, tuple[int, int, int]]:
    """Insert what intake wrote, chunk by chunk, into a fresh database; time the inserts only."""
    progress(f"{NAME} [{kind}]: floor: raw Core executemany of the same rows, same chunks")
    with fresh_database(kind, "floor") as url:
        engine = open_floor_engine(url)
        try:
            total = 0.0
            written = [0, 0, 0, 0, 0]
            step = max(1, count // CHUNK // 10) * CHUNK
            for events in outbox_chunks(source, CHUNK):
                rows: Rows = read_rows(source, events)
                started = time.perf_counter()
                insert_rows(engine, rows)
                total += time.perf_counter() - started
                written = [a + b for a, b in zip(written, rows.counts(), strict=True)]
                if written[0] % step == 0 and written[0] < count:
                    progress(
                        f"{NAME} [{kind}]:   floor {written[0]:,}, {written[0] / total:,.0f}/s"
                    )
        finally:
            engine.dispose()
    tickets, audit, events, clocks, reviews = written
    progress(
        f"{NAME} [{kind}]: floor: {tickets:,} tickets + {clocks:,} SLA clocks + {audit:,} audit "
        f"+ {events:,} outbox + {reviews:,} review rows in {total:.1f} s"
    )
    return total, (tickets, audit, events)


def _figures(
    kind: str,
    count: int,
    intake_s: float,
    floor_s: float,
    rss_before: float,
    rss_peak: float,
    validation_s: float,
) -> list[Figure]:
    floor_label = "raw Core executemany of the same rows, same chunks, fresh database"
    target_s = TARGET_SECONDS_PER_100K * count / 100_000
    on_sqlite = kind == "sqlite"
    return [
        Figure(
            NAME,
            kind,
            f"{count:,} tickets: seconds",
            intake_s,
            "s",
            floor_s,
            floor_label,
            target=f"< {target_s:g} s (100k in 60 s)" if on_sqlite else "",
            met=intake_s < target_s if on_sqlite else None,
        ),
        Figure(
            NAME,
            kind,
            "tickets/s",
            count / intake_s,
            "/s",
            count / floor_s,
            floor_label,
            target=f">= {100_000 / TARGET_SECONDS_PER_100K:,.0f}/s" if on_sqlite else "",
            met=count / intake_s >= 100_000 / TARGET_SECONDS_PER_100K if on_sqlite else None,
        ),
        Figure(
            NAME,
            kind,
            "peak RSS",
            rss_peak,
            "MiB",
            rss_before,
            "peak RSS before the import (input generated + validated, accounts upserted)",
        ),
        Figure(
            NAME,
            kind,
            "TicketIn validation (not in the import time)",
            validation_s,
            "s",
            note=f"{count / validation_s:,.0f} tickets/s",
        ),
    ]
