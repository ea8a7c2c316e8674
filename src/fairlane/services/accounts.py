"""Account use cases: upsert (single, bulk, import) and the current VIP evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any

from fairlane.clock import Clock
from fairlane.domain.accounts import Account
from fairlane.domain.audit import AuditEntry, OutboxEvent
from fairlane.errors import FieldProblem, NotFound, ValidationFailed
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.decisions import VipEvaluation, evaluate_vip
from fairlane.services.ports import Store, UnitOfWork
from fairlane.services.retarget import retarget_account
from fairlane.services.schemas import AccountIn

__all__ = [
    "AccountView",
    "UpsertResult",
    "account_changes",
    "account_dict",
    "get_account_view",
    "retarget_if_changed",
    "upsert_accounts",
    "with_kept_health",
]


@dataclass(frozen=True, slots=True)
class UpsertResult:
    created: int
    updated: int
    unchanged: int
    account_ids: tuple[str, ...]


def account_dict(account: Account) -> dict[str, Any]:
    data = asdict(account)
    data["segment"] = account.segment.value
    for key, value in data.items():
        if isinstance(value, date | datetime):
            data[key] = value.isoformat()
        elif isinstance(value, tuple):
            data[key] = list(value)
    return data


_TARGET_FACTS = {"renewal_on", "health_score", "health_scored_at", "health_drop_points"}


def retarget_if_changed(
    store: Store,
    before: Account | None,
    after: Account,
    *,
    policy: CompiledPolicy,
    now: datetime,
    actor: str,
) -> int:
    """Re-decide the open tickets' targets (S2) when an update of a known account moved a
    fact they depend on (renewal date, health); returns how many tickets changed."""
    moved = set(account_changes(before, after)) & _TARGET_FACTS if before is not None else set()
    if not moved:
        return 0
    return retarget_account(
        store,
        after.id,
        policy=policy,
        now=now,
        actor=actor,
        cause="account changed: " + ", ".join(sorted(moved)),
    )


def with_kept_health(store: Store, accounts: list[Account]) -> list[Account]:
    """A record that carries no health score keeps the one fairlane computed from health
    signals (A3): a CRM sync or an import without health must not erase it."""
    missing = {a.id for a in accounts if a.health_score is None}
    if not missing:
        return accounts
    stored = store.find_accounts(ids=missing, identifiers=set()).accounts
    return [
        replace(
            a,
            health_score=stored[a.id].health_score,
            health_scored_at=stored[a.id].health_scored_at,
            health_drop_points=stored[a.id].health_drop_points,
        )
        if a.id in stored and a.health_score is None
        else a
        for a in accounts
    ]


def account_changes(before: Account | None, after: Account) -> dict[str, list[Any]]:
    """Field -> [before, after] for every field that changed (everything when new)."""
    new = account_dict(after)
    old = account_dict(before) if before is not None else dict.fromkeys(new)
    return {k: [old[k], v] for k, v in new.items() if old[k] != v}


def upsert_accounts(
    accounts: Sequence[AccountIn],
    *,
    uow: UnitOfWork,
    clock: Clock,
    policy: CompiledPolicy,
    actor: str,
) -> UpsertResult:
    """All or nothing: one transaction, audited per account with before/after."""
    ids = [a.id for a in accounts]
    first_seen: dict[str, int] = {}
    problems = []
    for position, account_id in enumerate(ids):
        earlier = first_seen.setdefault(account_id, position)
        if earlier != position:
            problems.append(
                FieldProblem(
                    (position, "id"),
                    f"account {account_id!r} appears again (first at item {earlier + 1})",
                )
            )
    if problems:
        raise ValidationFailed(
            "The same account id appears more than once; nothing was imported.", problems
        )
    now = clock.now()
    created = updated = unchanged = 0
    with uow() as store:
        domain_accounts = with_kept_health(store, [a.to_domain() for a in accounts])
        befores = store.upsert_accounts(domain_accounts, now=now)
        audit, events = [], []
        for before, after in zip(befores, domain_accounts, strict=True):
            changes = account_changes(before, after)
            if before is None:
                created += 1
            elif changes:
                updated += 1
            else:
                unchanged += 1
                continue
            action = "account.created" if before is None else "account.updated"
            audit.append(
                AuditEntry(
                    occurred_at=now,
                    actor=actor,
                    action=action,
                    subject_type="account",
                    subject_id=after.id,
                    account_id=after.id,
                    policy_ref=policy.ref,
                    inputs={"changes": changes},
                    outcome={"account_id": after.id},
                    reasons=(f"{action.split('.')[1]} by {actor}",),
                )
            )
            events.append(
                OutboxEvent(
                    action, after.id, now, {"account_id": after.id, "changed": sorted(changes)}
                )
            )
        store.add_audit(audit)
        store.add_events(events)
        for before, after in zip(befores, domain_accounts, strict=True):
            retarget_if_changed(store, before, after, policy=policy, now=now, actor=actor)
    return UpsertResult(created, updated, unchanged, tuple(ids))


@dataclass(frozen=True, slots=True)
class AccountView:
    account: Account
    vip: VipEvaluation
    evaluated_at: datetime


def get_account_view(
    account_id: str, *, uow: UnitOfWork, clock: Clock, policy: CompiledPolicy
) -> AccountView:
    with uow() as store:
        account = store.get_account(account_id)
    if account is None:
        raise NotFound("account", account_id)
    now = clock.now()
    return AccountView(account, evaluate_vip(account, policy, now=now), now)
