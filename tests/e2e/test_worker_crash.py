"""Killing a real worker process (kill -9) mid-batch loses no step and fires none twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fairlane.adapters.db import tables as t
from fairlane.bootstrap import Application, bootstrap
from fairlane.clock import FixedClock
from fairlane.config import Settings
from fairlane.services.intake import accept_tickets
from fairlane.services.schemas import TicketIn
from tests.conftest import ticket_data

TICKETS = 1500
STEPS = TICKETS * 2 * 2  # two clocks each, a warning and a breach each
FAIRLANE = str(Path(sys.executable).with_name("fairlane"))


def _steps(app: Application) -> tuple[int, int]:
    """(audited steps, distinct (ticket, clock, step) triples)."""
    a = t.audit_entries.c
    steps = select(a.ticket_id, a.action, a.outcome).where(
        a.action.in_(["sla.warning", "sla.breached"])
    )
    with app.engine.connect() as connection:
        rows = connection.execute(steps).all()
    return len(rows), len({(r.ticket_id, r.action, r.outcome["clock"]) for r in rows})


def _worker(database_url: str, *, capture: bool = True) -> subprocess.Popen[bytes]:
    env = {**os.environ, "FAIRLANE_DATABASE_URL": database_url}
    return subprocess.Popen(
        [FAIRLANE, "worker", "--once", "--batch-size", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if capture else subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_killed_worker_resumes_without_losing_or_repeating_a_step(database_url: str) -> None:
    # Tickets from January 2026: every clock's warning and breach is long past due.
    clock = FixedClock(datetime(2026, 1, 5, 14, 0, tzinfo=UTC))
    app = bootstrap(Settings(database_url=database_url), clock=clock)
    try:
        tickets = [
            TicketIn.model_validate(
                ticket_data(external_id=str(n), created_at="2026-01-05T14:00:00Z")
            )
            for n in range(TICKETS)
        ]
        accept_tickets(tickets, uow=app.uow, policy=app.policy, clock=clock)

        victim = _worker(database_url, capture=False)
        for _ in range(3000):  # wait (at most ~30 s) until it is part-way through
            if _steps(app)[0] > 0:
                break
            time.sleep(0.01)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        done_before_restart, _ = _steps(app)
        assert 0 < done_before_restart < STEPS, "the kill should land mid-run"

        survivors = [_worker(database_url) for _ in range(2 if "postgresql" in database_url else 1)]
        for survivor in survivors:
            _, stderr = survivor.communicate(timeout=120)
            assert survivor.returncode == 0, stderr.decode()

        total, distinct = _steps(app)
        assert total == distinct == STEPS
        with app.engine.connect() as connection:
            events = connection.scalar(
                select(func.count()).where(
                    t.outbox.c.event_type.in_(["sla.warning", "sla.breached"])
                )
            )
            pending = connection.scalar(
                select(func.count()).where(t.sla_clocks.c.next_action_at.is_not(None))
            )
        assert events == STEPS
        assert pending == 0
    finally:
        app.close()
