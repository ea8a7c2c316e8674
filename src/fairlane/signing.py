"""Webhook signatures: HMAC-SHA256 over ``"<timestamp>.<body>"`` (receivers use :func:`verify`).

The header fairlane sends is ``Fairlane-Signature: t=<unix seconds>,v1=<hex digest>``. A
receiver recomputes the digest with the subscription's secret over the timestamp, a dot and
the raw request body, compares in constant time, and rejects timestamps older than its
tolerance (replays). This module has no dependencies so a receiver can copy it.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["SIGNATURE_HEADER", "sign", "signature_header", "verify"]

SIGNATURE_HEADER = "Fairlane-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify(
    secret: str, header: str, body: bytes, *, now: int, tolerance_seconds: int = 300
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` and is dated near ``now``."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance_seconds:
        return False
    return hmac.compare_digest(parts.get("v1", ""), sign(secret, timestamp, body))
