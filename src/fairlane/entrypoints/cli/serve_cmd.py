"""``fairlane serve``: the REST API (OpenAPI docs at /docs)."""

from __future__ import annotations

from pathlib import Path

import typer
import uvicorn

from fairlane.bootstrap import Application, freeze_start_up_heap
from fairlane.entrypoints.api.app import create_app
from fairlane.entrypoints.cli.common import (
    DatabaseOption,
    PolicyOption,
    console,
    open_application,
    reporting_errors,
)


def run_server(application: Application, *, host: str, port: int) -> None:
    console.print(
        f"serving the fairlane API on http://{host}:{port} "
        f"(interactive docs: http://{host}:{port}/docs); Ctrl+C stops"
    )
    api = create_app(application)
    freeze_start_up_heap()
    uvicorn.run(api, host=host, port=port, log_level="warning")


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Serve the REST API; the database is created or upgraded on start."""
    with reporting_errors():
        application = open_application(database, policy)
    run_server(application, host=host, port=port)
