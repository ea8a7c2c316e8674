"""``fairlane webhooks``: subscriptions, deliveries, redelivery."""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import ValidationError
from rich.table import Table

from fairlane.entrypoints.cli.common import (
    DatabaseOption,
    PolicyOption,
    console,
    open_application,
    reporting_errors,
)
from fairlane.errors import FieldProblem, NotFound, ValidationFailed
from fairlane.services.webhooks import EVENT_TYPES, WebhookIn, create_subscription, redeliver

app = typer.Typer(
    help="Signed webhooks: subscribe URLs to events, inspect and redeliver.", no_args_is_help=True
)


@app.command("create")
def create(
    url: str = typer.Option(..., "--url", help="Where to POST events (http or https)."),
    events: list[str] = typer.Option(
        ...,
        "--event",
        help="An event type (repeat the option), or '*' for all: " + ", ".join(EVENT_TYPES),
    ),
    secret: str | None = typer.Option(
        None, "--secret", help="Signing secret (16+ characters); generated if omitted."
    ),
    description: str = typer.Option("", "--description"),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Subscribe a URL. Deliveries carry 'Fairlane-Signature: t=<unix>,v1=<hmac-sha256 hex of
    "<t>.<body>">'; the secret is printed once."""
    with reporting_errors():
        try:
            hook = WebhookIn.model_validate(
                {"url": url, "events": events, "secret": secret, "description": description}
            )
        except ValidationError as exc:
            raise ValidationFailed(
                "The subscription was not created.",
                [FieldProblem(tuple(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()],
            ) from None
        application = open_application(database, policy)
        row = create_subscription(hook, uow=application.uow, clock=application.clock)
    console.print(
        f"subscribed [bold]{row['id']}[/] to {', '.join(row['event_types'])} at {url}; "
        "signing secret (shown once):",
        highlight=False,
    )
    typer.echo(row["secret"])


@app.command("list")
def list_subscriptions(
    database: str | None = DatabaseOption, policy: Path | None = PolicyOption
) -> None:
    """Active subscriptions."""
    with reporting_errors():
        application = open_application(database, policy)
        with application.uow() as store:
            rows = store.list_subscriptions()
    table = Table("id", "url", "events", "created (UTC)")
    for row in rows:
        table.add_row(
            row["id"],
            row["url"],
            ", ".join(row["event_types"]),
            f"{row['created_at']:%Y-%m-%d %H:%M}",
        )
    console.print(table)


@app.command("delete")
def delete(
    subscription_id: str = typer.Argument(...),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Stop sending to a subscription (its deliveries are kept)."""
    with reporting_errors():
        application = open_application(database, policy)
        with application.uow() as store:
            if not store.delete_subscription(subscription_id, now=application.clock.now()):
                raise NotFound("webhook subscription", subscription_id)
    console.print(f"deleted {subscription_id}")


@app.command("deliveries")
def deliveries(
    status: str | None = typer.Option(None, "--status", help="pending, delivered or dead."),
    limit: int = typer.Option(20, min=1, max=500),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Recent deliveries, newest first, with their attempts and last answer."""
    if status not in (None, "pending", "delivered", "dead"):
        raise typer.BadParameter("use pending, delivered or dead", param_hint="--status")
    with reporting_errors():
        application = open_application(database, policy)
        with application.uow() as store:
            rows = store.list_deliveries(subscription_id=None, status=status, limit=limit)
    table = Table("delivery", "event", "status", "attempts", "last answer", "next attempt (UTC)")
    for row in rows:
        answer = str(row["last_status_code"] or row["last_error"] or "-")[:40]
        nxt = row["next_attempt_at"]
        table.add_row(
            row["id"],
            row["event_type"],
            row["status"],
            str(row["attempts"]),
            answer,
            f"{nxt:%Y-%m-%d %H:%M:%S}" if nxt else "-",
        )
    console.print(table)


@app.command("redeliver")
def redeliver_command(
    delivery_id: str = typer.Argument(...),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Queue a dead (or delivered) delivery again; the worker sends it."""
    with reporting_errors():
        application = open_application(database, policy)
        redeliver(delivery_id, uow=application.uow, clock=application.clock)
    console.print(f"{delivery_id} queued for delivery")
