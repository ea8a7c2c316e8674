"""``fairlane sla``: where a ticket's SLA clocks stand, and why."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from fairlane.entrypoints.cli.common import (
    DatabaseOption,
    PolicyOption,
    console,
    open_application,
    reporting_errors,
)
from fairlane.policy.durations import format_duration
from fairlane.services.events import sla_report

app = typer.Typer(
    help="Explain SLA clocks (first response, next update, resolution).", no_args_is_help=True
)


@app.command("explain")
def explain(
    ticket_id: str = typer.Argument(..., help="A ticket id (tkt_...)."),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Each clock now: target, due instant, business time elapsed and paused, state,
    breached-by, and why the target is what it is."""
    with reporting_errors():
        application = open_application(database, policy)
        report = sla_report(
            ticket_id, uow=application.uow, policy=application.policy, clock=application.clock
        )
    console.print(
        f"[bold]{ticket_id}[/] is {report['status']} "
        f"(as of {report['evaluated_at']:%Y-%m-%d %H:%M} UTC)"
    )
    table = Table("clock", "state", "target", "due (UTC)", "elapsed", "paused", "breached by")
    for clock in report["clocks"]:
        due = clock["due_at"]
        table.add_row(
            clock["kind"].replace("_", " "),
            clock["state"],
            clock["target"],
            f"{due:%Y-%m-%d %H:%M}" if due else "-",
            format_duration(clock["elapsed_seconds"]),
            format_duration(clock["paused_seconds"]),
            format_duration(clock["breached_by_seconds"]) if clock["breached_by_seconds"] else "-",
        )
    console.print(table)
    for clock in report["clocks"]:
        console.print(f"  - {clock['kind'].replace('_', ' ')}: {clock['why']}", highlight=False)
