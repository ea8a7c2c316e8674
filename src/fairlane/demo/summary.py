"""The demo's printed summary: what a support lead wants to see after a first run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from fairlane.domain.tickets import Lane, Priority
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.durations import format_duration
from fairlane.services.tickets import explain

__all__ = ["pick_examples", "print_summary"]


def print_summary(console: Console, rows: Sequence[dict[str, Any]], policy: CompiledPolicy) -> None:
    console.rule(f"[bold]fairlane demo[/]: {len(rows):,} tickets decided under policy {policy.ref}")
    _lane_priority_table(console, rows)
    _targets_table(console, rows, policy)
    _reasons(console, rows)
    console.rule("[bold]Queue order[/] (severity beats status: priority, then lane, then due)")
    console.print("The first ticket of each priority and lane, with its place in the queue:")
    seen: set[tuple[str, str]] = set()
    for n, row in enumerate(rows, start=1):
        group = (row["priority"], row["lane"])
        if group not in seen:
            seen.add(group)
            console.print(
                f"  #{n:<5} {row['priority']} {row['lane']:<8} due "
                f"{row['first_response_due_at']:%a %d %b %H:%M} UTC  {row['subject'][:60]}",
                highlight=False,
            )
    console.rule("[bold]A few tickets, fully explained[/]")
    for title, row in pick_examples(rows):
        console.print(f"\n[bold cyan]{title}[/]: {row['id']}", highlight=False)
        console.print(f"  Subject: {row['subject']!r}", highlight=False)
        console.print(f"  Body:    {_clip(row['body'], 160)!r}", highlight=False)
        for line in explain(row):
            console.print(f"  - {line}", highlight=False)


def _lane_priority_table(console: Console, rows: Sequence[dict[str, Any]]) -> None:
    counts = Counter((r["lane"], r["priority"]) for r in rows)
    table = Table(title="Tickets per lane and priority", header_style="bold")
    table.add_column("lane")
    for priority in Priority:
        table.add_column(f"{priority.value} {priority.label}", justify="right")
    table.add_column("total", justify="right")
    for lane in Lane:
        cells = [counts[(lane.value, p.value)] for p in Priority]
        table.add_row(lane.value, *map(str, cells), str(sum(cells)))
    table.add_row(
        "[bold]all[/]",
        *(str(sum(counts[(la.value, p.value)] for la in Lane)) for p in Priority),
        str(len(rows)),
    )
    console.print(table)
    unknown = sum(1 for r in rows if r["account_id"] is None)
    escalate = sum(1 for r in rows if r["is_escalation_required"])
    console.print(
        f"{escalate} tickets fired a hard trigger (escalate regardless of tier); "
        f"{unknown} came from requesters matching no account (standard lane, never dropped)."
    )


def _targets_table(
    console: Console, rows: Sequence[dict[str, Any]], policy: CompiledPolicy
) -> None:
    table = Table(
        title="SLA targets given (business time in the team's calendar)", header_style="bold"
    )
    for column in ("lane", "priority", "first response", "resolution", "tickets", "tightened (S2)"):
        table.add_column(
            column, justify="right" if column in ("tickets", "tightened (S2)") else "left"
        )
    groups = Counter((r["lane"], r["priority"]) for r in rows)
    tightened = Counter(
        (r["lane"], r["priority"]) for r in rows if r["decisions"]["sla"]["modifiers"]
    )
    for lane in Lane:
        for priority in Priority:
            cell = policy.sla_matrix[lane][priority]
            table.add_row(
                lane.value,
                priority.value,
                format_duration(cell.first_response_seconds),
                format_duration(cell.resolution_seconds),
                str(groups[(lane.value, priority.value)]),
                str(tightened[(lane.value, priority.value)]),
            )
    console.print(table)


def _reasons(console: Console, rows: Sequence[dict[str, Any]]) -> None:
    vip_reasons = Counter(
        name for r in rows if r["lane"] == "vip" for name in r["decisions"]["vip"]["matched"]
    )
    triggers = Counter(
        h["name"] for r in rows for h in r["decisions"]["triage"]["hits"] if h["kind"] == "trigger"
    )
    table = Table(title="Why tickets got their lane and priority", header_style="bold")
    table.add_column("top VIP criteria (VIP-lane tickets)")
    table.add_column("n", justify="right")
    table.add_column("hard triggers fired")
    table.add_column("n", justify="right")
    left, right = vip_reasons.most_common(6), triggers.most_common(6)
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ("", "")
        b = right[i] if i < len(right) else ("", "")
        table.add_row(str(a[0]), str(a[1]), str(b[0]), str(b[1]))
    console.print(table)


def pick_examples(rows: Sequence[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """A polite subject hiding an outage, a legal threat, a VIP ticket, an unknown requester and
    a misspelt trigger; each a different ticket."""
    picked: list[tuple[str, dict[str, Any]]] = []

    def take(title: str, test: Any) -> None:
        used = {row["id"] for _, row in picked}
        found = next((r for r in rows if r["id"] not in used and test(r)), None)
        if found is not None:
            picked.append((title, found))

    def hits(row: dict[str, Any]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = row["decisions"]["triage"]["hits"]
        return found

    def polite_outage(row: dict[str, Any]) -> bool:
        subject = row["subject"].casefold()
        names = {h["name"] for h in hits(row)}
        return (
            "outage" in names
            and names <= {"outage", "business-blocked", "broken-feature"}
            and all(h["matched_text"].casefold() not in subject for h in hits(row))
        )

    take("Polite subject, outage in the body", polite_outage)
    take("Legal threat", lambda r: any(h["name"] == "legal" for h in hits(r)))
    take("VIP lane", lambda r: r["lane"] == "vip" and r["priority"] in ("P3", "P4"))
    take("Unknown requester", lambda r: r["account_id"] is None)
    take(
        "Misspelt trigger still caught",
        lambda r: any(
            not h["is_exact"]
            and h["kind"] == "trigger"
            and h["matched_text"].casefold().rstrip("s") != h["phrase"].casefold()
            for h in hits(r)
        ),
    )
    return picked


def _clip(text: str, size: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1] + "\u2026"
