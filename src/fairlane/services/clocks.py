"""SLA clocks as stored rows: build them at intake, move them on ticket events, explain them.

The arithmetic lives in :mod:`fairlane.domain.clocks`; this module maps a clock to and from
its row (with the instants the worker acts on: ``warning_at``, ``due_at``, ``next_action_at``)
and applies the rules of S4 and S7 to ticket events.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fairlane.domain.calendar import BusinessCalendar
from fairlane.domain.clocks import ClockKind, SlaClock
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.decisions import SlaDecision
from fairlane.policy.durations import format_duration

__all__ = [
    "ELAPSED",
    "calendar_named",
    "clock_from_row",
    "clock_row",
    "describe",
    "intake_clock_rows",
]

ELAPSED = "elapsed"  # the calendar name of clocks counted in plain elapsed time (24x7 cells)


def calendar_named(policy: CompiledPolicy, name: str) -> BusinessCalendar:
    if name == ELAPSED:
        return BusinessCalendar.always_open(ELAPSED)
    calendar = policy.calendars.get(name)
    # A calendar removed from the policy since: count elapsed time rather than fail.
    return calendar if calendar is not None else BusinessCalendar.always_open(ELAPSED)


def clock_row(
    ticket_id: str,
    clock: SlaClock,
    *,
    calendar_name: str,
    reason: str,
    policy: CompiledPolicy,
    previous: dict[str, Any] | None = None,
    due_at: datetime | None = None,
) -> dict[str, Any]:
    """The stored form of ``clock``; keeps the worker's bookkeeping from ``previous``.
    ``due_at`` may be passed when the caller already computed it (intake)."""
    calendar = calendar_named(policy, calendar_name)
    if due_at is None and clock.met_at is None:
        due_at = clock.due_at(calendar)
    warning_at = (
        clock.warning_at(calendar, policy.document.sla.warning_at) if clock.met_at is None else None
    )
    if warning_at is not None and due_at is not None and warning_at > due_at:
        warning_at = due_at  # a capped clock (S1's 24 h) warns no later than it breaches
    warned_at = previous.get("warned_at") if previous else None
    breached_at = previous.get("breached_at") if previous else None
    pending = [
        at
        for at, done in ((warning_at, warned_at), (due_at, breached_at))
        if at is not None and done is None
    ]
    return {
        "ticket_id": ticket_id,
        "kind": clock.kind.value,
        "calendar": calendar_name,
        "target_seconds": clock.target_seconds,
        "started_at": clock.started_at,
        "used_seconds": clock.used_seconds,
        "running_since": clock.running_since,
        "paused_at": clock.paused_at,
        "paused_seconds": clock.paused_seconds,
        "met_at": clock.met_at,
        "cap_at": clock.cap_at,
        "due_at": due_at,
        "warning_at": warning_at,
        "warned_at": warned_at,
        "breached_at": breached_at,
        "next_action_at": min(pending) if pending else None,
        "reason": reason,
        "policy_ref": policy.ref,
    }


def clock_from_row(row: dict[str, Any], *, target_seconds: int | None = None) -> SlaClock:
    """The clock a stored row holds; ``target_seconds`` replaces the stored target."""
    return SlaClock(
        kind=ClockKind(row["kind"]),
        target_seconds=row["target_seconds"] if target_seconds is None else target_seconds,
        started_at=row["started_at"],
        used_seconds=row["used_seconds"],
        running_since=row["running_since"],
        paused_at=row["paused_at"],
        paused_seconds=row["paused_seconds"],
        met_at=row["met_at"],
        cap_at=row["cap_at"],
    )


def intake_clock_rows(
    ticket_id: str, sla: SlaDecision, *, started_at: datetime, policy: CompiledPolicy
) -> list[dict[str, Any]]:
    """First-response and resolution clocks for a new ticket, from its SLA decision."""
    calendar_name = sla.calendar if sla.is_business_time else ELAPSED
    cap_at = None
    if sla.lane.value == "standard":
        cap_at = started_at + timedelta(seconds=policy.standard_first_response_cap_seconds)
    why = "; ".join(sla.reasons)
    first = SlaClock.start(
        ClockKind.FIRST_RESPONSE,
        target_seconds=sla.first_response_seconds,
        at=started_at,
        cap_at=cap_at,
    )
    resolution = SlaClock.start(
        ClockKind.RESOLUTION, target_seconds=sla.resolution_seconds, at=started_at
    )
    return [
        clock_row(
            ticket_id,
            first,
            calendar_name=calendar_name,
            reason=why,
            policy=policy,
            due_at=sla.first_response_due_at,
        ),
        clock_row(
            ticket_id,
            resolution,
            calendar_name=calendar_name,
            reason=why,
            policy=policy,
            due_at=sla.resolution_due_at,
        ),
    ]


def describe(row: dict[str, Any], policy: CompiledPolicy, *, at: datetime) -> dict[str, Any]:
    """One clock as `fairlane sla explain` and `GET /v1/tickets/{id}/sla` show it."""
    calendar = calendar_named(policy, row["calendar"])
    reading = clock_from_row(row).read(calendar, at)
    return {
        "kind": row["kind"],
        "state": reading.state.value,
        "target_seconds": row["target_seconds"],
        "target": format_duration(row["target_seconds"]),
        "calendar": row["calendar"],
        "started_at": row["started_at"],
        "due_at": reading.due_at,
        "met_at": row["met_at"],
        "elapsed_seconds": reading.elapsed_seconds,
        "paused_seconds": reading.paused_seconds,
        "remaining_seconds": reading.remaining_seconds,
        "breached_by_seconds": reading.breached_by_seconds,
        "fraction_used": round(reading.fraction_used, 4),
        "warning_at": row["warning_at"],
        "why": row["reason"],
    }
