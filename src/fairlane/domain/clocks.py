"""SLA clocks that run in business time, pause and resume (S4), and say where they stand.

A clock is an immutable value: every event (pause, resume, met) returns a new clock. Time
already used is kept in business seconds (``used_seconds``) plus the instant the current
running stretch began (``running_since``), so a pause freezes the clock exactly and a resume
continues with the remaining business time. Nothing here reads the wall clock: every method
takes the instant it is asked about.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from fairlane.domain.calendar import BusinessCalendar

__all__ = ["ClockKind", "ClockReading", "ClockState", "SlaClock"]


class ClockKind(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_UPDATE = "next_update"
    RESOLUTION = "resolution"


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"


@dataclass(frozen=True, slots=True)
class ClockReading:
    """Where a clock stands at one instant."""

    state: ClockState
    due_at: datetime | None  # None while paused: the remaining time is known, the instant not
    elapsed_seconds: int
    remaining_seconds: int
    paused_seconds: int
    breached_by_seconds: int  # business seconds past the target (0 when within it)
    fraction_used: float


@dataclass(frozen=True, slots=True)
class SlaClock:
    kind: ClockKind
    target_seconds: int
    started_at: datetime
    used_seconds: int = 0
    running_since: datetime | None = None
    paused_at: datetime | None = None
    paused_seconds: int = 0
    met_at: datetime | None = None
    cap_at: datetime | None = None  # an elapsed-time ceiling (S1: standard first response 24 h)

    @classmethod
    def start(
        cls, kind: ClockKind, *, target_seconds: int, at: datetime, cap_at: datetime | None = None
    ) -> SlaClock:
        if target_seconds <= 0:
            raise ValueError("a clock needs a positive target")
        return cls(kind, target_seconds, at, running_since=at, cap_at=cap_at)

    @property
    def is_running(self) -> bool:
        return self.running_since is not None and self.met_at is None

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None and self.met_at is None

    def elapsed_seconds(self, calendar: BusinessCalendar, at: datetime) -> int:
        """Business seconds used up to ``at`` (never more once the clock stopped)."""
        stop = self.met_at if self.met_at is not None else at
        if self.running_since is None or stop <= self.running_since:
            return self.used_seconds
        return self.used_seconds + calendar.business_seconds_between(self.running_since, stop)

    def due_at(self, calendar: BusinessCalendar) -> datetime | None:
        """When the target runs out if the clock keeps running; None while paused."""
        if self.running_since is None:
            return None
        remaining = self.target_seconds - self.used_seconds
        due = (
            self.running_since
            if remaining <= 0
            else calendar.add_business_seconds(self.running_since, remaining)
        )
        return due if self.cap_at is None else min(due, self.cap_at)

    def warning_at(self, calendar: BusinessCalendar, fraction: float) -> datetime | None:
        """When ``fraction`` of the target has been used (S5), if still ahead and running."""
        if self.running_since is None:
            return None
        threshold = max(1, round(self.target_seconds * fraction))
        ahead = threshold - self.used_seconds
        if ahead <= 0:
            return self.running_since
        return calendar.add_business_seconds(self.running_since, ahead)

    def pause(self, calendar: BusinessCalendar, at: datetime) -> SlaClock:
        """Stop counting (waiting on the customer, on hold); a paused or met clock is unchanged."""
        if not self.is_running or self.running_since is None:
            return self
        at = max(at, self.running_since)
        return replace(
            self, used_seconds=self.elapsed_seconds(calendar, at), running_since=None, paused_at=at
        )

    def resume(self, calendar: BusinessCalendar, at: datetime) -> SlaClock:
        """Count again with the remaining business time."""
        if not self.is_paused or self.paused_at is None:
            return self
        at = max(at, self.paused_at)
        paused = calendar.business_seconds_between(self.paused_at, at)
        return replace(
            self, running_since=at, paused_at=None, paused_seconds=self.paused_seconds + paused
        )

    def meet(self, calendar: BusinessCalendar, at: datetime) -> SlaClock:
        """The clock's promise was kept (or kept late) at ``at``; it stops for good."""
        if self.met_at is not None:
            return self
        clock = self.resume(calendar, at) if self.is_paused else self
        start = clock.running_since or at
        return replace(clock, met_at=max(at, start))

    def read(self, calendar: BusinessCalendar, at: datetime) -> ClockReading:
        elapsed = self.elapsed_seconds(calendar, at)
        over = max(0, elapsed - self.target_seconds)
        stop = self.met_at if self.met_at is not None else at
        if self.cap_at is not None and stop > self.cap_at:
            over = max(over, int((stop - self.cap_at).total_seconds()))
        if self.met_at is not None:
            state = ClockState.MET
        elif over > 0 or (self.is_running and elapsed >= self.target_seconds):
            state = ClockState.BREACHED
        elif self.is_paused:
            state = ClockState.PAUSED
        else:
            state = ClockState.RUNNING
        paused = self.paused_seconds
        if self.is_paused and self.paused_at is not None and at > self.paused_at:
            paused += calendar.business_seconds_between(self.paused_at, at)
        return ClockReading(
            state=state,
            due_at=self.due_at(calendar),
            elapsed_seconds=elapsed,
            remaining_seconds=max(0, self.target_seconds - elapsed),
            paused_seconds=paused,
            breached_by_seconds=over,
            fraction_used=elapsed / self.target_seconds,
        )
