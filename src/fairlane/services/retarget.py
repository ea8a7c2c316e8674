"""Dynamic targets (S2): when an account's situation changes, its open tickets' SLA targets are
decided again with the same function intake uses, and every change is audited before/after."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fairlane.domain.accounts import Account
from fairlane.domain.audit import AuditEntry
from fairlane.domain.clocks import ClockKind
from fairlane.domain.tickets import Lane, Priority
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.decisions import SlaTargets, decide_sla_targets
from fairlane.services.clocks import clock_from_row, clock_row
from fairlane.services.ports import Store

__all__ = ["retarget_account", "retarget_daily", "retarget_ticket"]


def retarget_account(
    store: Store, account_id: str, *, policy: CompiledPolicy, now: datetime, actor: str, cause: str
) -> int:
    """Recompute the targets of the account's open tickets; returns how many tickets changed.

    The targets depend only on (lane, priority, team) once the account and the instant are
    fixed, so each combination is decided once; every clock whose target moves is rebuilt
    with its new due and warning instants, and each changed ticket gets one audit entry."""
    account = store.get_account(account_id)
    if account is None:
        return 0
    rows = store.open_clocks(kinds=_RETARGETED, account_id=account_id)
    return _retarget(store, rows, account, policy=policy, now=now, actor=actor, cause=cause)


def retarget_ticket(
    store: Store,
    ticket_id: str,
    account: Account | None,
    *,
    policy: CompiledPolicy,
    now: datetime,
    actor: str,
    cause: str,
) -> int:
    """Re-decide one open ticket's targets after its lane or priority changed (1 or 0)."""
    rows = store.open_clocks(kinds=_RETARGETED, ticket_id=ticket_id)
    return _retarget(store, rows, account, policy=policy, now=now, actor=actor, cause=cause)


def _retarget(
    store: Store,
    rows: list[dict[str, Any]],
    account: Account | None,
    *,
    policy: CompiledPolicy,
    now: datetime,
    actor: str,
    cause: str,
) -> int:
    account_id = account.id if account is not None else None
    decided: dict[tuple[str, str, str], tuple[SlaTargets, str]] = {}
    changes: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for row in rows:
        key = _key(row, policy)
        decision = decided.get(key)
        if decision is None:
            targets = decide_sla_targets(
                lane=Lane(row["lane"]),
                priority=Priority(row["priority"]),
                team=key[2],
                account=account,
                policy=policy,
                now=now,
            )
            decision = decided[key] = (targets, "; ".join(targets.reasons))
        targets, why = decision
        target = (
            targets.first_response_seconds
            if row["kind"] == ClockKind.FIRST_RESPONSE.value
            else targets.resolution_seconds
        )
        if row["target_seconds"] == target:
            continue
        new_row = clock_row(
            row["ticket_id"],
            clock_from_row(row, target_seconds=target),
            calendar_name=row["calendar"],
            reason=why,
            policy=policy,
            previous=row,
        )
        changes.setdefault(row["ticket_id"], []).append((row, new_row))
    audit: list[AuditEntry] = []
    dues: list[dict[str, Any]] = []
    for ticket_id, moved in changes.items():
        targets = decided[_key(moved[0][0], policy)][0]
        before = {
            old["kind"]: {"target_seconds": old["target_seconds"], "due_at": old["due_at"]}
            for old, _ in moved
        }
        after = {
            new["kind"]: {"target_seconds": new["target_seconds"], "due_at": new["due_at"]}
            for _, new in moved
        }
        due = {new["kind"]: new["due_at"] for _, new in moved}
        dues.append(
            {
                "ticket_id": ticket_id,  # None keeps the stored instant of an unchanged clock
                "first_response_due_at": due.get(ClockKind.FIRST_RESPONSE.value),
                "resolution_due_at": due.get(ClockKind.RESOLUTION.value),
            }
        )
        audit.append(
            AuditEntry(
                occurred_at=now,
                actor=actor,
                action="sla.targets_changed",
                subject_type="ticket",
                subject_id=ticket_id,
                ticket_id=ticket_id,
                account_id=account_id,
                policy_ref=policy.ref,
                inputs={"cause": cause, "modifiers": list(targets.modifiers)},
                outcome={"before": before, "after": after},
                reasons=(cause, *targets.reasons),
            )
        )
    store.save_clocks(
        [new for moved in changes.values() for _, new in moved],
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
    return len(changes)


_RETARGETED = (ClockKind.FIRST_RESPONSE.value, ClockKind.RESOLUTION.value)


def _key(row: dict[str, Any], policy: CompiledPolicy) -> tuple[str, str, str]:
    team = row["team"] if row["team"] in policy.team_calendars else policy.default_team
    return (row["lane"], row["priority"], team)


def retarget_daily(store: Store, *, policy: CompiledPolicy, now: datetime) -> int:
    """Once a day, the accounts whose situation changed with the calendar alone get new
    targets (S2): a renewal window that opens or closes today (tighten while renewal is within
    the window, revert after), and a health score that went stale since the last run (A4: a
    stale score is not trusted, so a ``low_health`` tightening it caused is lifted). A worker
    that was stopped catches up on every day it missed (at most 60). Returns tickets changed.
    """
    today = now.date()
    last = store.claim_daily_job("renewal-windows", day=today.isoformat(), now=now)
    if last is None:
        return 0
    within = policy.document.sla.modifiers.renewal_window.within_days
    first = today
    if last:
        first = max(date.fromisoformat(last) + timedelta(days=1), today - timedelta(days=60))
    missed = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    days = sorted(
        {d + timedelta(days=within) for d in missed} | {d - timedelta(days=1) for d in missed}
    )
    # A score is stale once older than freshness_days: those scored in the window below
    # crossed that line since the last run (a day of overlap on each side is harmless, as
    # re-targeting an unchanged account writes nothing).
    freshness = timedelta(days=policy.document.health.freshness_days)
    midnight = datetime.combine(first, time(), tzinfo=UTC)
    stale_from = midnight - freshness - timedelta(days=1)
    stale_until = datetime.combine(today, time(), tzinfo=UTC) + timedelta(days=1) - freshness
    causes = dict.fromkeys(
        store.accounts_renewing_on(days), "the renewal window opened or closed today"
    )
    stale = f"the health score is older than {freshness.days} days, so it is no longer trusted"
    for account_id in store.accounts_scored_between(stale_from, stale_until):
        causes[account_id] = f"{causes[account_id]}; {stale}" if account_id in causes else stale
    changed = 0
    for account_id, cause in causes.items():
        changed += retarget_account(
            store, account_id, policy=policy, now=now, actor="worker", cause=cause
        )
    return changed
