"""HTTP single-ticket intake against the real server (``fairlane serve``), open-loop paced.

Each request has a scheduled send instant (start + i / rate). When a request is late because
the one before it was slow, its latency is still measured from its scheduled instant, so a
stall counts against every request it delayed (no coordinated omission).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx

from benchmarks.common import Figure, fresh_database, make_dataset, open_app, percentile, progress
from benchmarks.common import seed_accounts as seed
from fairlane.services.keys import Role, create_key

__all__ = ["CO_NOTE", "run_http"]

NAME = "HTTP intake"
SEED = 13
WARM_UP = 20
TARGET_P99_MS = 50.0
CO_NOTE = (
    "HTTP latencies are measured from each request's scheduled send instant (open-loop pacing, "
    "one keep-alive httpx.Client), so a late request's queueing delay counts: no coordinated "
    "omission."
)
Send = Callable[[httpx.Client], httpx.Response]


@dataclass
class Paced:
    latencies: list[float]  # scheduled instant -> response read
    service: list[float]  # actual send -> response read
    elapsed: float  # first scheduled instant -> last response
    late: int  # sent more than 1 ms after its scheduled instant
    errors: int
    first_error: str

    @property
    def achieved(self) -> float:
        return len(self.latencies) / self.elapsed


def run_http(kind: str, rate: float, seconds: float, end: datetime) -> list[Figure]:
    count = max(1, round(rate * seconds))
    progress(f"{NAME} [{kind}]: generating {count:,} tickets (+{WARM_UP} warm-up)")
    data = make_dataset(count + WARM_UP, seed=SEED, end=end)
    with fresh_database(kind, "http") as url:
        app = open_app(url, end)
        try:
            seed(app, data.accounts)
            key = create_key(name="bench", role=Role.INTEGRATION, uow=app.uow, clock=app.clock)
        finally:
            app.close()
        with _server(url) as base, httpx.Client(base_url=base, timeout=30) as client:
            headers = {"Authorization": f"Bearer {key.secret}"}
            healthz: list[Send] = [lambda c: c.get("/healthz")] * (count + WARM_UP)
            posts: list[Send] = [
                lambda c, body=body: c.post("/v1/tickets", json=body, headers=headers)
                for body in data.tickets
            ]
            progress(f"{NAME} [{kind}]: baseline GET /healthz at {rate:g}/s for {seconds:g} s")
            floor = _paced(client, rate, healthz)
            progress(f"{NAME} [{kind}]: POST /v1/tickets at {rate:g}/s for {seconds:g} s")
            tickets = _paced(client, rate, posts)
    for label, result in (("GET /healthz", floor), ("POST /v1/tickets", tickets)):
        progress(
            f"{NAME} [{kind}]: {label}: p99 {percentile(result.latencies, 99) * 1000:.1f} ms, "
            f"{result.achieved:.1f} req/s, {result.late} late, {result.errors} errors "
            f"{result.first_error}"
        )
    return _figures(kind, rate, tickets, floor)


def _paced(client: httpx.Client, rate: float, sends: Sequence[Send]) -> Paced:
    """The first WARM_UP sends are unpaced warm-up; the rest are paced and measured."""
    for send in sends[:WARM_UP]:
        send(client).raise_for_status()
    interval = 1 / rate
    start = time.perf_counter() + 0.05
    result = Paced([], [], 0.0, 0, 0, "")
    done = start
    for i, send in enumerate(sends[WARM_UP:]):
        scheduled = start + i * interval
        now = time.perf_counter()
        if now < scheduled:
            time.sleep(scheduled - now)
        elif now - scheduled > 0.001:
            result.late += 1
        sent = time.perf_counter()
        response = send(client)
        done = time.perf_counter()
        result.latencies.append(done - scheduled)
        result.service.append(done - sent)
        if response.status_code >= 300:
            result.errors += 1
            result.first_error = result.first_error or f"{response.status_code} {response.text}"
    result.elapsed = done - start
    return result


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _command(url: str, port: int) -> list[str]:
    script = Path(sys.executable).with_name("fairlane")
    cli = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from fairlane.entrypoints.cli.main import app; app()"]
    )
    return [*cli, "serve", "--database", url, "--host", "127.0.0.1", "--port", str(port)]


@contextmanager
def _server(url: str) -> Iterator[str]:
    """``fairlane serve`` on a free port; always stopped on the way out, errors included."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="fairlane-bench-server-") as tmp:
        log_path = Path(tmp) / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                _command(url, port), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        try:
            _wait_ready(base, process, log_path)
            progress(f"{NAME}: server pid {process.pid} ready on {base}")
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            progress(f"{NAME}: server pid {process.pid} stopped (exit {process.returncode})")


def _wait_ready(base: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early:\n{log_path.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within 60 s:\n{log_path.read_text()[-2000:]}")


def _figures(kind: str, rate: float, tickets: Paced, floor: Paced) -> list[Figure]:
    label = "GET /healthz, same pacing, same server"
    figures = []
    for q in (50, 95, 99):
        value = percentile(tickets.latencies, q) * 1000
        figures.append(
            Figure(
                NAME,
                kind,
                f"POST /v1/tickets p{q}",
                value,
                "ms",
                percentile(floor.latencies, q) * 1000,
                label,
                target=f"< {TARGET_P99_MS:g} ms" if q == 99 else "",
                met=value < TARGET_P99_MS if q == 99 else None,
                note=(
                    f"{tickets.late} of {len(tickets.latencies)} requests sent > 1 ms after "
                    f"their scheduled instant (healthz: {floor.late}); slowest POST "
                    f"{max(tickets.service) * 1000:.0f} ms from send, "
                    f"{max(tickets.latencies) * 1000:.0f} ms from schedule"
                    if q == 99
                    else ""
                ),
            )
        )
    for q in (50, 99):
        figures.append(
            Figure(
                NAME,
                kind,
                f"POST service time p{q} (from actual send)",
                percentile(tickets.service, q) * 1000,
                "ms",
                percentile(floor.service, q) * 1000,
                label,
            )
        )
    figures.append(
        Figure(
            NAME,
            kind,
            "achieved rate",
            tickets.achieved,
            "req/s",
            floor.achieved,
            label,
            target=f"{rate:g} req/s",
            met=tickets.achieved >= 0.98 * rate,
        )
    )
    figures.append(
        Figure(
            NAME,
            kind,
            "non-2xx responses",
            tickets.errors,
            "",
            floor.errors,
            label,
            target="0",
            met=tickets.errors == 0,
            note=tickets.first_error[:200],
        )
    )
    return figures
