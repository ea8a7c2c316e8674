"""API keys with roles, stored hashed (only the holder ever sees the secret)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

from fairlane.clock import Clock
from fairlane.errors import AuthenticationFailed, NotFound, PermissionDenied
from fairlane.ids import new_id
from fairlane.services.ports import ApiKeyRow, UnitOfWork

__all__ = [
    "CreatedKey",
    "Permission",
    "Role",
    "authenticate",
    "create_key",
    "require",
    "revoke_key",
]


class Role(StrEnum):
    AGENT = "agent"
    LEAD = "lead"
    ADMIN = "admin"
    INTEGRATION = "integration"


class Permission(StrEnum):
    READ_TICKETS = "tickets:read"
    WRITE_TICKETS = "tickets:write"
    READ_ACCOUNTS = "accounts:read"
    WRITE_ACCOUNTS = "accounts:write"
    READ_AUDIT = "audit:read"
    READ_POLICY = "policy:read"
    MANAGE_KEYS = "keys:manage"
    MANAGE_WEBHOOKS = "webhooks:manage"
    REVIEW_TRIAGE = "triage:review"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.AGENT: frozenset(
        {
            Permission.READ_TICKETS,
            Permission.WRITE_TICKETS,
            Permission.READ_ACCOUNTS,
            Permission.READ_AUDIT,
            Permission.READ_POLICY,
            Permission.REVIEW_TRIAGE,
        }
    ),
    Role.INTEGRATION: frozenset(
        {
            Permission.READ_TICKETS,
            Permission.WRITE_TICKETS,
            Permission.READ_ACCOUNTS,
            Permission.WRITE_ACCOUNTS,
            Permission.READ_POLICY,
        }
    ),
    Role.LEAD: frozenset(
        {
            Permission.READ_TICKETS,
            Permission.WRITE_TICKETS,
            Permission.READ_ACCOUNTS,
            Permission.WRITE_ACCOUNTS,
            Permission.READ_AUDIT,
            Permission.READ_POLICY,
            Permission.REVIEW_TRIAGE,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}

_PREFIX = "fl"


@dataclass(frozen=True, slots=True)
class CreatedKey:
    id: str
    name: str
    role: Role
    secret: str  # shown once; only its hash is stored


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(*, name: str, role: Role, uow: UnitOfWork, clock: Clock) -> CreatedKey:
    """A key is ``fl_<lookup prefix>_<secret>``: the prefix finds the row, the hash checks it."""
    lookup = secrets.token_hex(6)
    secret = f"{_PREFIX}_{lookup}_{secrets.token_urlsafe(32)}"
    row = ApiKeyRow(
        id=new_id("key"),
        name=name,
        role=role.value,
        prefix=lookup,
        key_hash=_hash(secret),
        created_at=clock.now(),
        revoked_at=None,
    )
    with uow() as store:
        store.add_api_key(row)
    return CreatedKey(row.id, name, role, secret)


def authenticate(secret: str | None, *, uow: UnitOfWork) -> ApiKeyRow:
    if not secret:
        raise AuthenticationFailed(
            "Send an API key as 'Authorization: Bearer <key>' "
            "(create one with 'fairlane keys create')."
        )
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != _PREFIX:
        raise AuthenticationFailed("That is not a fairlane API key (they start with 'fl_').")
    with uow() as store:
        row = store.find_api_key(parts[1])
    if row is None or not hmac.compare_digest(row.key_hash, _hash(secret)):
        raise AuthenticationFailed("Unknown API key.")
    if row.revoked_at is not None:
        raise AuthenticationFailed(
            f"API key {row.name!r} was revoked at {row.revoked_at.isoformat()}."
        )
    return row


def require(row: ApiKeyRow, permission: Permission) -> None:
    role = Role(row.role)
    if permission not in _GRANTS[role]:
        allowed = sorted(r.value for r, grants in _GRANTS.items() if permission in grants)
        raise PermissionDenied(
            f"Role {role.value!r} may not {permission.value}; this needs one of: "
            + ", ".join(allowed)
            + ".",
            role=role.value,
            needed=permission.value,
        )


def revoke_key(key_id: str, *, uow: UnitOfWork, clock: Clock) -> None:
    with uow() as store:
        if not store.revoke_api_key(key_id, now=clock.now()):
            raise NotFound("active API key", key_id)
