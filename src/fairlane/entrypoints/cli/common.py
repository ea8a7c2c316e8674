"""Shared CLI plumbing: one table from errors to exit codes, and readable error reports."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fairlane.bootstrap import Application, bootstrap
from fairlane.config import Settings
from fairlane.errors import (
    AuthenticationFailed,
    Conflict,
    FairlaneError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)

__all__ = [
    "EXIT_CODES",
    "DatabaseOption",
    "PolicyOption",
    "console",
    "err_console",
    "open_application",
    "reporting_errors",
]

console = Console()
err_console = Console(stderr=True)

EXIT_CODES: dict[type[FairlaneError], int] = {
    ValidationFailed: 3,
    NotFound: 4,
    Conflict: 5,
    AuthenticationFailed: 6,
    PermissionDenied: 6,
}

DatabaseOption = typer.Option(
    None,
    "--database",
    envvar="FAIRLANE_DATABASE_URL",
    help="Database URL (default sqlite:///fairlane.db; postgresql://user@host/db for PostgreSQL).",
)
PolicyOption = typer.Option(
    None,
    "--policy",
    envvar="FAIRLANE_POLICY",
    exists=False,
    help="Policy YAML laid over the shipped default.",
)


def exit_code_for(exc: FairlaneError) -> int:
    for kind, code in EXIT_CODES.items():
        if isinstance(exc, kind):
            return code
    return 1


def report(exc: FairlaneError, *, limit: int = 50) -> None:
    err_console.print(f"[bold red]error:[/] {escape(exc.detail)}", highlight=False)
    problems = exc.problems if isinstance(exc, ValidationFailed) else []
    if not problems:
        return
    table = Table("where", "problem", "hint", show_lines=False, header_style="bold")
    for problem in problems[:limit]:
        where = problem.path
        if problem.line is not None:
            where = f"line {problem.line}" + (
                f", column {problem.column}" if problem.column else ""
            )
        table.add_row(escape(where), escape(problem.message), escape(problem.suggestion or ""))
    err_console.print(table)
    if len(problems) > limit:
        err_console.print(f"... and {len(problems) - limit} more problems.")


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Turn fairlane errors into a report on stderr and the documented exit code."""
    try:
        yield
    except FairlaneError as exc:
        report(exc)
        raise typer.Exit(exit_code_for(exc)) from None


def open_application(database: str | None, policy: Path | None) -> Application:
    overrides: dict[str, object] = {}
    if database:
        overrides["database_url"] = database
    if policy:
        overrides["policy"] = policy
    settings = Settings(**overrides)  # type: ignore[arg-type]
    return bootstrap(settings)


def is_interactive() -> bool:
    return sys.stderr.isatty()
