"""The policy changelog (M9): every policy version that ever decided anything is kept."""

from __future__ import annotations

from fairlane.clock import Clock
from fairlane.domain.audit import AuditEntry
from fairlane.policy.compiled import CompiledPolicy
from fairlane.services.ports import UnitOfWork

__all__ = ["register_policy"]


def register_policy(
    policy: CompiledPolicy, *, uow: UnitOfWork, clock: Clock, actor: str, source: str
) -> bool:
    """Record ``policy`` in the changelog the first time it is used; True when it was new."""
    now = clock.now()
    with uow() as store:
        is_new = store.register_policy(
            ref=policy.ref,
            name=policy.name,
            version=policy.version,
            document=policy.as_dict(),
            source=source,
            actor=actor,
            now=now,
        )
        if is_new:
            store.add_audit(
                [
                    AuditEntry(
                        occurred_at=now,
                        actor=actor,
                        action="policy.registered",
                        subject_type="policy",
                        subject_id=policy.ref,
                        policy_ref=policy.ref,
                        inputs={"source": source},
                        outcome={"version": policy.version},
                        reasons=(f"policy {policy.ref} first used",),
                    )
                ]
            )
    return is_new
