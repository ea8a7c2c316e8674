"""``fairlane triage`` and ``fairlane review``: what the models read, and the review queue."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from fairlane.entrypoints.cli.common import (
    DatabaseOption,
    PolicyOption,
    console,
    open_application,
    reporting_errors,
)
from fairlane.errors import FieldProblem, ValidationFailed
from fairlane.services.reviews import accept_review, correct_review, list_reviews, review_stats
from fairlane.services.tickets import triage_report

triage_app = typer.Typer(
    help="Explain a ticket's triage: every signal and model output.", no_args_is_help=True
)
review_app = typer.Typer(
    help="The review queue of low-confidence triage (T6): list, accept, correct, stats.",
    no_args_is_help=True,
)
ActorOption = typer.Option(
    "cli", "--as", help="Who decides (recorded in the audit trail), e.g. your e-mail."
)
NoteOption = typer.Option(None, "--note", help="Why, for the audit trail.")


@triage_app.command("explain")
def explain(
    ticket_id: str = typer.Argument(..., help="A ticket id (tkt_...)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Priority with where it came from (trigger, rule, model or default) and its
    confidence; each trigger and rule that matched and on which words; the intent and urgency
    models' answers with confidence and runners-up; sentiment, frustration cues and the
    attention score; and any suggestion held for review."""
    with reporting_errors():
        application = open_application(database, policy)
        report = triage_report(
            ticket_id, uow=application.uow, policy=application.policy, clock=application.clock
        )
    if as_json:
        typer.echo(json.dumps(report, indent=2, default=str))
        return
    console.print(
        f"[bold]{ticket_id}[/]: {report['priority']} from {report['priority_source']} "
        f"(confidence {report['priority_confidence']:.2f}); intent "
        f"{report['intent'] or 'held for review'}; attention {report['attention']}"
        + (" [red]URGENT[/]" if (report["attention"] or 0) >= 90 else ""),
        highlight=False,
    )
    for hit in report["hits"]:
        console.print(
            f"  - {hit['kind']} '{escape(hit['name'])}' ({hit['priority']}) matched "
            f"\u201c{escape(hit['matched_text'])}\u201d"
            + ("" if hit["is_exact"] else f" as a variant of \u201c{escape(hit['phrase'])}\u201d"),
            highlight=False,
        )
    models = report["models"]
    if models:
        for name in ("intent", "urgency"):
            reading = models[name]
            others = ", ".join(f"{label} {p:.2f}" for label, p in reading["alternatives"])
            console.print(
                f"  - {name} model {reading['model_id']}: {reading['label']} "
                f"({reading['confidence']:.2f}); then {others}",
                highlight=False,
            )
        mood = models["sentiment"]
        cues = ", ".join(f"\u201c{escape(c)}\u201d" for c in mood["cues"]) or "none"
        console.print(
            f"  - sentiment {mood['label']} ({mood['compound']:+.2f}), frustration "
            f"{mood['frustration']:.2f} (cues: {cues})",
            highlight=False,
        )
    risk = report["escalation_risk"]
    console.print(
        f"  escalation risk {risk['score']}"
        + (" [red]AT RISK[/]" if risk["is_at_risk"] else "")
        + f" ({risk['families']} signal families)",
        highlight=False,
    )
    for part in risk["contributions"]:
        console.print(
            f"    - {part['family']} +{part['points']:.2f}: {escape(part['why'])}", highlight=False
        )
    trajectory = report["sentiment_trajectory"]
    if len(trajectory) > 1:
        console.print(
            "  sentiment over the messages: "
            + " -> ".join(f"{p['compound']:+.2f}" for p in trajectory),
            highlight=False,
        )
    for reason in report["reasons"]:
        console.print(f"  - {escape(reason)}", highlight=False)
    pending = [r for r in report["reviews"] if r["status"] == "pending"]
    if pending:
        console.print(f"  {len(pending)} review(s) pending: fairlane review list")


@review_app.command("list")
def list_command(
    status: str = typer.Option("pending", "--status", help="pending, accepted or corrected."),
    ticket_id: str | None = typer.Option(None, "--ticket", help="Only this ticket's reviews."),
    limit: int = typer.Option(50, "--limit", min=1, max=500),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Reviews to decide, priority suggestions first (P1 first), then the oldest."""
    with reporting_errors():
        application = open_application(database, policy)
        rows = list_reviews(uow=application.uow, status=status, ticket_id=ticket_id, limit=limit)
    table = Table("id", "ticket", "field", "suggested", "confidence", "in force", "since (UTC)")
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["ticket_id"],
            row["field"],
            row["suggested"],
            f"{row['confidence']:.2f}",
            row["applied"] or "-",
            f"{row['created_at']:%Y-%m-%d %H:%M}",
        )
    console.print(table)
    console.print(f"{len(rows)} {status} review(s)")


@review_app.command("accept")
def accept(
    review_id: int = typer.Argument(..., help="The review's id (see `fairlane review list`)."),
    actor: str = ActorOption,
    note: str | None = NoteOption,
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Apply the model's suggestion (a changed priority re-decides the SLA targets)."""
    with reporting_errors():
        application = open_application(database, policy)
        review = accept_review(
            review_id,
            uow=application.uow,
            policy=application.policy,
            clock=application.clock,
            actor=actor,
            note=note,
        )
    _decided(review)


@review_app.command("correct")
def correct(
    review_id: int = typer.Argument(..., help="The review's id (see `fairlane review list`)."),
    value: str = typer.Argument(..., help="The right value: P1-P4, or an intent label."),
    actor: str = ActorOption,
    note: str | None = NoteOption,
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Apply VALUE instead of the suggestion: a human override of the model, audited and
    counted in the override rate."""
    with reporting_errors():
        application = open_application(database, policy)
        review = correct_review(
            review_id,
            value,
            uow=application.uow,
            policy=application.policy,
            clock=application.clock,
            actor=actor,
            note=note,
        )
    _decided(review)


@review_app.command("stats")
def stats(
    since: str | None = typer.Option(None, "--since", help="Reviews created from (ISO 8601)."),
    until: str | None = typer.Option(None, "--until", help="... up to (excluded)."),
    database: str | None = DatabaseOption,
    policy: Path | None = PolicyOption,
) -> None:
    """Pending, accepted and corrected reviews, and the override rate (T9): the share of
    decided reviews in which a person corrected the model."""
    with reporting_errors():
        window = {
            name: _instant(name, value) for name, value in (("since", since), ("until", until))
        }
        application = open_application(database, policy)
        result = review_stats(uow=application.uow, **window)
    rate = (
        "n/a (no review decided yet)"
        if result.override_rate is None
        else f"{result.override_rate:.1%}"
    )
    console.print(
        f"{result.pending} pending, {result.accepted} accepted, {result.corrected} corrected; "
        f"override rate [bold]{rate}[/]",
        highlight=False,
    )
    table = Table("field", "pending", "accepted", "corrected")
    for field, counts in result.by_field.items():
        table.add_row(field, *(str(counts[s]) for s in ("pending", "accepted", "corrected")))
    console.print(table)


def _decided(review: dict[str, Any]) -> None:
    console.print(
        f"review {review['id']} {review['status']}: {review['field']} of {review['ticket_id']} "
        f"is now {review['final']}"
        + (
            f"; SLA targets re-decided for {review['tickets_retargeted']} ticket"
            if review.get("tickets_retargeted")
            else ""
        ),
        highlight=False,
    )


def _instant(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ValidationFailed(
            f"--{name} must be an ISO 8601 instant with an offset.",
            [FieldProblem((f"--{name}",), f"{value!r}", suggestion="e.g. 2026-12-01T00:00:00Z")],
        )
    return parsed
