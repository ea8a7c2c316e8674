"""``fairlane tickets``: read a ticket's decisions and the queue."""

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
from fairlane.services.tickets import explain, get_ticket, list_queue

app = typer.Typer(
    help="Show tickets with their explanations, and the work queue.", no_args_is_help=True
)


@app.command("show")
def show(
    ticket_id: str = typer.Argument(..., help="A ticket id (tkt_...)."),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Print a ticket with every decision and its reasons."""
    with reporting_errors():
        application = open_application(database, policy)
        row = get_ticket(ticket_id, uow=application.uow)
    console.print(f"[bold]{row['id']}[/] {row['subject']!r} ({row['source']}/{row['external_id']})")
    console.print(
        f"  {row['priority']} {row['lane']} lane, team {row['team']}; first response by "
        f"{row['first_response_due_at']:%Y-%m-%d %H:%M} UTC, resolution by "
        f"{row['resolution_due_at']:%Y-%m-%d %H:%M} UTC"
    )
    for line in explain(row):
        console.print(f"  - {line}", highlight=False)


@app.command("queue")
def queue(
    team: str | None = typer.Option(None, help="Only this team's tickets."),
    limit: int = typer.Option(20, min=1, max=500),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Open tickets in work order: priority first, then VIP lane, then due time (V6)."""
    with reporting_errors():
        application = open_application(database, policy)
        rows = list_queue(uow=application.uow, policy=application.policy, team=team, limit=limit)
    table = Table("#", "ticket", "priority", "lane", "first response due (UTC)", "subject")
    for n, row in enumerate(rows, start=1):
        table.add_row(
            str(n),
            row["id"],
            row["priority"],
            row["lane"],
            f"{row['first_response_due_at']:%Y-%m-%d %H:%M}",
            row["subject"][:60],
        )
    console.print(table)
