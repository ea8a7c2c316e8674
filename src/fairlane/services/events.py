"""What happens to a ticket after intake, and what it does to its clocks (S4, S7).

- ``agent_reply``: meets the first-response clock and the pending next-update promise, then
  starts the next promise: the time the agent named, or the policy's ``sla.update_every``.
- ``customer_message``: a ticket waiting on the customer resumes; the reply is due within the
  policy's ``sla.acknowledgement`` (unless an update is already promised).
- ``status_changed``: ``waiting_on_customer`` and ``on_hold`` pause every running clock;
  ``open`` resumes them; ``solved`` meets them all.
Every clock that moves is audited with its before and after, in the event's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fairlane.clock import Clock
from fairlane.domain.audit import AuditEntry, OutboxEvent
from fairlane.domain.clocks import ClockKind, SlaClock
from fairlane.domain.tickets import Priority
from fairlane.errors import FieldProblem, NotFound, ValidationFailed
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.durations import format_duration, parse_duration
from fairlane.services.clocks import ELAPSED, calendar_named, clock_from_row, clock_row, describe
from fairlane.services.intake import CLOCK_SKEW
from fairlane.services.ports import Store, UnitOfWork
from fairlane.services.risk import rescore_risk
from fairlane.services.schemas import AwareDatetime
from fairlane.services.steps import after_progress
from fairlane.services.worker import fire_missed

__all__ = ["EventOutcome", "TicketEventIn", "record_event", "sla_report"]

Status = Literal["open", "waiting_on_customer", "on_hold", "solved"]
_PAUSED = {"waiting_on_customer", "on_hold"}


class TicketEventIn(BaseModel):
    """An event on an accepted ticket, as the help desk reports it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["agent_reply", "customer_message", "status_changed"]
    occurred_at: AwareDatetime | None = Field(None, description="Defaults to arrival.")
    external_id: (
        Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^\x00]+$")] | None
    ) = Field(None, description="The help desk's id of the event; a retry with it is ignored.")
    status: Status | None = Field(None, description="Required for status_changed.")
    next_update_at: AwareDatetime | None = Field(
        None, description="agent_reply: when the agent promised the next update (S7)."
    )
    body: Annotated[str, Field(max_length=200_000, pattern=r"^[^\x00]*$")] | None = Field(
        None,
        description="customer_message: the text; its sentiment, frustration and attention "
        "are scored (T3) and the escalation risk re-scored (T7).",
    )

    @model_validator(mode="after")
    def _status_goes_with_status_changed(self) -> TicketEventIn:
        if (self.kind == "status_changed") != (self.status is not None):
            raise ValueError("status is required for status_changed and only allowed there")
        if self.next_update_at is not None and self.kind != "agent_reply":
            raise ValueError("next_update_at goes with agent_reply only")
        if self.body is not None and self.kind == "status_changed":
            raise ValueError("body goes with customer_message or agent_reply")
        return self


class EventOutcome(BaseModel):
    ticket_id: str
    is_new: bool
    status: str
    clocks: list[dict[str, Any]]


def record_event(
    ticket_id: str,
    event: TicketEventIn,
    *,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    clock: Clock,
    actor: str,
) -> EventOutcome:
    now = clock.now()
    at = event.occurred_at or now
    if at > now + CLOCK_SKEW:
        raise ValidationFailed(
            "The event was not recorded.",
            [
                FieldProblem(
                    ("occurred_at",),
                    f"{at.isoformat()} is in the future (now is {now.isoformat()})",
                )
            ],
        )
    with uow() as store:
        ticket = store.lock_ticket(ticket_id)
        if ticket is None:
            raise NotFound("ticket", ticket_id)
        if at < ticket["created_at"]:
            raise ValidationFailed(
                "The event was not recorded.",
                [
                    FieldProblem(
                        ("occurred_at",),
                        f"is before the ticket was created ({ticket['created_at'].isoformat()})",
                    )
                ],
            )
        data = event.model_dump(mode="json", exclude_none=True)
        if event.kind == "customer_message" and event.body:
            data["triage"] = policy.reader.read([event.body])[0].as_dict()
        is_new = store.add_ticket_event(
            {
                "ticket_id": ticket_id,
                "external_id": event.external_id,
                "kind": event.kind,
                "occurred_at": at,
                "recorded_at": now,
                "actor": actor,
                "data": data,
            }
        )
        status = ticket["status"]
        if is_new:
            status = _apply(store, ticket, event, at=at, now=now, policy=policy, actor=actor)
            rescore_risk(
                store,
                ticket,
                policy=policy,
                now=now,
                actor=actor,
                cause=f"{event.kind.replace('_', ' ')} at {at.isoformat()}",
            )
        clocks = [describe(r, policy, at=now) for r in store.clocks_for(ticket_id)]
    return EventOutcome(ticket_id=ticket_id, is_new=is_new, status=status, clocks=clocks)


def _apply(
    store: Store,
    ticket: dict[str, Any],
    event: TicketEventIn,
    *,
    at: datetime,
    now: datetime,
    policy: CompiledPolicy,
    actor: str,
) -> str:
    rows = {r["kind"]: r for r in store.clocks_for(ticket["id"], for_update=True)}
    changes: list[tuple[dict[str, Any] | None, SlaClock, str, str]] = []

    def move(kind: ClockKind, how: str, reason: str) -> None:
        row = rows.get(kind.value)
        if row is None:
            return
        calendar = calendar_named(policy, row["calendar"])
        before = clock_from_row(row)
        after = getattr(before, how)(calendar, at)
        if after != before:
            changes.append((row, after, row["calendar"], reason))

    status: str = ticket["status"]
    if event.kind == "agent_reply":
        move(ClockKind.FIRST_RESPONSE, "meet", "an agent replied")
        move(ClockKind.NEXT_UPDATE, "meet", "an agent sent the promised update")
        changes.append(_promise(ticket, event, at=at, policy=policy))
    elif event.kind == "customer_message":
        if status in _PAUSED:
            status = "open"
            for kind in ClockKind:
                move(kind, "resume", "the customer wrote back")
        pending = rows.get(ClockKind.NEXT_UPDATE.value)
        if pending is None or pending["met_at"] is not None:
            changes.append(_acknowledgement(ticket, at=at, policy=policy))
    else:
        assert event.status is not None
        status = event.status
        how = {
            "waiting_on_customer": "pause",
            "on_hold": "pause",
            "open": "resume",
            "solved": "meet",
        }[status]
        for kind in ClockKind:
            move(kind, how, f"status changed to {status}")
    for previous, after, calendar_name, reason in changes:
        if previous is not None:
            previous = fire_missed(store, previous, ticket, at=at, now=now, policy=policy)
        new_row = clock_row(
            ticket["id"],
            after,
            calendar_name=calendar_name,
            reason=reason,
            policy=policy,
            previous=previous,
        )
        store.save_clock(new_row)
        store.add_audit(
            [
                AuditEntry(
                    occurred_at=now,
                    actor=actor,
                    action="sla.clock_changed",
                    subject_type="ticket",
                    subject_id=ticket["id"],
                    ticket_id=ticket["id"],
                    account_id=ticket["account_id"],
                    policy_ref=policy.ref,
                    inputs={"event": event.kind, "at": at.isoformat()},
                    outcome={
                        "clock": after.kind.value,
                        "before": _brief(previous),
                        "after": _brief(new_row),
                    },
                    reasons=(f"{after.kind.value.replace('_', ' ')}: {reason}",),
                )
            ]
        )
    if event.kind in ("agent_reply", "status_changed"):
        after_progress(
            store,
            ticket,
            at=at,
            is_reply=event.kind == "agent_reply",
            is_solved=status == "solved",
            policy=policy,
        )
    if status != ticket["status"]:
        store.set_ticket_status(ticket["id"], status)
        store.add_events(
            [
                OutboxEvent(
                    "ticket.status_changed",
                    ticket["id"],
                    now,
                    {"ticket_id": ticket["id"], "from": ticket["status"], "to": status},
                )
            ]
        )
    return status


def _promise(
    ticket: dict[str, Any], event: TicketEventIn, *, at: datetime, policy: CompiledPolicy
) -> tuple[None, SlaClock, str, str]:
    if event.next_update_at is not None and event.next_update_at > at:
        seconds = max(60, int((event.next_update_at - at).total_seconds()))
        clock = SlaClock.start(ClockKind.NEXT_UPDATE, target_seconds=seconds, at=at)
        return (
            None,
            clock,
            ELAPSED,
            f"the agent promised an update by {event.next_update_at.isoformat()}",
        )
    every = policy.document.sla.update_every[Priority(ticket["priority"])]
    clock = SlaClock.start(ClockKind.NEXT_UPDATE, target_seconds=parse_duration(every), at=at)
    return (
        None,
        clock,
        _business_calendar(ticket, policy),
        f"no time was promised: the policy's update interval for {ticket['priority']} is {every}",
    )


def _acknowledgement(
    ticket: dict[str, Any], *, at: datetime, policy: CompiledPolicy
) -> tuple[None, SlaClock, str, str]:
    seconds = parse_duration(policy.document.sla.acknowledgement)
    clock = SlaClock.start(ClockKind.NEXT_UPDATE, target_seconds=seconds, at=at)
    return (
        None,
        clock,
        _business_calendar(ticket, policy),
        f"the customer wrote: acknowledge within {format_duration(seconds)} (S7)",
    )


def _business_calendar(ticket: dict[str, Any], policy: CompiledPolicy) -> str:
    calendar = policy.team_calendars.get(ticket["team"])
    return calendar.name if calendar is not None and not calendar.is_always_open else ELAPSED


def _brief(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        k: (v.isoformat() if isinstance(v, datetime) else v)
        for k, v in row.items()
        if k in ("due_at", "met_at", "paused_at", "running_since", "used_seconds", "target_seconds")
    }


def sla_report(
    ticket_id: str, *, uow: UnitOfWork, policy: CompiledPolicy, clock: Clock
) -> dict[str, Any]:
    """Every clock of a ticket now: target, due, elapsed, paused, state, breached-by and why."""
    now = clock.now()
    with uow() as store:
        ticket = store.get_ticket(ticket_id)
        if ticket is None:
            raise NotFound("ticket", ticket_id)
        rows = store.clocks_for(ticket_id)
    return {
        "ticket_id": ticket_id,
        "status": ticket["status"],
        "evaluated_at": now,
        "clocks": [describe(r, policy, at=now) for r in rows],
    }
