"""Repositories for policies, API keys and agents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    delete,
    func,
    insert,
    select,
    update,
)

from fairlane.adapters.db import tables as t
from fairlane.services.ports import ApiKeyRow


class AdminRepository:
    connection: Connection

    # --- policies ------------------------------------------------------------------------
    def register_policy(
        self,
        *,
        ref: str,
        name: str,
        version: str,
        document: dict[str, Any],
        source: str,
        actor: str,
        now: datetime,
    ) -> bool:
        exists = self.connection.scalar(select(func.count()).where(t.policies.c.ref == ref))
        if exists:
            return False
        self.connection.execute(
            insert(t.policies).values(
                ref=ref,
                name=name,
                version=version,
                document=document,
                source=source[:512],
                actor=actor,
                registered_at=now,
            )
        )
        return True

    def policy_changelog(self) -> list[dict[str, Any]]:
        c = t.policies.c
        query = select(c.ref, c.name, c.version, c.source, c.actor, c.registered_at).order_by(
            c.registered_at
        )
        return [dict(row._mapping) for row in self.connection.execute(query)]

    # --- API keys and agents -------------------------------------------------------------
    def add_api_key(self, row: ApiKeyRow) -> None:
        self.connection.execute(insert(t.api_keys).values(**asdict(row)))

    def find_api_key(self, prefix: str) -> ApiKeyRow | None:
        row = self.connection.execute(
            select(t.api_keys).where(t.api_keys.c.prefix == prefix)
        ).first()
        return None if row is None else ApiKeyRow(**row._mapping)

    def list_api_keys(self) -> list[ApiKeyRow]:
        rows = self.connection.execute(select(t.api_keys).order_by(t.api_keys.c.created_at))
        return [ApiKeyRow(**row._mapping) for row in rows]

    def revoke_api_key(self, key_id: str, *, now: datetime) -> bool:
        result = self.connection.execute(
            update(t.api_keys)
            .where(t.api_keys.c.id == key_id, t.api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return bool(result.rowcount)

    def upsert_agents(self, agents: Sequence[dict[str, Any]]) -> None:
        ids = [a["id"] for a in agents]
        if ids:
            self.connection.execute(delete(t.agents).where(t.agents.c.id.in_(ids)))
            self.connection.execute(insert(t.agents), list(agents))
