"""``fairlane worker``: keeps time for every open ticket."""

from __future__ import annotations

import signal
import threading
from datetime import timedelta
from pathlib import Path
from types import FrameType

import typer

from fairlane.clock import SystemClock
from fairlane.entrypoints.cli.common import (
    DatabaseOption,
    PolicyOption,
    console,
    open_application,
    reporting_errors,
)
from fairlane.services.worker import next_wake_at, run_due


def worker(
    once: bool = typer.Option(False, "--once", help="Process what is due now, then exit."),
    batch_size: int = typer.Option(
        100, "--batch-size", min=1, max=10_000, help="Clocks per transaction."
    ),
    max_sleep: float = typer.Option(
        30.0,
        "--max-sleep",
        min=0.1,
        max=3600,
        help="Longest nap between passes, in seconds (new tickets "
        "may be due sooner than anything known at sleep time).",
    ),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Fire SLA warnings (75% of a clock) and breaches exactly once, each audited and put on the
    outbox. Sleeps until the next due instant (read from an index). Missed deadlines are
    processed on start-up, stamped with the instant they were due. Several workers may run
    against PostgreSQL at once (row locks with SKIP LOCKED); SQLite supports one."""
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with reporting_errors():
        application = open_application(database, policy)
    clock = SystemClock()
    console.print(f"worker started (policy {application.policy.ref})")
    while not stop.is_set():
        result = run_due(
            uow=application.uow, policy=application.policy, clock=clock, batch_size=batch_size
        )
        if result.clocks_seen:
            console.print(
                f"processed {result.clocks_seen} due clocks: {result.warnings} "
                f"warnings, {result.breaches} breaches",
                highlight=False,
            )
        if once:
            break
        wake = next_wake_at(uow=application.uow)
        nap = max_sleep if wake is None else (wake - clock.now()) / timedelta(seconds=1)
        stop.wait(min(max_sleep, max(0.05, nap)))
    application.close()
