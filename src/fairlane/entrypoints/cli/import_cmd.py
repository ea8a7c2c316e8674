"""``fairlane import``: accounts and tickets from CSV, JSON or JSON Lines."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from fairlane.adapters.files import Row, read_rows
from fairlane.entrypoints.cli.common import (
    DatabaseOption,
    PolicyOption,
    console,
    open_application,
    report,
    reporting_errors,
)
from fairlane.errors import FieldProblem, NotFound, ValidationFailed
from fairlane.services.bulk import import_accounts, import_tickets
from fairlane.services.health import HealthSignalIn, record_health
from fairlane.services.imports import validate_records

app = typer.Typer(
    help="Import accounts and tickets from .csv, .json or .jsonl files.", no_args_is_help=True
)


@app.command("accounts")
def accounts(
    file: Path = typer.Argument(..., help="Accounts file: .csv, .json (array) or .jsonl."),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Create or update accounts, all or nothing.

    Columns: id, name, segment (enterprise | mid-market | digital-first) are required; plan, arr,
    acv, currency, renewal_on (YYYY-MM-DD), is_strategic, strategic_reason, csm_owner,
    email_domains, client_ids, requester_tags, tags (lists separated by ';'), health_score,
    health_scored_at (ISO 8601 with offset) are optional. If any row is invalid, every problem
    is listed with its line and column and nothing is imported (exit code 3).
    """
    with reporting_errors():
        rows = read_rows(file, collection="accounts")
        application = open_application(database, policy)
        with _progress() as bar:
            task = bar.add_task("validating and importing accounts", total=len(rows))
            result = import_accounts(
                rows,
                uow=application.uow,
                clock=application.clock,
                policy=application.policy,
                actor="cli:import",
            )
            bar.update(task, completed=len(rows))
    console.print(
        f"[green]imported[/] {file}: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged"
    )


@app.command("tickets")
def tickets(
    file: Path = typer.Argument(..., help="Tickets file: .csv, .json (array) or .jsonl."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Import the valid rows and list the rejected ones."
    ),
    use_crm: bool = typer.Option(
        True, "--crm/--no-crm", help="Ask the configured CRM hook about each requester."
    ),
    batch_size: int = typer.Option(
        1000, "--batch-size", min=1, max=10_000, help="Tickets per transaction."
    ),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Run every ticket through intake: account match, priority, VIP, lane, SLA, audit.

    Columns: source, external_id and a subject or body are required; requester_email,
    requester_client_id, requester_tags, account_id, created_at (ISO 8601 with offset), channel
    and team are optional. Re-importing the same file only counts duplicates. Invalid rows stop
    the import before anything is written (exit 3) unless --skip-invalid.
    """
    with reporting_errors():
        rows = read_rows(file, collection="tickets")
        application = open_application(database, policy)
        with _progress() as bar:
            task = bar.add_task("deciding tickets", total=len(rows))
            result = import_tickets(
                rows,
                uow=application.uow,
                policy=application.policy,
                clock=application.clock,
                crm=application.crm if use_crm else None,
                actor="cli:import",
                batch_size=batch_size,
                skip_invalid=skip_invalid,
                progress=lambda n: bar.advance(task, n),
            )
    console.print(
        f"[green]imported[/] {file}: {result.accepted} accepted, "
        f"{result.duplicates} already known, {len(result.rejected)} rejected"
    )
    if result.rejected:
        report(ValidationFailed("Rejected rows (skipped, not imported):", result.rejected))


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


@app.command("health")
def health(
    file: Path = typer.Argument(..., help="Health readings: .csv, .json (array) or .jsonl."),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Record health component readings (A3): columns account_id, measured_at (ISO 8601 with
    offset) and any of usage, support, executive, financial (0-100). Each row is scored with
    the account segment's weights, kept in the history, checked against the alert triggers
    (A4) and tightens the account's open tickets when health is low (S2). Every row is checked
    first; nothing is recorded when one is bad (exit 3)."""
    with reporting_errors():
        rows = read_rows(file, collection="health")
        problems: list[FieldProblem] = []
        parsed: list[tuple[int, str, HealthSignalIn]] = []
        for row in rows:
            data = dict(row.data)
            account_id = str(data.pop("account_id", "") or "")
            if not account_id:
                problems.append(
                    FieldProblem(("account_id",), "required", line=row.line, column="account_id")
                )
                continue
            valid, found = validate_records([Row(row.line, data)], HealthSignalIn)
            problems += found
            parsed += [(line, account_id, signal) for line, signal in valid]
        if problems:
            raise ValidationFailed(f"{len(problems)} problem(s); nothing was recorded.", problems)
        application = open_application(database, policy)
        alerts = 0
        with _progress() as bar:
            task = bar.add_task("scoring health", total=len(parsed))
            for line, account_id, signal in parsed:
                try:
                    outcome = record_health(
                        account_id,
                        signal,
                        uow=application.uow,
                        policy=application.policy,
                        clock=application.clock,
                        actor="cli:import",
                    )
                except NotFound as exc:
                    raise ValidationFailed(
                        f"Line {line}: {exc.detail} Rows before it were recorded.",
                        [FieldProblem(("account_id",), exc.detail, line=line, column="account_id")],
                    ) from None
                alerts += len(outcome.alerts)
                bar.advance(task)
    console.print(f"[green]recorded[/] {len(parsed)} health readings; {alerts} alerts raised")
