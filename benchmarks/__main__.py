"""``python -m benchmarks [--only intake|single|http|clocks|triage] [--tickets N] [--no-postgres]``.

Environment: FAIRLANE_BENCH_TICKETS (batch size, default 100,000), FAIRLANE_BENCH_HTTP_SECONDS
(default 20), FAIRLANE_BENCH_POSTGRES_URL or FAIRLANE_TEST_POSTGRES_URL (also run on
PostgreSQL, in a fresh schema per run), FAIRLANE_BENCH_CLOCK_TICKETS (backlog sizes of the
clocks benchmark, comma-separated; default 100,000 and 1,000,000), FAIRLANE_BENCH_CLOCK_PEER=0
(skip its django-helpdesk comparison).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from benchmarks.clocks import clock_sizes, peer_enabled, run_clocks
from benchmarks.common import Figure, benchmark_end, postgres_url, progress, run_in_child
from benchmarks.http_intake import CO_NOTE, run_http
from benchmarks.intake import run_batch
from benchmarks.report import machine, print_table, save_json
from benchmarks.single import run_single
from benchmarks.triage import run_triage

BENCHMARKS = ("intake", "single", "http", "clocks", "triage")
DATABASE_FREE = ("triage",)  # run once, not per database
RESULTS = Path(__file__).with_name("results") / "latest.json"
SINGLE_TICKETS = 1_000
HTTP_RATE = 100.0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--only", choices=BENCHMARKS, action="append", help="Run only this one (repeatable)."
    )
    parser.add_argument(
        "--tickets",
        type=int,
        default=int(os.environ.get("FAIRLANE_BENCH_TICKETS", "100000")),
        help="Tickets in the batch import (default 100,000 or FAIRLANE_BENCH_TICKETS).",
    )
    parser.add_argument(
        "--http-seconds",
        type=float,
        default=float(os.environ.get("FAIRLANE_BENCH_HTTP_SECONDS", "20")),
        help="Seconds per paced HTTP phase (default 20 or FAIRLANE_BENCH_HTTP_SECONDS).",
    )
    parser.add_argument("--no-postgres", action="store_true", help="Skip PostgreSQL.")
    parser.add_argument("--output", type=Path, default=RESULTS, help="Where to save the JSON.")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.tickets < 1 or args.http_seconds <= 0:
        raise SystemExit("--tickets and --http-seconds must be positive")
    selected = args.only or list(BENCHMARKS)
    databases = ["sqlite"]
    if postgres_url() and not args.no_postgres:
        databases.append("postgresql")
    end = benchmark_end()
    progress(
        f"benchmarks {', '.join(selected)} on {', '.join(databases)}; clock fixed at "
        f"{end.isoformat()} (the end of the synthetic history)"
    )
    jobs: dict[str, Callable[[str], list[Figure]]] = {
        "intake": lambda kind: run_in_child(run_batch, kind, args.tickets, end),
        "single": lambda kind: run_single(kind, SINGLE_TICKETS, end),
        "http": lambda kind: run_http(kind, HTTP_RATE, args.http_seconds, end),
        "clocks": lambda kind: run_clocks(kind, clock_sizes(kind), end, peer=peer_enabled()),
    }
    started = time.perf_counter()
    figures: list[Figure] = []
    failures: list[dict[str, str]] = []
    runs = [(name, kind) for kind in databases for name in selected if name not in DATABASE_FREE]
    runs += [(name, "-") for name in selected if name in DATABASE_FREE]
    jobs["triage"] = lambda _kind: run_triage(end)
    for name, kind in runs:
        try:
            figures += jobs[name](kind)
        except Exception as exc:
            traceback.print_exc()
            progress(f"{name} [{kind}] FAILED: {exc!r}")
            failures.append({"benchmark": name, "database": kind, "error": repr(exc)})
    console = Console(width=max(Console().width, 160))
    print_table(console, figures)
    if "http" in selected:
        console.print(f"  {CO_NOTE}")
    save_json(
        args.output,
        {
            "finished_at": datetime.now(UTC).isoformat(),
            "wall_seconds": time.perf_counter() - started,
            "clock": end.isoformat(),
            "config": {
                "benchmarks": selected,
                "databases": databases,
                "batch_tickets": args.tickets,
                "single_tickets": SINGLE_TICKETS,
                "http_rate": HTTP_RATE,
                "http_seconds": args.http_seconds,
                "clock_tickets": {kind: clock_sizes(kind) for kind in databases},
                "clock_peer": peer_enabled(),
            },
            "machine": machine(),
            "figures": [f.as_dict() for f in figures],
            "failures": failures,
        },
    )
    console.print(f"  saved {args.output}")
    for failure in failures:
        console.print(
            "[bold red]FAILED[/] "
            + escape(f"{failure['benchmark']} [{failure['database']}]: {failure['error']}")
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
