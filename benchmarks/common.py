"""Shared plumbing: figures, fresh databases, the synthetic data set, timing helpers."""

from __future__ import annotations

import math
import os
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, text

from fairlane.adapters.db.engine import make_engine, normalise_url, upgrade_database
from fairlane.bootstrap import Application, bootstrap
from fairlane.clock import FixedClock
from fairlane.config import Settings
from fairlane.demo.synthetic import generate_organisation, generate_tickets
from fairlane.services.accounts import upsert_accounts
from fairlane.services.schemas import AccountIn

__all__ = [
    "ACCOUNTS",
    "CHUNK",
    "Dataset",
    "Figure",
    "benchmark_end",
    "fresh_database",
    "make_dataset",
    "open_app",
    "open_floor_engine",
    "peak_rss_mib",
    "percentile",
    "postgres_url",
    "progress",
    "run_in_child",
    "seed_accounts",
]

ACCOUNTS = 500
CHUNK = 1_000
WEEKS = 3
T = TypeVar("T")


@dataclass(frozen=True)
class Figure:
    """One row of the report: a value beside its same-run baseline (ratio = value / baseline)."""

    benchmark: str
    database: str
    figure: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_label: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


# Spawned children inherit the environment, so their progress lines share the parent's timer.
_STARTED = float(os.environ.setdefault("FAIRLANE_BENCH_STARTED", str(time.time())))


def progress(message: str) -> None:
    """One line per phase, with the time since the benchmark run started."""
    print(f"[{time.time() - _STARTED:7.1f}s] {message}", flush=True)


def benchmark_end() -> datetime:
    """The instant the synthetic history ends and the benchmark clock stands at.

    The top of the current hour: tickets are never in the future for the fixed clock nor for
    the HTTP server's system clock.
    """
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class Dataset:
    end: datetime
    accounts: list[dict[str, object]]
    tickets: list[dict[str, object]]


def make_dataset(count: int, *, seed: int, end: datetime) -> Dataset:
    """500 accounts and ``count`` tickets over the three weeks before ``end``."""
    org = generate_organisation(
        seed=seed, end_at=end, accounts=ACCOUNTS, weeks=WEEKS, tickets_per_week=0
    )
    tickets = generate_tickets(
        seed=seed,
        accounts=org.accounts,
        count=count,
        start_at=end - timedelta(weeks=WEEKS),
        end_at=end,
    )
    return Dataset(end, org.accounts, tickets)


def postgres_url() -> str | None:
    return os.environ.get("FAIRLANE_BENCH_POSTGRES_URL") or os.environ.get(
        "FAIRLANE_TEST_POSTGRES_URL"
    )


@contextmanager
def fresh_database(kind: str, label: str) -> Iterator[str]:
    """A new, empty database URL: an SQLite file in a temp dir, or a fresh PostgreSQL schema."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"fairlane-bench-{label}-") as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    base = postgres_url()
    if base is None:
        raise RuntimeError("set FAIRLANE_BENCH_POSTGRES_URL or FAIRLANE_TEST_POSTGRES_URL")
    schema = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_url(base))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def open_app(url: str, end: datetime) -> Application:
    """The wired application (schema migrated, policy registered) on a clock fixed at ``end``."""
    return bootstrap(Settings(database_url=url), clock=FixedClock(end))


def open_floor_engine(url: str) -> Engine:
    """An engine like the application's (same pragmas) on a freshly migrated schema."""
    engine = make_engine(url)
    upgrade_database(engine)
    return engine


def seed_accounts(app: Application, accounts: Sequence[dict[str, object]]) -> None:
    upsert_accounts(
        [AccountIn.model_validate(a) for a in accounts],
        uow=app.uow,
        clock=app.clock,
        policy=app.policy,
        actor="bench",
    )


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``values``."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def peak_rss_mib() -> float:
    """This process's peak resident set size so far (getrusage; KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_in_child(function: Callable[..., T], *args: Any) -> T:
    """Run ``function(*args)`` in a fresh (spawned) process: its peak RSS is its own."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()
