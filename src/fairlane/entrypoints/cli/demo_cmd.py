"""``fairlane demo``: a synthetic organisation through intake, a summary, then the API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from sqlalchemy.engine import make_url

from fairlane.clock import SystemClock
from fairlane.demo.summary import print_summary
from fairlane.demo.synthetic import generate_organisation
from fairlane.entrypoints.cli.common import (
    PolicyOption,
    console,
    open_application,
    reporting_errors,
)
from fairlane.entrypoints.cli.import_cmd import _progress
from fairlane.entrypoints.cli.serve_cmd import run_server
from fairlane.errors import ValidationFailed
from fairlane.services.accounts import upsert_accounts
from fairlane.services.bulk import young_collections_only
from fairlane.services.intake import accept_tickets
from fairlane.services.keys import Role, create_key
from fairlane.services.schemas import AccountIn, TicketIn
from fairlane.services.tickets import list_queue

DEMO_DATABASE = "sqlite:///fairlane-demo.db"


def demo(
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the API afterwards."),
    accounts: int = typer.Option(500, min=10, max=50_000, help="Accounts to generate."),
    weeks: int = typer.Option(3, min=1, max=52, help="Weeks of ticket history."),
    tickets_per_week: int = typer.Option(400, min=1, max=100_000),
    seed: int = typer.Option(7, help="Random seed: the same seed gives the same organisation."),
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000, min=1, max=65535),
    database: str = typer.Option(
        DEMO_DATABASE,
        "--database",
        help="Where the demo writes; an SQLite file is recreated each run.",
    ),
    policy: Path | None = PolicyOption,
) -> None:
    """Generate a support organisation, run every ticket through intake, print what was decided
    and why, then serve the API with interactive docs (--no-serve exits instead)."""
    with reporting_errors():
        _reset_sqlite(database)
        application = open_application(database, policy)
        with application.uow() as store:
            if store.ticket_summary()["by_lane_priority"]:
                raise ValidationFailed(
                    "The demo needs an empty database; point --database at a new "
                    "one (SQLite files are recreated automatically)."
                )
        now = SystemClock().now()
        org = generate_organisation(
            seed=seed,
            end_at=now.replace(minute=0, second=0, microsecond=0),
            accounts=accounts,
            weeks=weeks,
            tickets_per_week=tickets_per_week,
        )
        console.print(
            f"generated {len(org.accounts)} accounts, {len(org.agents)} agents and "
            f"{len(org.tickets)} tickets (seed {seed})"
        )
        upsert_accounts(
            [AccountIn.model_validate(a) for a in org.accounts],
            uow=application.uow,
            clock=application.clock,
            policy=application.policy,
            actor="demo",
        )
        with application.uow() as store:
            store.upsert_agents(org.agents)
        tickets = [TicketIn.model_validate(t) for t in org.tickets]
        with _progress() as bar, young_collections_only() as collected:
            task = bar.add_task("deciding tickets", total=len(tickets))
            for start in range(0, len(tickets), 500):
                chunk = tickets[start : start + 500]
                accept_tickets(
                    chunk,
                    uow=application.uow,
                    policy=application.policy,
                    clock=application.clock,
                    crm=application.crm,
                    actor="demo",
                )
                collected()
                bar.advance(task, len(chunk))
        rows = list_queue(
            uow=application.uow, policy=application.policy, team=None, limit=len(tickets)
        )
        print_summary(console, rows, application.policy)
        key = create_key(name="demo", role=Role.ADMIN, uow=application.uow, clock=application.clock)
    console.rule("[bold]Try it[/]")
    console.print(f"database: {database}   (generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")
    console.print(f"admin API key for this demo database: [bold]{key.secret}[/]")
    console.print("  fairlane tickets queue --database " + database)
    console.print(f"  fairlane tickets show {rows[0]['id']} --database {database}" if rows else "")
    if serve:
        run_server(application, host=host, port=port)


def _reset_sqlite(database: str) -> None:
    url = make_url(database)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    for suffix in ("", "-wal", "-shm"):
        Path(url.database + suffix).unlink(missing_ok=True)
