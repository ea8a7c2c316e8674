"""Repositories for accounts and their identifiers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    delete,
    insert,
    select,
    update,
)

from fairlane.adapters.db import tables as t
from fairlane.domain.accounts import Account, Segment
from fairlane.errors import Conflict
from fairlane.services.ports import AccountMatchIndex

_CHUNK = 500


class AccountRepository:
    connection: Connection

    # --- accounts ------------------------------------------------------------------------
    def find_accounts(
        self, *, ids: set[str], identifiers: set[tuple[str, str]]
    ) -> AccountMatchIndex:
        ident = t.account_identifiers.c
        mapping: dict[tuple[str, str], str] = {}
        by_kind: dict[str, list[str]] = {}
        for kind, value in identifiers:
            by_kind.setdefault(kind, []).append(value)
        for kind, values in by_kind.items():
            for start in range(0, len(values), _CHUNK):
                chunk = values[start : start + _CHUNK]
                query = select(ident.value, ident.account_id).where(
                    ident.kind == kind, ident.value.in_(chunk)
                )
                for value, account_id in self.connection.execute(query):
                    mapping[(kind, value)] = account_id
        wanted = list(ids | set(mapping.values()))
        return AccountMatchIndex(self._load_accounts(wanted), mapping)

    def get_account(self, account_id: str) -> Account | None:
        return self._load_accounts([account_id]).get(account_id)

    def _load_accounts(self, ids: list[str]) -> dict[str, Account]:
        rows: list[Any] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows += self.connection.execute(
                select(t.accounts).where(t.accounts.c.id.in_(chunk))
            ).all()
        if not rows:
            return {}
        idents: dict[str, dict[str, list[str]]] = {}
        ident = t.account_identifiers.c
        for start in range(0, len(rows), _CHUNK):
            chunk_ids = [r.id for r in rows[start : start + _CHUNK]]
            query = (
                select(ident.account_id, ident.kind, ident.value)
                .where(ident.account_id.in_(chunk_ids))
                .order_by(ident.kind, ident.value)
            )
            for account_id, kind, value in self.connection.execute(query):
                idents.setdefault(account_id, {}).setdefault(kind, []).append(value)
        return {row.id: _account(row, idents.get(row.id, {})) for row in rows}

    def upsert_accounts(
        self, accounts: Sequence[Account], *, now: datetime
    ) -> list[Account | None]:
        before = self._load_accounts([a.id for a in accounts])
        self._check_identifier_owners(accounts)
        new_rows = [
            _account_row(a, created_at=now, updated_at=now) for a in accounts if a.id not in before
        ]
        if new_rows:
            self.connection.execute(insert(t.accounts), new_rows)
        for account in accounts:
            if account.id in before:
                row = _account_row(account, created_at=now, updated_at=now)
                del row["created_at"]
                self.connection.execute(
                    update(t.accounts).where(t.accounts.c.id == account.id), row
                )
        ids = [a.id for a in accounts]
        for start in range(0, len(ids), _CHUNK):
            self.connection.execute(
                delete(t.account_identifiers).where(
                    t.account_identifiers.c.account_id.in_(ids[start : start + _CHUNK])
                )
            )
        ident_rows = [
            {"kind": kind, "value": value, "account_id": a.id}
            for a in accounts
            for kind, value in _identifiers(a)
        ]
        if ident_rows:
            self.connection.execute(insert(t.account_identifiers), ident_rows)
        return [before.get(a.id) for a in accounts]

    def _check_identifier_owners(self, accounts: Sequence[Account]) -> None:
        claimed: dict[tuple[str, str], str] = {}
        for account in accounts:
            for key in _identifiers(account):
                other = claimed.setdefault(key, account.id)
                if other != account.id:
                    raise Conflict(
                        f"{key[0]} {key[1]!r} is claimed by both account {other!r} and "
                        f"account {account.id!r}; an identifier may belong to one account."
                    )
        existing = self.find_accounts(ids=set(), identifiers=set(claimed)).identifiers
        for key, owner in existing.items():
            if owner != claimed[key]:
                raise Conflict(
                    f"{key[0]} {key[1]!r} already belongs to account {owner!r}; remove it "
                    f"there first or drop it from account {claimed[key]!r}."
                )


def _identifiers(account: Account) -> list[tuple[str, str]]:
    return (
        [("domain", d) for d in account.email_domains]
        + [("client_id", c) for c in account.client_ids]
        + [("tag", g) for g in account.requester_tags]
    )


def _account_row(account: Account, *, created_at: datetime, updated_at: datetime) -> dict[str, Any]:
    return {
        "id": account.id,
        "name": account.name,
        "segment": account.segment.value,
        "plan": account.plan,
        "arr_cents": account.arr_cents,
        "acv_cents": account.acv_cents,
        "currency": account.currency,
        "renewal_on": account.renewal_on,
        "is_strategic": account.is_strategic,
        "strategic_reason": account.strategic_reason,
        "csm_owner": account.csm_owner,
        "tags": list(account.tags),
        "health_score": account.health_score,
        "health_scored_at": account.health_scored_at,
        "health_drop_points": account.health_drop_points,
        "created_at": created_at,
        "updated_at": updated_at,
    }


def _account(row: Any, idents: dict[str, list[str]]) -> Account:
    return Account(
        id=row.id,
        name=row.name,
        segment=Segment(row.segment),
        plan=row.plan,
        arr_cents=row.arr_cents,
        acv_cents=row.acv_cents,
        currency=row.currency,
        renewal_on=row.renewal_on,
        is_strategic=row.is_strategic,
        strategic_reason=row.strategic_reason,
        csm_owner=row.csm_owner,
        email_domains=tuple(idents.get("domain", [])),
        client_ids=tuple(idents.get("client_id", [])),
        requester_tags=tuple(idents.get("tag", [])),
        tags=tuple(row.tags or []),
        health_score=row.health_score,
        health_scored_at=row.health_scored_at,
        health_drop_points=row.health_drop_points,
    )
