"""The SLA clock worker over a large backlog: its cost must follow the due set, not the backlog.

For each backlog size (fresh database each), ``backlog.build_backlog`` builds N open tickets
with their clocks, exactly 1,000 of them due now. Timed: the wake-up query ``next_wake_at``
(p50 of 200 calls) and the pass ``run_due(batch_size=100)`` that fires the 1,000 warnings
(median of 5 passes; the warnings are made pending again between passes). All sizes are built
first and then measured in interleaved rounds. The figure to watch is wake-up + pass at the
largest size against the smallest (target: at most 1.5x for 10x the backlog). The same pass
is compared with django-helpdesk's ``escalate_tickets`` over the same number of open tickets
with 1,000 due (``helpdesk_peer``), and ``recompute`` measures rewriting one account's 10,000
tickets' clocks.
"""

from __future__ import annotations

import os
import statistics
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime

from benchmarks.backlog import DUE, Backlog, build_backlog, reset_due
from benchmarks.common import Figure, fresh_database, open_app, percentile, progress
from benchmarks.helpdesk_peer import PEER_LABEL, PeerUnavailable, run_helpdesk
from benchmarks.recompute import run_recompute
from fairlane.bootstrap import Application, freeze_start_up_heap
from fairlane.clock import FixedClock
from fairlane.services.worker import next_wake_at, run_due

__all__ = ["clock_sizes", "peer_enabled", "run_clocks"]

NAME = "SLA clocks"
DEFAULT_SIZES = {"sqlite": (100_000, 1_000_000), "postgresql": (100_000, 1_000_000)}
REPEATS = 5
PEER_REPEATS = 3
WAKES = 200  # WAKES // REPEATS before each pass
BATCH = 100
RATIO_TARGET = 1.5
PEER_TARGET = 0.01  # fairlane's pass at most 1 % of the peer's: at least 100x faster
BUILD_S_PER_MILLION = 180.0


@dataclass
class SizeResult:
    tickets: int
    build_s: float
    shape: str  # rows per ticket, by table
    rows: int
    wakes: list[float]
    passes: list[float]
    steps: list[int] = field(default_factory=list)

    @property
    def wake_s(self) -> float:
        return percentile(self.wakes, 50)

    @property
    def pass_s(self) -> float:
        return statistics.median(self.passes)

    @property
    def cost_s(self) -> float:
        return self.wake_s + self.pass_s


def clock_sizes(kind: str) -> tuple[int, ...]:
    """FAIRLANE_BENCH_CLOCK_TICKETS (comma-separated) overrides the sizes for both databases."""
    spec = os.environ.get("FAIRLANE_BENCH_CLOCK_TICKETS", "").strip()
    if not spec:
        return DEFAULT_SIZES[kind]
    sizes = tuple(sorted({int(part.replace("_", "")) for part in spec.split(",") if part}))
    if not sizes or sizes[0] <= 2 * DUE:
        raise SystemExit(f"FAIRLANE_BENCH_CLOCK_TICKETS: every size must exceed {2 * DUE:,}")
    return sizes


def peer_enabled() -> bool:
    return os.environ.get("FAIRLANE_BENCH_CLOCK_PEER", "1") != "0"


def run_clocks(kind: str, sizes: tuple[int, ...], end: datetime, *, peer: bool) -> list[Figure]:
    results = _measure(kind, sizes, end)
    figures = _size_figures(kind, results)
    figures += run_recompute(kind, end)
    if peer:
        figures += _peer_figures(kind, results[0], end)
    return figures


def _measure(kind: str, sizes: tuple[int, ...], end: datetime) -> list[SizeResult]:
    """Build every size first (each in its own database), then measure them in interleaved
    rounds, so that a slow spell of a shared machine falls on all sizes alike."""
    with ExitStack() as stack:
        built: list[tuple[Application, Backlog, SizeResult]] = []
        for count in sizes:
            label = f"{NAME} [{kind}] {count:,}"
            app = open_app(stack.enter_context(fresh_database(kind, "clocks")), end)
            stack.callback(app.close)
            progress(f"{label}: building {count:,} open tickets, {DUE:,} of them due")
            backlog = build_backlog(app, end, count, due=DUE, label=label)
            progress(
                f"{label}: built {backlog.rows:,} rows ({backlog.describe()} per ticket) in "
                f"{backlog.build_s:.1f} s"
            )
            result = SizeResult(count, backlog.build_s, backlog.describe(), backlog.rows, [], [])
            built.append((app, backlog, result))
        freeze_start_up_heap()  # as `fairlane worker` does once started
        for repeat in range(REPEATS):
            for app, backlog, result in built:
                if repeat:
                    reset_due(app, backlog.due_ids)
                _round(app, result, end)
                progress(
                    f"{NAME} [{kind}] {result.tickets:,}: round {repeat + 1}/{REPEATS}: "
                    f"pass {result.passes[-1]:.2f} s, wake-up p50 so far "
                    f"{result.wake_s * 1e3:.2f} ms"
                )
    return [result for _, _, result in built]


def _round(app: Application, result: SizeResult, end: datetime) -> None:
    """Some wake-up queries, then one pass over the 1,000 due clocks."""
    for _ in range(WAKES // REPEATS):
        started = time.perf_counter()
        wake = next_wake_at(uow=app.uow)
        result.wakes.append(time.perf_counter() - started)
    if wake is None or wake > end:
        raise RuntimeError(f"next_wake_at gave {wake}, expected an instant before {end}")
    started = time.perf_counter()
    done = run_due(uow=app.uow, policy=app.policy, clock=FixedClock(end), batch_size=BATCH)
    result.passes.append(time.perf_counter() - started)
    result.steps.append(getattr(done, "steps", 0))
    if (done.clocks_seen, done.warnings, done.breaches) != (DUE, DUE, 0):
        raise RuntimeError(f"expected {DUE} clocks and warnings and no breach: {done}")


def _size_figures(kind: str, results: list[SizeResult]) -> list[Figure]:
    base = results[0]
    base_label = f"the same figure at {base.tickets:,} tickets, same run"
    figures: list[Figure] = []
    for r in results:
        other = r is not base
        target_s = BUILD_S_PER_MILLION * r.tickets / 1_000_000
        figures += [
            Figure(
                NAME,
                kind,
                f"build {r.tickets:,} open tickets with their clocks (INSERT ... SELECT)",
                r.build_s,
                "s",
                target=f"< {target_s:g} s (1M in {BUILD_S_PER_MILLION:g} s)",
                met=r.build_s < target_s,
                note=(
                    f"{r.rows:,} rows ({r.shape} per ticket), {r.tickets / r.build_s:,.0f} "
                    "tickets/s, indexes in place"
                ),
            ),
            Figure(
                NAME,
                kind,
                f"{r.tickets:,} tickets: next_wake_at p50",
                r.wake_s * 1e3,
                "ms",
                base.wake_s * 1e3 if other else None,
                base_label if other else "",
                note=(
                    f"p50 {r.wake_s * 1e3:.3f} ms, p99 {percentile(r.wakes, 99) * 1e3:.3f} ms "
                    f"over {WAKES} calls"
                ),
            ),
            Figure(
                NAME,
                kind,
                f"{r.tickets:,} tickets: run_due, {DUE:,} warnings due",
                r.pass_s,
                "s",
                base.pass_s if other else None,
                base_label if other else "",
                note=(
                    f"passes {', '.join(f'{s:.3f}' for s in r.passes)} s (median used); "
                    f"{r.pass_s / DUE * 1e3:.2f} ms per clock; escalation steps {r.steps}"
                ),
            ),
        ]
    if len(results) > 1:
        top = results[-1]
        ratio = top.cost_s / base.cost_s
        figures.append(
            Figure(
                NAME,
                kind,
                f"wake-up + pass: {top.tickets:,} vs {base.tickets:,} tickets",
                top.cost_s,
                "s",
                base.cost_s,
                base_label,
                target=f"<= {RATIO_TARGET:g}x",
                met=ratio <= RATIO_TARGET,
            )
        )
    return figures


def _peer_figures(kind: str, fairlane: SizeResult, end: datetime) -> list[Figure]:
    count = fairlane.tickets
    label = f"{NAME} [{kind}] peer"
    title = f"escalation pass, {count:,} open tickets, {DUE:,} due: fairlane vs django-helpdesk"
    try:
        with fresh_database(kind, "helpdesk") as url:
            runs = run_helpdesk(url, count, DUE, repeats=PEER_REPEATS, label=label)
    except PeerUnavailable as exc:
        progress(f"{label}: django-helpdesk could not run: {exc}")
        return [
            Figure(
                NAME,
                kind,
                title,
                fairlane.pass_s,
                "s",
                target=f"<= {PEER_TARGET:g}x",
                note=f"django-helpdesk could not be installed or run here: {exc}",
            )
        ]
    figures: list[Figure] = []
    for setting, run in runs:
        peer_s = statistics.median(run["seconds"])
        figures.append(
            Figure(
                NAME,
                kind,
                f"{title} ({setting})",
                fairlane.pass_s,
                "s",
                peer_s,
                f"{PEER_LABEL}: call_command('escalate_tickets'), median of {PEER_REPEATS}",
                target=f"<= {PEER_TARGET:g}x (>= {1 / PEER_TARGET:g}x faster)",
                met=fairlane.pass_s / peer_s <= PEER_TARGET,
                note=(
                    f"fairlane {peer_s / fairlane.pass_s:,.1f}x faster; escalate_tickets runs "
                    f"{', '.join(f'{s:.2f}' for s in run['seconds'])} s; pragmas "
                    f"{run['pragmas'] or '-'}; no e-mail recipients (no submitter, owner or CC)"
                ),
            )
        )
    return figures
