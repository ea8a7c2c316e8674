"""The clock worker's pass: fire every due warning (S5) and breach (S6 groundwork) exactly once.

A pass reads the due set from the ``next_action_at`` index in small transactions. Each fired
step is audited and put on the outbox in the same transaction as the clock row that records
it (``warned_at`` / ``breached_at``), so a worker killed at any point either fired a step
completely or not at all, and a restarted worker fires what is left. Steps are stamped with
the instant they were due, not the instant they were noticed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fairlane.clock import Clock
from fairlane.domain.audit import AuditEntry, OutboxEvent
from fairlane.policy.compiled import CompiledPolicy
from fairlane.services.clocks import describe
from fairlane.services.ports import Store, UnitOfWork
from fairlane.services.retarget import retarget_daily
from fairlane.services.steps import after_breach, fire_step

__all__ = ["PassResult", "fire_missed", "next_wake_at", "run_due"]

_ROW_KEYS = ("priority", "lane", "account_id", "team", "escalated_at")


@dataclass(frozen=True, slots=True)
class PassResult:
    clocks_seen: int
    warnings: int
    breaches: int
    steps: int = 0


def next_wake_at(*, uow: UnitOfWork) -> datetime | None:
    """The earliest pending clock action (an index lookup)."""
    with uow() as store:
        pending = [at for at in (store.next_action_at(), store.next_step_at()) if at is not None]
    return min(pending) if pending else None


def run_due(
    *,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    clock: Clock,
    batch_size: int = 100,
    max_batches: int | None = None,
) -> PassResult:
    """Process every clock action due now, ``batch_size`` clocks per transaction."""
    now = clock.now()
    seen = warnings = breaches = batches = 0
    while max_batches is None or batches < max_batches:
        with uow() as store:
            rows = store.due_clocks(now, limit=batch_size)
            sink = _Sink()
            updated = []
            for row in rows:
                clock_row, fired = _act(store, sink, row, now=now, policy=policy)
                updated.append(clock_row)
                warnings += fired.count("sla.warning")
                breaches += fired.count("sla.breached")
            # one prepared statement per batch, for the bookkeeping the pass changes
            store.save_clocks(updated, columns=("warned_at", "breached_at", "next_action_at"))
            store.add_audit(sink.audit)
            store.add_events(sink.events)
        seen += len(rows)
        batches += 1
        if len(rows) < batch_size:
            break
    with uow() as store:
        retarget_daily(store, policy=policy, now=now)
    steps = 0
    while True:
        with uow() as store:
            due = store.due_steps(now, limit=batch_size)
            steps += sum(fire_step(store, row, now=now, policy=policy) for row in due)
        if len(due) < batch_size:
            break
    return PassResult(seen, warnings, breaches, steps)


class _Sink:
    """Audit entries and events of one batch, written with one statement each."""

    def __init__(self) -> None:
        self.audit: list[AuditEntry] = []
        self.events: list[OutboxEvent] = []

    def add_audit(self, entries: list[AuditEntry]) -> None:
        self.audit += entries

    def add_events(self, events: list[OutboxEvent]) -> None:
        self.events += events


def _act(
    store: Store, sink: _Sink, row: dict[str, Any], *, now: datetime, policy: CompiledPolicy
) -> tuple[dict[str, Any], list[str]]:
    fired: list[str] = []
    clock_row = {k: v for k, v in row.items() if k not in _ROW_KEYS}
    is_open = row["met_at"] is None
    if is_open and row["warned_at"] is None and row["warning_at"] and row["warning_at"] <= now:
        _fire(sink, row, "sla.warning", due=row["warning_at"], now=now, policy=policy)
        clock_row["warned_at"] = row["warning_at"]
        fired.append("sla.warning")
    if is_open and row["breached_at"] is None and row["due_at"] and row["due_at"] <= now:
        _fire(sink, row, "sla.breached", due=row["due_at"], now=now, policy=policy)
        clock_row["breached_at"] = row["due_at"]
        fired.append("sla.breached")
        after_breach(store, row, breached_at=row["due_at"], policy=policy)
    pending = [
        at
        for at, done in (
            (clock_row["warning_at"], clock_row["warned_at"]),
            (clock_row["due_at"], clock_row["breached_at"]),
        )
        if at is not None and done is None and is_open
    ]
    clock_row["next_action_at"] = min(pending) if pending else None
    return clock_row, fired


def fire_missed(
    store: Store,
    clock_row: dict[str, Any],
    ticket: dict[str, Any],
    *,
    at: datetime,
    now: datetime,
    policy: CompiledPolicy,
) -> dict[str, Any]:
    """Before an event moves a clock, fire the warning and breach that were already due by the
    event's instant but not yet noticed (stamped when they were due); returns the row with its
    bookkeeping updated, so the change keeps them fired."""
    row = {**clock_row, **{k: ticket.get(k) for k in _ROW_KEYS}}
    updated = dict(clock_row)
    if row["met_at"] is not None:
        return updated
    for instant_key, done_key, action in (
        ("warning_at", "warned_at", "sla.warning"),
        ("due_at", "breached_at", "sla.breached"),
    ):
        instant = row[instant_key]
        if instant is not None and row[done_key] is None and instant <= at:
            _fire(store, row, action, due=instant, now=now, policy=policy)
            updated[done_key] = instant
            if action == "sla.breached":
                after_breach(store, row, breached_at=instant, policy=policy)
    return updated


def _fire(
    store: Store | _Sink,
    row: dict[str, Any],
    action: str,
    *,
    due: datetime,
    now: datetime,
    policy: CompiledPolicy,
) -> None:
    kind = row["kind"].replace("_", " ")
    view = describe(row, policy, at=due)
    if action == "sla.warning":
        share = round(policy.document.sla.warning_at * 100)
        reason = (
            f"{kind} clock reached {share}% of its {view['target']} target; the next tier "
            "gets a head start (S5)"
        )
    else:
        reason = (
            f"{kind} clock passed its {view['target']} target "
            f"({row['priority']}, {row['lane']} lane)"
        )
    payload = {
        "ticket_id": row["ticket_id"],
        "clock": row["kind"],
        "due_at": due.isoformat(),
        "target_seconds": row["target_seconds"],
        "priority": row["priority"],
        "lane": row["lane"],
        "team": row["team"],
        "policy": policy.ref,
    }
    store.add_audit(
        [
            AuditEntry(
                occurred_at=due,
                actor="worker",
                action=action,
                subject_type="ticket",
                subject_id=row["ticket_id"],
                ticket_id=row["ticket_id"],
                account_id=row["account_id"],
                policy_ref=policy.ref,
                inputs={"clock": row["kind"], "noticed_at": now.isoformat()},
                outcome=payload,
                reasons=(reason,),
            )
        ]
    )
    store.add_events([OutboxEvent(action, row["ticket_id"], due, payload)])
