"""``fairlane policy``: check a policy file, show the effective policy."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from rich.table import Table

from fairlane.entrypoints.cli.common import (
    DatabaseOption,
    PolicyOption,
    console,
    open_application,
    reporting_errors,
)
from fairlane.policy.loader import default_policy, load_policy

app = typer.Typer(
    help="Check and show policy files (VIP criteria, SLA matrix, calendars, triggers).",
    no_args_is_help=True,
)


@app.command("check")
def check(file: Path = typer.Argument(..., help="The policy YAML to validate.")) -> None:
    """Validate FILE laid over the shipped default; name every problem by its key path.

    Exit code 0 when valid (prints the version), 3 when not (nothing is applied).
    """
    with reporting_errors():
        policy = load_policy(file)
    console.print(f"[green]ok[/]: {file} is a valid policy, version [bold]{policy.ref}[/]")
    console.print(
        f"  {len(policy.criteria)} VIP criteria, {len(policy.triggers)} hard triggers, "
        f"{len(policy.priority_rules)} priority rules, {len(policy.team_calendars)} teams"
    )


@app.command("show")
def show(
    file: Path | None = typer.Argument(
        None, help="A policy YAML; the shipped default when omitted."
    ),
    output: str = typer.Option("yaml", "--format", help="yaml or json."),
) -> None:
    """Print the effective policy with every default filled in, and its version."""
    if output not in ("yaml", "json"):
        raise typer.BadParameter("use yaml or json", param_hint="--format")
    with reporting_errors():
        policy = load_policy(file) if file else default_policy()
    document = policy.as_dict()
    if output == "json":
        typer.echo(json.dumps({"ref": policy.ref, "document": document}, indent=2))
        return
    typer.echo(f"# effective policy {policy.ref}")
    typer.echo(yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100))


@app.command("history")
def history(
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """The changelog: every policy version that decided anything, when, from where and by whom."""
    with reporting_errors():
        application = open_application(database, policy)
        with application.uow() as store:
            rows = store.policy_changelog()
    table = Table("first used (UTC)", "policy", "source", "actor")
    for row in rows:
        table.add_row(
            f"{row['registered_at']:%Y-%m-%d %H:%M:%S}", row["ref"], row["source"], row["actor"]
        )
    console.print(table)
