"""Property tests for SLA clocks: pauses freeze time exactly and never run a clock backwards."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from fairlane.domain.calendar import BusinessCalendar
from fairlane.domain.clocks import ClockKind, ClockState, SlaClock

CALENDARS = [
    BusinessCalendar.always_open(),
    BusinessCalendar(
        name="london",
        timezone="Europe/London",
        weekly_hours={d: ((time(9), time(12, 30)), (time(13, 30), time(17, 30))) for d in range(5)},
    ),
    BusinessCalendar(
        name="night",
        timezone="America/New_York",
        weekly_hours={d: ((time(22), time(6)),) for d in range(6)},
    ),
]
START = datetime(2026, 3, 1, tzinfo=UTC)  # a month with DST changes in both zones

calendars = st.sampled_from(CALENDARS)
offsets = st.lists(st.integers(min_value=0, max_value=40 * 86_400), min_size=1, max_size=12)
targets = st.integers(min_value=60, max_value=5 * 86_400)


def _at(seconds: int) -> datetime:
    return START + timedelta(seconds=seconds)


@settings(max_examples=150, deadline=None)
@given(calendar=calendars, target=targets, events=offsets, probes=offsets)
def test_pausing_and_resuming_never_runs_a_clock_backwards(
    calendar: BusinessCalendar, target: int, events: list[int], probes: list[int]
) -> None:
    clock = SlaClock.start(ClockKind.RESOLUTION, target_seconds=target, at=START)
    last_elapsed = 0
    for index, offset in enumerate(sorted(events)):
        at = _at(offset)
        assert clock.elapsed_seconds(calendar, at) >= last_elapsed
        last_elapsed = clock.elapsed_seconds(calendar, at)
        clock = clock.pause(calendar, at) if index % 2 == 0 else clock.resume(calendar, at)
    readings = [clock.elapsed_seconds(calendar, _at(p)) for p in sorted(probes)]
    assert readings == sorted(readings)


@settings(max_examples=150, deadline=None)
@given(
    calendar=calendars,
    target=targets,
    pause_at=st.integers(0, 20 * 86_400),
    pause_for=st.integers(0, 20 * 86_400),
)
def test_a_pause_adds_exactly_its_business_time_to_the_due_instant(
    calendar: BusinessCalendar, target: int, pause_at: int, pause_for: int
) -> None:
    clock = SlaClock.start(ClockKind.FIRST_RESPONSE, target_seconds=target, at=START)
    paused = clock.pause(calendar, _at(pause_at))
    resumed = paused.resume(calendar, _at(pause_at + pause_for))
    assert paused.due_at(calendar) is None
    due = resumed.due_at(calendar)
    assert due is not None
    used = resumed.elapsed_seconds(calendar, due)
    assert used == max(target, paused.used_seconds)
    assert resumed.paused_seconds == calendar.business_seconds_between(
        _at(pause_at), _at(pause_at + pause_for)
    )


@settings(max_examples=150, deadline=None)
@given(calendar=calendars, target=targets, idle=st.integers(0, 30 * 86_400))
def test_a_paused_clock_does_not_breach_while_waiting_on_the_customer(
    calendar: BusinessCalendar, target: int, idle: int
) -> None:
    clock = SlaClock.start(ClockKind.RESOLUTION, target_seconds=target, at=START).pause(
        calendar, START
    )
    reading = clock.read(calendar, _at(idle))
    assert reading.state is ClockState.PAUSED
    assert reading.elapsed_seconds == 0
    assert reading.remaining_seconds == target


@settings(max_examples=150, deadline=None)
@given(
    calendar=calendars,
    target=targets,
    met=st.integers(0, 30 * 86_400),
    later=st.integers(0, 30 * 86_400),
)
def test_a_met_clock_stands_still_forever(
    calendar: BusinessCalendar, target: int, met: int, later: int
) -> None:
    clock = SlaClock.start(ClockKind.FIRST_RESPONSE, target_seconds=target, at=START)
    done = clock.meet(calendar, _at(met))
    assert done.read(calendar, _at(met + later)).elapsed_seconds == done.elapsed_seconds(
        calendar, _at(met)
    )
    assert done.read(calendar, _at(met + later)).state is ClockState.MET


@settings(max_examples=150, deadline=None)
@given(calendar=calendars, target=targets, fraction=st.floats(0.05, 0.95))
def test_the_warning_comes_before_the_due_instant(
    calendar: BusinessCalendar, target: int, fraction: float
) -> None:
    clock = SlaClock.start(ClockKind.RESOLUTION, target_seconds=target, at=START)
    warning, due = clock.warning_at(calendar, fraction), clock.due_at(calendar)
    assert warning is not None
    assert due is not None
    assert START <= warning <= due
