"""SLA clocks in a team's business hours."""

from __future__ import annotations

from datetime import UTC, datetime, time

from fairlane.domain.calendar import BusinessCalendar
from fairlane.domain.clocks import ClockKind, ClockState, SlaClock

NINE_TO_FIVE = BusinessCalendar(
    name="ny",
    timezone="America/New_York",
    weekly_hours={d: ((time(9), time(17)),) for d in range(5)},
)
MONDAY_10 = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # 10:00 New York


def test_paused_ticket_resumes_with_the_remaining_business_time() -> None:
    clock = SlaClock.start(ClockKind.RESOLUTION, target_seconds=4 * 3600, at=MONDAY_10)
    paused = clock.pause(NINE_TO_FIVE, datetime(2026, 11, 23, 16, 0, tzinfo=UTC))  # 1 h used
    resumed = paused.resume(NINE_TO_FIVE, datetime(2026, 11, 24, 14, 0, tzinfo=UTC))  # Tue 09:00
    assert resumed.due_at(NINE_TO_FIVE) == datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # Tue 12:00
    reading = resumed.read(NINE_TO_FIVE, datetime(2026, 11, 24, 17, 0, tzinfo=UTC))
    assert reading.paused_seconds == 6 * 3600  # Monday 11:00-17:00; Tuesday resumes at opening
    assert reading.state is ClockState.BREACHED


def test_clock_read_after_its_due_instant_says_by_how_much_it_breached() -> None:
    clock = SlaClock.start(ClockKind.FIRST_RESPONSE, target_seconds=1800, at=MONDAY_10)
    reading = clock.read(NINE_TO_FIVE, datetime(2026, 11, 23, 16, 0, tzinfo=UTC))
    assert reading.state is ClockState.BREACHED
    assert reading.breached_by_seconds == 1800


def test_reply_in_time_meets_the_first_response_clock() -> None:
    clock = SlaClock.start(ClockKind.FIRST_RESPONSE, target_seconds=1800, at=MONDAY_10)
    met = clock.meet(NINE_TO_FIVE, datetime(2026, 11, 23, 15, 20, tzinfo=UTC))
    reading = met.read(NINE_TO_FIVE, datetime(2026, 11, 25, tzinfo=UTC))
    assert reading.state is ClockState.MET
    assert reading.elapsed_seconds == 1200
    assert reading.breached_by_seconds == 0
