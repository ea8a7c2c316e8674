"""``fairlane worker``: keeps time for every open ticket."""

from __future__ import annotations

import signal
import threading
from datetime import timedelta
from pathlib import Path
from types import FrameType

import typer

from fairlane.adapters.webhooks import HttpSender
from fairlane.bootstrap import freeze_start_up_heap
from fairlane.clock import SystemClock
from fairlane.entrypoints.cli.common import (
    DatabaseOption,
    PolicyOption,
    console,
    open_application,
    reporting_errors,
)
from fairlane.services.webhooks import DeliveryPass, deliver_due, fan_out, next_delivery_at
from fairlane.services.worker import next_wake_at, run_due


def worker(
    once: bool = typer.Option(False, "--once", help="Process what is due now, then exit."),
    batch_size: int = typer.Option(
        100, "--batch-size", min=1, max=10_000, help="Clocks per transaction."
    ),
    max_sleep: float = typer.Option(
        5.0,
        "--max-sleep",
        min=0.1,
        max=3600,
        help="Longest nap between passes, in seconds (new tickets "
        "may be due sooner than anything known at sleep time).",
    ),
    webhook_timeout: float = typer.Option(
        5.0, "--webhook-timeout", min=0.1, max=60, help="Seconds to wait for a webhook receiver."
    ),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Keep time for every open ticket and tell the outside world.

    Fires SLA warnings (75% of a clock) and breaches exactly once, each audited and put on the
    outbox, and delivers the outbox to webhook subscribers (signed, retried with backoff, dead-
    lettered after the last attempt). Sleeps until the next due instant (read from an index).
    Missed deadlines are processed on start-up, stamped with the instant they were due. Several
    workers may run against PostgreSQL at once (row locks with SKIP LOCKED); SQLite supports one.
    """
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with reporting_errors():
        application = open_application(database, policy)
    clock = SystemClock()
    sender = HttpSender(timeout_seconds=webhook_timeout)
    freeze_start_up_heap()
    console.print(f"worker started (policy {application.policy.ref})")
    while not stop.is_set():
        result = run_due(
            uow=application.uow, policy=application.policy, clock=clock, batch_size=batch_size
        )
        if result.clocks_seen or result.steps:
            console.print(
                f"processed {result.clocks_seen} due clocks: {result.warnings} "
                f"warnings, {result.breaches} breaches; {result.steps} escalation steps",
                highlight=False,
            )
        fan_out(uow=application.uow, clock=clock)
        sent = deliver_due(
            uow=application.uow, clock=clock, sender=sender, send_timeout_seconds=webhook_timeout
        )
        while once and sent.delivered + sent.failed + sent.dead == 50:
            more = deliver_due(
                uow=application.uow,
                clock=clock,
                sender=sender,
                send_timeout_seconds=webhook_timeout,
            )
            sent = DeliveryPass(
                sent.delivered + more.delivered, sent.failed + more.failed, sent.dead + more.dead
            )
            if more.delivered + more.failed + more.dead < 50:
                break
        if sent.delivered or sent.failed or sent.dead:
            console.print(
                f"webhooks: {sent.delivered} delivered, {sent.failed} to retry, {sent.dead} dead",
                highlight=False,
            )
        if once:
            break
        wake = min(
            (
                w
                for w in (next_wake_at(uow=application.uow), next_delivery_at(uow=application.uow))
                if w is not None
            ),
            default=None,
        )
        nap = max_sleep if wake is None else (wake - clock.now()) / timedelta(seconds=1)
        stop.wait(min(max_sleep, max(0.05, nap)))
    sender.close()
    application.close()
