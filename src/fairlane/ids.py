"""Public identifiers: a short prefix saying what it is, then 20 random base32 characters."""

from __future__ import annotations

import base64
import secrets

__all__ = ["new_id"]


def new_id(prefix: str) -> str:
    """``new_id("tkt")`` -> ``tkt_k3v9...``; unguessable, URL-safe, lower case."""
    raw = base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()
    return f"{prefix}_{raw}"
