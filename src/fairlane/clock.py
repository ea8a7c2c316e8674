"""Time comes from an injected Clock; nothing below the entrypoints calls ``datetime.now()``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["Clock", "FixedClock", "SystemClock", "ensure_aware_utc"]


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The wall clock. Only entrypoints and the composition root construct it."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told to move (tests, simulation, replays)."""

    def __init__(self, at: datetime) -> None:
        self._at = ensure_aware_utc(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = ensure_aware_utc(at)

    def advance(self, delta: timedelta) -> None:
        self._at = self._at + delta


def ensure_aware_utc(value: datetime) -> datetime:
    """Return ``value`` in UTC; a naive datetime is a programming error here."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} has no time zone")
    return value.astimezone(UTC)
