"""Dynamic targets (S2): when an account's situation changes, its open tickets' SLA targets are
decided again with the same function intake uses, and every change is audited before/after."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from fairlane.domain.audit import AuditEntry
from fairlane.domain.clocks import ClockKind
from fairlane.domain.tickets import Lane, Priority
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.decisions import decide_sla_targets
from fairlane.services.clocks import clock_from_row, clock_row
from fairlane.services.ports import Store

__all__ = ["retarget_account", "retarget_renewal_windows"]


def retarget_account(
    store: Store, account_id: str, *, policy: CompiledPolicy, now: datetime, actor: str, cause: str
) -> int:
    """Recompute the targets of the account's open tickets; returns how many tickets changed."""
    account = store.get_account(account_id)
    tickets = store.open_tickets_for_account(account_id)
    if account is None or not tickets:
        return 0
    clocks: dict[tuple[str, str], dict[str, Any]] = {
        (row["ticket_id"], row["kind"]): row
        for row in store.clocks_for_tickets([ticket["id"] for ticket in tickets])
    }
    changed = 0
    audit: list[AuditEntry] = []
    updated: list[dict[str, Any]] = []
    dues: list[dict[str, Any]] = []
    for ticket in tickets:
        team = ticket["team"] if ticket["team"] in policy.team_calendars else policy.default_team
        sla = decide_sla_targets(
            lane=Lane(ticket["lane"]),
            priority=Priority(ticket["priority"]),
            team=team,
            account=account,
            policy=policy,
            now=now,
        )
        targets = {
            ClockKind.FIRST_RESPONSE.value: sla.first_response_seconds,
            ClockKind.RESOLUTION.value: sla.resolution_seconds,
        }
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for kind, target in targets.items():
            row = clocks.get((ticket["id"], kind))
            if row is None or row["met_at"] is not None or row["target_seconds"] == target:
                continue
            clock = replace(clock_from_row(row), target_seconds=target)
            new_row = clock_row(
                ticket["id"],
                clock,
                calendar_name=row["calendar"],
                reason="; ".join(sla.reasons),
                policy=policy,
                previous=row,
            )
            updated.append(new_row)
            before[kind] = {"target_seconds": row["target_seconds"], "due_at": _iso(row["due_at"])}
            after[kind] = {"target_seconds": target, "due_at": _iso(new_row["due_at"])}
        if before:
            changed += 1
            due = {
                k: clocks[(ticket["id"], k)]["due_at"]
                for k in targets
                if (ticket["id"], k) in clocks
            }
            due.update({k: v["due_at"] for k, v in after.items()})
            dues.append(
                {
                    "ticket_id": ticket["id"],
                    "first_response_due_at": _parse(due.get("first_response")),
                    "resolution_due_at": _parse(due.get("resolution")),
                }
            )
            audit.append(
                AuditEntry(
                    occurred_at=now,
                    actor=actor,
                    action="sla.targets_changed",
                    subject_type="ticket",
                    subject_id=ticket["id"],
                    ticket_id=ticket["id"],
                    account_id=account_id,
                    policy_ref=policy.ref,
                    inputs={"cause": cause, "modifiers": list(sla.modifiers)},
                    outcome={"before": before, "after": after},
                    reasons=(cause, *sla.reasons),
                )
            )
    store.save_clocks(
        updated,
        columns=(
            "target_seconds",
            "due_at",
            "warning_at",
            "next_action_at",
            "reason",
            "policy_ref",
        ),
    )
    store.set_tickets_due(dues)
    store.add_audit(audit)
    return changed


def _parse(value: datetime | str | None) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def retarget_renewal_windows(store: Store, *, policy: CompiledPolicy, now: datetime) -> int:
    """Once a day: accounts whose renewal window opens or closes today get new targets (S2:
    tighten while renewal is within the window, revert after). Returns tickets changed."""
    today = now.date()
    last = store.claim_daily_job("renewal-windows", day=today.isoformat(), now=now)
    if last is None:
        return 0
    within = policy.document.sla.modifiers.renewal_window.within_days
    # Every day since the last run (at most 60 back), so a stopped worker catches up.
    first = today
    if last:
        first = max(date.fromisoformat(last) + timedelta(days=1), today - timedelta(days=60))
    missed = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    days = sorted(
        {d + timedelta(days=within) for d in missed} | {d - timedelta(days=1) for d in missed}
    )
    changed = 0
    for account_id in store.accounts_renewing_on(days):
        changed += retarget_account(
            store,
            account_id,
            policy=policy,
            now=now,
            actor="worker",
            cause="the renewal window opened or closed today",
        )
    return changed
