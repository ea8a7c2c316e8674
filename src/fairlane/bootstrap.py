"""The composition root: settings in, a wired application out."""

from __future__ import annotations

import gc
from dataclasses import dataclass

from sqlalchemy import Engine

from fairlane.adapters.crm import crm_lookup_from_spec
from fairlane.adapters.db.engine import make_engine, upgrade_database
from fairlane.adapters.db.store import SqlUnitOfWork
from fairlane.clock import Clock, SystemClock
from fairlane.config import Settings
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.loader import default_policy, load_policy
from fairlane.services.crm import CrmRefresher
from fairlane.services.policies import register_policy

__all__ = ["Application", "bootstrap", "freeze_start_up_heap"]


@dataclass
class Application:
    settings: Settings
    engine: Engine
    uow: SqlUnitOfWork
    clock: Clock
    policy: CompiledPolicy
    crm: CrmRefresher | None

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    policy: CompiledPolicy | None = None,
) -> Application:
    """Open the database (upgrading an empty or older schema), load and register the policy."""
    settings = settings or Settings()
    clock = clock or SystemClock()
    if policy is None:
        policy = load_policy(settings.policy) if settings.policy else default_policy()
    crm = None
    if settings.crm_lookup:
        lookup = crm_lookup_from_spec(
            settings.crm_lookup, timeout_seconds=settings.crm_timeout_seconds
        )
        crm = CrmRefresher(lookup, timeout_seconds=settings.crm_timeout_seconds)
    engine = make_engine(settings.database_url)
    upgrade_database(engine)
    uow = SqlUnitOfWork(engine)
    register_policy(
        policy,
        uow=uow,
        clock=clock,
        actor="system",
        source=str(settings.policy) if settings.policy else "(shipped default)",
    )
    return Application(settings, engine, uow, clock, policy, crm)


def freeze_start_up_heap() -> None:
    """For long-running processes (``fairlane serve``, ``fairlane worker``), once they are set
    up: collect, then move every object that exists now (modules, the compiled policy and its
    calendars, SQLAlchemy's statement caches) to the collector's permanent generation with
    :func:`gc.freeze`. Full collections during a large batch (re-targeting 10,000 tickets
    allocates ~100,000 containers) then scan only the batch's own objects; measured, that is
    ~15 % of the batch's time. Nothing is leaked: frozen objects stay alive as they would."""
    gc.collect()
    gc.freeze()
