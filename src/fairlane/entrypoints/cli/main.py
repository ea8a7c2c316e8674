"""The ``fairlane`` command."""

from __future__ import annotations

import typer

from fairlane import __version__
from fairlane.entrypoints.cli import (
    demo_cmd,
    health_cmd,
    import_cmd,
    keys_cmd,
    model_cmd,
    policy_cmd,
    serve_cmd,
    sla_cmd,
    tickets_cmd,
    triage_cmd,
    webhooks_cmd,
    worker_cmd,
)

app = typer.Typer(
    name="fairlane",
    help="Escalate the right support tickets, to the right people, at the right time, with a fair "
    "VIP lane. Start with 'fairlane demo'; docs/cli.md has every command.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(policy_cmd.app, name="policy")
app.add_typer(import_cmd.app, name="import")
app.add_typer(keys_cmd.app, name="keys")
app.add_typer(tickets_cmd.app, name="tickets")
app.add_typer(sla_cmd.app, name="sla")
app.add_typer(health_cmd.app, name="health")
app.add_typer(webhooks_cmd.app, name="webhooks")
app.add_typer(model_cmd.app, name="model")
app.add_typer(triage_cmd.triage_app, name="triage")
app.add_typer(triage_cmd.review_app, name="review")
app.command("serve")(serve_cmd.serve)
app.command("demo")(demo_cmd.demo)
app.command("worker")(worker_cmd.worker)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fairlane {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """fairlane command line."""
