"""``fairlane keys``: API keys with roles."""

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
from fairlane.services.keys import Role, create_key, revoke_key

app = typer.Typer(help="Create, list and revoke API keys (stored hashed).", no_args_is_help=True)


@app.command("create")
def create(
    name: str = typer.Option(..., "--name", help="Who or what uses the key, e.g. 'zendesk'."),
    role: Role = typer.Option(
        Role.INTEGRATION,
        "--role",
        help="agent: file and read tickets, read accounts, audit and policy; lead: also "
        "create and update accounts; integration: file and read tickets, read and write "
        "accounts (no audit); admin: everything, including API keys.",
    ),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Create a key and print it once (only its hash is stored)."""
    with reporting_errors():
        application = open_application(database, policy)
        created = create_key(name=name, role=role, uow=application.uow, clock=application.clock)
    console.print(
        f"created {created.role.value} key [bold]{created.id}[/] for {name!r}; "
        "store it now, it is not shown again:"
    )
    typer.echo(created.secret)


@app.command("list")
def list_keys(database: str | None = DatabaseOption, policy: Path | None = PolicyOption) -> None:
    """List keys (never their secrets)."""
    with reporting_errors():
        application = open_application(database, policy)
        with application.uow() as store:
            rows = store.list_api_keys()
    table = Table("id", "name", "role", "created", "revoked")
    for row in rows:
        table.add_row(
            row.id,
            row.name,
            row.role,
            row.created_at.isoformat(timespec="seconds"),
            row.revoked_at.isoformat(timespec="seconds") if row.revoked_at else "",
        )
    console.print(table)


@app.command("revoke")
def revoke(
    key_id: str = typer.Argument(..., help="The key id from 'fairlane keys list'."),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Revoke a key; requests with it get 401 from now on."""
    with reporting_errors():
        application = open_application(database, policy)
        revoke_key(key_id, uow=application.uow, clock=application.clock)
    console.print(f"revoked {key_id}")
