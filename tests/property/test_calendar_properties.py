"""Properties of business-time arithmetic over random calendars, zones, holidays and instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from fairlane.domain.calendar import BusinessCalendar, Interval

ZONES = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
FIRST_START = datetime(2024, 1, 1, tzinfo=UTC)
START_RANGE_SECONDS = int((datetime(2028, 1, 1, tzinfo=UTC) - FIRST_START).total_seconds()) - 1
MAX_SECONDS = 14 * 86_400
# Sparse calendars (one short shift a week) would need centuries to use up 14 days of business
# time; durations are capped at a year's worth of a calendar's nominal weekly hours.
WEEKS_OF_WORK_CAP = 52


def _clock(minute_of_day: int) -> time:
    """Minutes after midnight as a wall-clock time; 1440 is midnight at the end of the day."""
    return time((minute_of_day // 60) % 24, minute_of_day % 60)


@st.composite
def day_hours(draw: st.DrawFn) -> tuple[Interval, ...]:
    """Zero to three non-overlapping intervals; the last one may be an overnight shift."""
    count = draw(st.integers(0, 3))
    if count == 0:
        return ()
    marks = sorted(
        draw(st.lists(st.integers(0, 1440), min_size=2 * count, max_size=2 * count, unique=True))
    )
    pairs = [(marks[i], marks[i + 1]) for i in range(0, 2 * count, 2)]
    if draw(st.booleans()):
        last_start = pairs[-1][0]
        pairs[-1] = (last_start, draw(st.integers(0, max(last_start - 1, 0))))
    return tuple((_clock(start), _clock(end)) for start, end in pairs)


def nominal_weekly_seconds(calendar: BusinessCalendar) -> int:
    """Wall-clock business seconds per week, ignoring DST and holidays."""
    total = 0
    for intervals in calendar.weekly_hours.values():
        for start, end in intervals:
            start_s = start.hour * 3600 + start.minute * 60
            end_s = end.hour * 3600 + end.minute * 60
            total += end_s - start_s if end > start else 86_400 - start_s + end_s
    return total


calendars = st.builds(
    BusinessCalendar,
    name=st.just("random"),
    timezone=st.sampled_from(ZONES),
    weekly_hours=st.fixed_dictionaries({day: day_hours() for day in range(7)}),
    holidays=st.frozensets(st.dates(date(2023, 12, 1), date(2028, 2, 1)), max_size=40),
).filter(lambda calendar: nominal_weekly_seconds(calendar) > 0)


def _dst_change_days() -> list[datetime]:
    """UTC noons shortly after each offset change of the test zones in 2024-2027."""
    found: list[datetime] = []
    for name in ZONES:
        zone = ZoneInfo(name)
        noons = [FIRST_START + timedelta(days=n, hours=12) for n in range(4 * 366)]
        offsets = [noon.astimezone(zone).utcoffset() for noon in noons]
        found += [noons[n] for n in range(1, len(noons)) if offsets[n] != offsets[n - 1]]
    return found


uniform_instants = st.integers(0, START_RANGE_SECONDS).map(
    lambda s: FIRST_START + timedelta(seconds=s)
)
near_dst_changes = st.builds(
    lambda day, offset: day + timedelta(seconds=offset),
    st.sampled_from(_dst_change_days()),
    st.integers(-4 * 86_400, 2 * 86_400),
)
instants = st.one_of(uniform_instants, near_dst_changes)
durations = st.integers(0, MAX_SECONDS)


def capped(calendar: BusinessCalendar, seconds: int) -> int:
    """Keep a duration within a year of the calendar's nominal weekly hours."""
    return min(seconds, WEEKS_OF_WORK_CAP * nominal_weekly_seconds(calendar))


def open_by_definition(calendar: BusinessCalendar, at: datetime) -> bool:
    """An independent reading of the rules: is ``at`` inside an interval of a non-holiday?"""
    zone = ZoneInfo(calendar.timezone)
    local_day = at.astimezone(zone).date()
    for day in (local_day - timedelta(days=n) for n in (2, 1, 0)):
        if day in calendar.holidays:
            continue
        for start, end in calendar.weekly_hours.get(day.weekday(), ()):
            end_day = day + timedelta(days=1) if end <= start else day
            opens = datetime.combine(day, start, zone).astimezone(UTC)
            closes = datetime.combine(end_day, end, zone).astimezone(UTC)
            if opens <= at < closes:
                return True
    return False


@settings(deadline=None, max_examples=200)
@given(calendar=calendars, start=instants, seconds=durations)
def test_business_time_between_start_and_due_is_exactly_the_duration(
    calendar: BusinessCalendar, start: datetime, seconds: int
) -> None:
    seconds = capped(calendar, seconds)
    due = calendar.add_business_seconds(start, seconds)
    assert due >= start
    assert calendar.business_seconds_between(start, due) == seconds


@settings(deadline=None, max_examples=200)
@given(calendar=calendars, start=instants, seconds=durations.filter(lambda s: s > 0))
def test_due_instant_is_inside_business_hours_or_at_the_end_of_an_interval(
    calendar: BusinessCalendar, start: datetime, seconds: int
) -> None:
    due = calendar.add_business_seconds(start, capped(calendar, seconds))
    assert calendar.is_open_at(due - timedelta(seconds=1))


@settings(deadline=None, max_examples=200)
@given(calendar=calendars, a=instants, gaps=st.tuples(durations, durations))
def test_business_seconds_between_is_monotonic_and_additive(
    calendar: BusinessCalendar, a: datetime, gaps: tuple[int, int]
) -> None:
    b = a + timedelta(seconds=gaps[0])
    c = b + timedelta(seconds=gaps[1])
    ab, bc, ac = (calendar.business_seconds_between(x, y) for x, y in ((a, b), (b, c), (a, c)))
    assert 0 <= ab <= ac
    assert ab + bc == ac
    assert ab <= (b - a).total_seconds()


@settings(deadline=None, max_examples=200)
@given(calendar=calendars, start=instants, pair=st.tuples(durations, durations))
def test_add_business_seconds_is_monotonic_in_seconds(
    calendar: BusinessCalendar, start: datetime, pair: tuple[int, int]
) -> None:
    fewer, more = sorted(capped(calendar, seconds) for seconds in pair)
    assert calendar.add_business_seconds(start, fewer) <= calendar.add_business_seconds(start, more)


@settings(deadline=None, max_examples=200)
@given(calendar=calendars, at=instants)
def test_is_open_at_agrees_with_a_direct_reading_of_the_rules(
    calendar: BusinessCalendar, at: datetime
) -> None:
    assert calendar.is_open_at(at) == open_by_definition(calendar, at)


@settings(deadline=None, max_examples=200)
@given(calendar=calendars, at=instants)
def test_next_open_at_is_open_and_nothing_before_it_is(
    calendar: BusinessCalendar, at: datetime
) -> None:
    opening = calendar.next_open_at(at)
    assert opening >= at
    assert calendar.is_open_at(opening)
    assert calendar.business_seconds_between(at, opening) == 0
    assert (opening == at) == calendar.is_open_at(at)


@settings(deadline=None, max_examples=200)
@given(calendar=calendars, start=instants, length=durations)
def test_open_intervals_are_disjoint_and_sum_to_business_seconds_between(
    calendar: BusinessCalendar, start: datetime, length: int
) -> None:
    end = start + timedelta(seconds=length)
    intervals = calendar.open_intervals(start, end)
    assert all(start <= opens < closes <= end for opens, closes in intervals)
    assert all(earlier[1] < later[0] for earlier, later in pairwise(intervals))
    total = sum(int((closes - opens).total_seconds()) for opens, closes in intervals)
    assert total == calendar.business_seconds_between(start, end)
    for opens, closes in intervals:
        assert calendar.is_open_at(opens)
        assert calendar.is_open_at(closes - timedelta(seconds=1))
