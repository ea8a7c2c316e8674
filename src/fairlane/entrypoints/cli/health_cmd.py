"""``fairlane health``: check the health score against what customers actually did (A5)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from fairlane.adapters.files import read_rows
from fairlane.entrypoints.cli.common import (
    DatabaseOption,
    PolicyOption,
    console,
    open_application,
    reporting_errors,
)
from fairlane.errors import ValidationFailed
from fairlane.services.health_validation import OutcomeIn, validate_health
from fairlane.services.imports import validate_records

app = typer.Typer(
    help="Account health: validate scores against churn and renewal outcomes.", no_args_is_help=True
)


@app.command("validate")
def validate(
    outcomes: Path = typer.Option(
        ...,
        "--outcomes",
        help="CSV/JSON/JSONL with account_id, "
        "outcome (churned or renewed) and optional outcome_on date.",
    ),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Pair each outcome with the account's last score before it and report discrimination
    (AUC: 1.0 perfect, 0.5 no better than chance) and calibration per score band. Run it each
    quarter with the renewals and churns of the period (A5)."""
    with reporting_errors():
        rows = read_rows(outcomes, collection="outcomes")
        valid, problems = validate_records(rows, OutcomeIn)
        if problems:
            raise ValidationFailed(f"{len(problems)} problem(s) in {outcomes}.", problems)
        application = open_application(database, policy)
        report = validate_health([o for _, o in valid], uow=application.uow)
    console.print(
        f"{report.paired} outcomes paired with a score ({report.churned} churned); "
        f"{len(report.unscored)} accounts had no score before their outcome"
    )
    shown = (
        "n/a (needs both churned and renewed accounts)"
        if report.auc is None
        else f"{report.auc:.3f}"
    )
    console.print(f"AUC (low score -> churn): [bold]{shown}[/]")
    if report.calibration_error is not None:
        console.print(
            f"calibration error (weighted |predicted - observed|): {report.calibration_error:.3f}"
        )
    table = Table("score band", "accounts", "predicted churn", "observed churn")
    for band in report.bands:
        table.add_row(
            band.label,
            str(band.accounts),
            f"{band.predicted_churn:.0%}",
            f"{band.observed_churn:.0%}",
        )
    console.print(table)
