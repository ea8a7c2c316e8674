"""Unit tests for the business calendar: opening hours, holidays, DST and input errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from fairlane.domain.calendar import BusinessCalendar, Interval, parse_interval

NINE_TO_FIVE: tuple[Interval, ...] = ((time(9), time(17)),)
WEEKDAYS = range(5)
WHOLE_DAY: tuple[Interval, ...] = ((time(0), time(0)),)
HOUR = 3600


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A UTC instant, to keep the expectations short."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def office(
    timezone: str = "Europe/London",
    hours: tuple[Interval, ...] = NINE_TO_FIVE,
    days: range | tuple[int, ...] = WEEKDAYS,
    closed: frozenset[date] = frozenset(),
) -> BusinessCalendar:
    """A calendar with the same hours on each of ``days``."""
    return BusinessCalendar("office", timezone, {day: hours for day in days}, closed)


# --- plain office hours -------------------------------------------------------------------


def test_ticket_opened_friday_evening_is_due_monday_morning() -> None:
    friday_evening = utc(2024, 3, 8, 18)
    assert office().add_business_seconds(friday_evening, 2 * HOUR) == utc(2024, 3, 11, 11)


def test_ticket_opened_mid_morning_is_due_the_same_afternoon() -> None:
    assert office().add_business_seconds(utc(2024, 3, 5, 10), 3 * HOUR) == utc(2024, 3, 5, 13)


def test_two_business_days_from_monday_noon_is_wednesday_noon() -> None:
    assert office().add_business_seconds(utc(2024, 3, 4, 12), 16 * HOUR) == utc(2024, 3, 6, 12)


def test_zero_seconds_returns_the_start_even_outside_hours() -> None:
    saturday = utc(2024, 3, 9, 3)
    assert office().add_business_seconds(saturday, 0) is saturday


def test_start_before_opening_counts_from_opening() -> None:
    assert office().add_business_seconds(utc(2024, 3, 4, 7), HOUR) == utc(2024, 3, 4, 10)


def test_start_on_saturday_counts_from_monday_opening() -> None:
    assert office().add_business_seconds(utc(2024, 3, 9, 12), 30) == utc(2024, 3, 11, 9, 0) + (
        timedelta(seconds=30)
    )


def test_work_that_fills_the_day_is_due_at_closing_not_next_opening() -> None:
    assert office().add_business_seconds(utc(2024, 3, 4, 9), 8 * HOUR) == utc(2024, 3, 4, 17)


def test_results_are_utc_even_when_the_start_is_given_in_another_zone() -> None:
    start = datetime(2024, 7, 1, 10, tzinfo=ZoneInfo("Europe/London"))  # 09:00 UTC
    due = office().add_business_seconds(start, HOUR)
    assert due == utc(2024, 7, 1, 10)
    assert due.tzinfo is UTC


def test_microseconds_of_the_start_are_kept() -> None:
    start = utc(2024, 3, 4, 10) + timedelta(microseconds=250)
    due = office().add_business_seconds(start, 60)
    assert due == start + timedelta(seconds=60)
    assert office().business_seconds_between(start, due) == 60


def test_business_seconds_between_counts_only_open_hours() -> None:
    assert office().business_seconds_between(utc(2024, 3, 8, 16), utc(2024, 3, 11, 10)) == 2 * HOUR


def test_business_seconds_between_is_zero_when_end_is_not_after_start() -> None:
    start = utc(2024, 3, 4, 10)
    assert office().business_seconds_between(start, start) == 0
    assert office().business_seconds_between(start, start - timedelta(hours=1)) == 0


def test_is_open_at_treats_closing_time_as_closed() -> None:
    calendar = office()
    assert calendar.is_open_at(utc(2024, 3, 4, 9))
    assert calendar.is_open_at(utc(2024, 3, 4, 16, 59))
    assert not calendar.is_open_at(utc(2024, 3, 4, 17))
    assert not calendar.is_open_at(utc(2024, 3, 9, 12))


def test_next_open_at_is_the_instant_itself_when_open_and_next_opening_otherwise() -> None:
    calendar = office()
    assert calendar.next_open_at(utc(2024, 3, 4, 10)) == utc(2024, 3, 4, 10)
    assert calendar.next_open_at(utc(2024, 3, 4, 17)) == utc(2024, 3, 5, 9)
    assert calendar.next_open_at(utc(2024, 3, 9, 12)) == utc(2024, 3, 11, 9)


def test_open_intervals_are_clipped_to_the_window() -> None:
    assert office().open_intervals(utc(2024, 3, 8, 12), utc(2024, 3, 11, 10)) == [
        (utc(2024, 3, 8, 12), utc(2024, 3, 8, 17)),
        (utc(2024, 3, 11, 9), utc(2024, 3, 11, 10)),
    ]


def test_open_intervals_of_an_empty_window_is_empty() -> None:
    assert office().open_intervals(utc(2024, 3, 4, 10), utc(2024, 3, 4, 10)) == []


# --- split and overnight shifts -----------------------------------------------------------

LUNCH_BREAK: tuple[Interval, ...] = ((time(9), time(12)), (time(13), time(17)))


def test_lunch_break_is_not_business_time() -> None:
    calendar = office("UTC", LUNCH_BREAK)
    assert calendar.add_business_seconds(utc(2024, 3, 4, 11), 2 * HOUR) == utc(2024, 3, 4, 14)
    assert calendar.business_seconds_between(utc(2024, 3, 4, 10), utc(2024, 3, 4, 15)) == 4 * HOUR
    assert not calendar.is_open_at(utc(2024, 3, 4, 12, 30))
    assert calendar.next_open_at(utc(2024, 3, 4, 12, 30)) == utc(2024, 3, 4, 13)


def test_work_ending_at_lunch_is_due_when_lunch_starts() -> None:
    calendar = office("UTC", LUNCH_BREAK)
    assert calendar.add_business_seconds(utc(2024, 3, 4, 11), HOUR) == utc(2024, 3, 4, 12)


def test_split_shift_intervals_may_be_given_in_any_order() -> None:
    calendar = office("UTC", tuple(reversed(LUNCH_BREAK)))
    assert calendar.open_intervals(utc(2024, 3, 4), utc(2024, 3, 5)) == [
        (utc(2024, 3, 4, 9), utc(2024, 3, 4, 12)),
        (utc(2024, 3, 4, 13), utc(2024, 3, 4, 17)),
    ]


NIGHT_SHIFT: tuple[Interval, ...] = ((time(22), time(6)),)


def test_overnight_shift_runs_across_midnight() -> None:
    calendar = office("UTC", NIGHT_SHIFT)
    tuesday_early = utc(2024, 3, 5, 5)  # inside Monday night's shift
    assert calendar.is_open_at(tuesday_early)
    assert calendar.add_business_seconds(tuesday_early, 2 * HOUR) == utc(2024, 3, 5, 23)
    assert calendar.business_seconds_between(utc(2024, 3, 4), utc(2024, 3, 5, 12)) == 8 * HOUR


def test_friday_night_shift_runs_into_saturday_morning_only() -> None:
    calendar = office("UTC", NIGHT_SHIFT)
    assert calendar.is_open_at(utc(2024, 3, 9, 5, 59))
    assert not calendar.is_open_at(utc(2024, 3, 9, 6))
    assert not calendar.is_open_at(utc(2024, 3, 10, 23))
    assert calendar.next_open_at(utc(2024, 3, 9, 6)) == utc(2024, 3, 11, 22)


def test_interval_ending_at_midnight_runs_until_the_end_of_the_day() -> None:
    calendar = office("UTC", ((time(18), time(0)),))
    assert calendar.business_seconds_between(utc(2024, 3, 4), utc(2024, 3, 5)) == 6 * HOUR
    assert calendar.is_open_at(utc(2024, 3, 4, 23, 59))
    assert not calendar.is_open_at(utc(2024, 3, 5, 0))


def test_overnight_shift_overlapping_next_mornings_hours_is_counted_once() -> None:
    weekly = {0: ((time(22), time(6)),), 1: ((time(5), time(8)),)}
    calendar = BusinessCalendar("handover", "UTC", weekly)
    monday_night, tuesday_morning = utc(2024, 3, 4, 22), utc(2024, 3, 5, 8)
    assert calendar.business_seconds_between(monday_night, tuesday_morning) == 10 * HOUR
    assert calendar.open_intervals(utc(2024, 3, 4), utc(2024, 3, 6)) == [
        (monday_night, tuesday_morning)
    ]


def test_adjacent_intervals_are_reported_as_one_open_interval() -> None:
    calendar = office("UTC", ((time(9), time(12)), (time(12), time(17))))
    assert calendar.open_intervals(utc(2024, 3, 4), utc(2024, 3, 5)) == [
        (utc(2024, 3, 4, 9), utc(2024, 3, 4, 17))
    ]


# --- holidays -----------------------------------------------------------------------------

CHRISTMAS = frozenset({date(2024, 12, 25), date(2024, 12, 26)})


def test_ticket_opened_christmas_eve_afternoon_is_due_after_boxing_day() -> None:
    calendar = office(closed=CHRISTMAS)
    assert calendar.add_business_seconds(utc(2024, 12, 24, 16), 2 * HOUR) == utc(2024, 12, 27, 10)
    assert calendar.business_seconds_between(utc(2024, 12, 24), utc(2024, 12, 28)) == 16 * HOUR


def test_holiday_is_closed_all_day() -> None:
    calendar = office(closed=CHRISTMAS)
    assert not calendar.is_open_at(utc(2024, 12, 25, 12))
    assert calendar.next_open_at(utc(2024, 12, 25, 12)) == utc(2024, 12, 27, 9)


def test_holiday_removes_the_shift_starting_that_day_but_not_the_one_ending_that_day() -> None:
    calendar = office("UTC", NIGHT_SHIFT, closed=frozenset({date(2024, 3, 8)}))
    assert calendar.is_open_at(utc(2024, 3, 8, 5))  # Thursday night's shift
    assert not calendar.is_open_at(utc(2024, 3, 8, 23))  # Friday's own shift is cancelled
    assert calendar.next_open_at(utc(2024, 3, 8, 6)) == utc(2024, 3, 11, 22)


def test_uk_bank_holidays_from_the_holidays_library_are_skipped() -> None:
    calendar = office(closed=holidays.country_holidays("GB"))  # type: ignore[arg-type]
    # Good Friday 2024-03-29 is a bank holiday; Monday 1 April is already British Summer Time.
    assert calendar.add_business_seconds(utc(2024, 3, 28, 16), 2 * HOUR) == utc(2024, 4, 1, 9)
    assert calendar.add_business_seconds(utc(2024, 12, 24, 16), 2 * HOUR) == utc(2024, 12, 27, 10)
    assert calendar.add_business_seconds(utc(2024, 12, 31, 16), 2 * HOUR) == utc(2025, 1, 2, 10)


class _EveryDay:
    """A holiday container that closes every date."""

    def __contains__(self, item: object) -> bool:
        return True


def test_calendar_closed_for_three_years_gives_up_instead_of_looping() -> None:
    calendar = office(closed=_EveryDay())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no business hours in the 3 years"):
        calendar.add_business_seconds(utc(2024, 1, 1), 1)
    with pytest.raises(ValueError, match="no business hours in the 3 years"):
        calendar.next_open_at(utc(2024, 1, 1))
    assert calendar.business_seconds_between(utc(2024, 1, 1), utc(2028, 1, 1)) == 0


# --- daylight saving time -----------------------------------------------------------------

SUNDAY_ONLY = (6,)


@pytest.mark.parametrize(
    ("zone", "sunday", "hours"),
    [
        ("Europe/London", date(2024, 3, 31), 23),
        ("Europe/London", date(2024, 10, 27), 25),
        ("America/New_York", date(2024, 3, 10), 23),
        ("America/New_York", date(2024, 11, 3), 25),
        ("Europe/London", date(2024, 3, 24), 24),
    ],
)
def test_whole_business_day_containing_a_dst_change_has_its_real_length(
    zone: str, sunday: date, hours: int
) -> None:
    calendar = office(zone, WHOLE_DAY, SUNDAY_ONLY)
    start = datetime.combine(sunday, time(0), ZoneInfo(zone))
    end = datetime.combine(sunday + timedelta(days=1), time(0), ZoneInfo(zone))
    assert calendar.business_seconds_between(start, end) == hours * HOUR
    assert calendar.add_business_seconds(start, hours * HOUR) == end


@pytest.mark.parametrize(
    ("zone", "sunday", "opens", "closes"),
    [
        ("Europe/London", date(2024, 3, 31), utc(2024, 3, 31, 0, 30), utc(2024, 3, 31, 2, 30)),
        ("Europe/London", date(2024, 10, 27), utc(2024, 10, 26, 23, 30), utc(2024, 10, 27, 3, 30)),
        ("America/New_York", date(2024, 3, 10), utc(2024, 3, 10, 5, 30), utc(2024, 3, 10, 7, 30)),
        ("America/New_York", date(2024, 11, 3), utc(2024, 11, 3, 4, 30), utc(2024, 11, 3, 8, 30)),
    ],
)
def test_shift_spanning_a_dst_change_counts_real_elapsed_seconds(
    zone: str, sunday: date, opens: datetime, closes: datetime
) -> None:
    calendar = office(zone, ((time(0, 30), time(3, 30)),), SUNDAY_ONLY)
    day_before = datetime.combine(sunday, time(0), UTC) - timedelta(days=1)
    window = (day_before, day_before + timedelta(days=3))
    assert calendar.open_intervals(*window) == [(opens, closes)]
    assert calendar.business_seconds_between(*window) == int((closes - opens).total_seconds())


def test_office_hours_follow_local_wall_clock_across_spring_forward() -> None:
    calendar = office("America/New_York")
    friday_four_pm_est = utc(2024, 3, 8, 21)
    # Monday 10:00 EDT is 14:00 UTC, not 15:00 as it would be in winter.
    assert calendar.add_business_seconds(friday_four_pm_est, 2 * HOUR) == utc(2024, 3, 11, 14)


def test_shift_starting_in_the_spring_forward_gap_starts_at_the_fold0_instant() -> None:
    calendar = office("Europe/London", ((time(1, 30), time(4)),), SUNDAY_ONLY)
    # 01:30 does not exist on 31 March 2024; fold=0 reads it as 01:30 GMT (= 02:30 BST).
    assert calendar.open_intervals(utc(2024, 3, 30), utc(2024, 4, 1)) == [
        (utc(2024, 3, 31, 1, 30), utc(2024, 3, 31, 3))
    ]


def test_shift_that_the_spring_forward_gap_makes_negative_is_dropped() -> None:
    calendar = office("Europe/London", ((time(1, 30), time(2, 15)),), SUNDAY_ONLY)
    assert calendar.business_seconds_between(utc(2024, 3, 30), utc(2024, 4, 1)) == 0
    assert calendar.business_seconds_between(utc(2024, 3, 23), utc(2024, 3, 25)) == 45 * 60


def test_shift_in_the_repeated_fall_back_hour_uses_the_first_occurrence() -> None:
    calendar = office("Europe/London", ((time(1, 15), time(1, 45)),), SUNDAY_ONLY)
    assert calendar.open_intervals(utc(2024, 10, 26), utc(2024, 10, 28)) == [
        (utc(2024, 10, 27, 0, 15), utc(2024, 10, 27, 0, 45))
    ]


def test_dst_gap_before_local_midnight_does_not_lose_the_next_mornings_hours() -> None:
    # Nuuk springs forward from Saturday 23:00 (-02) to Sunday 00:00 (-01) on 30/31 March 2024,
    # so Saturday's 23:30 start (fold=0) falls after Sunday's 00:00 opening.
    weekly = {5: ((time(23, 30), time(1)),), 6: ((time(0), time(8)),)}
    calendar = BusinessCalendar("nuuk", "America/Nuuk", weekly)
    sunday_opening = utc(2024, 3, 31, 1)
    assert calendar.open_intervals(utc(2024, 3, 30), utc(2024, 4, 1)) == [
        (sunday_opening, utc(2024, 3, 31, 9))
    ]
    assert calendar.is_open_at(sunday_opening)
    assert calendar.add_business_seconds(sunday_opening, 60) == utc(2024, 3, 31, 1, 1)


# --- always open --------------------------------------------------------------------------


def test_always_open_calendar_counts_every_second() -> None:
    calendar = BusinessCalendar.always_open()
    start = utc(2024, 3, 9, 3, 17)
    assert calendar.is_always_open
    assert calendar.name == "24x7"
    assert calendar.timezone == "UTC"
    assert calendar.add_business_seconds(start, 90) == start + timedelta(seconds=90)
    assert calendar.business_seconds_between(start, start + timedelta(days=2)) == 2 * 86_400
    assert calendar.is_open_at(start)
    assert calendar.next_open_at(start) == start
    assert calendar.open_intervals(start, start + timedelta(hours=1)) == [
        (start, start + timedelta(hours=1))
    ]


def test_whole_week_in_a_local_zone_without_holidays_is_always_open() -> None:
    assert office("Europe/London", WHOLE_DAY, range(7)).is_always_open
    split_week = {day: ((time(0), time(12)), (time(12), time(0))) for day in range(7)}
    assert BusinessCalendar("split", "Asia/Kolkata", split_week).is_always_open


def test_calendars_with_gaps_or_holidays_are_not_always_open() -> None:
    assert not office().is_always_open
    assert not office("UTC", WHOLE_DAY, range(7), CHRISTMAS).is_always_open
    assert not office("UTC", WHOLE_DAY, range(6)).is_always_open


def test_always_open_calendar_can_be_given_a_name() -> None:
    assert BusinessCalendar.always_open("follow-the-sun").name == "follow-the-sun"


# --- errors -------------------------------------------------------------------------------

NAIVE = datetime(2024, 3, 4, 10)
AWARE = utc(2024, 3, 4, 10)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add_business_seconds(NAIVE, 60),
        lambda c: c.business_seconds_between(NAIVE, AWARE),
        lambda c: c.business_seconds_between(AWARE, NAIVE),
        lambda c: c.is_open_at(NAIVE),
        lambda c: c.next_open_at(NAIVE),
        lambda c: c.open_intervals(NAIVE, AWARE),
        lambda c: c.open_intervals(AWARE, NAIVE),
    ],
)
def test_naive_datetimes_are_rejected(call: Callable[[BusinessCalendar], object]) -> None:
    for calendar in (office(), BusinessCalendar.always_open()):
        with pytest.raises(ValueError, match="timezone-aware"):
            call(calendar)


def test_negative_seconds_are_rejected() -> None:
    with pytest.raises(ValueError, match="must not be negative, got -1"):
        office().add_business_seconds(AWARE, -1)


def test_overlapping_intervals_on_the_same_day_are_rejected_naming_the_weekday() -> None:
    overlapping = ((time(9), time(12)), (time(11), time(14)))
    with pytest.raises(
        ValueError, match="Wednesday: intervals 09:00-12:00 and 11:00-14:00 overlap"
    ):
        BusinessCalendar("bad", "UTC", {2: overlapping})


def test_overnight_shift_overlapping_a_later_interval_of_the_same_day_is_rejected() -> None:
    with pytest.raises(ValueError, match="Friday: intervals 22:00-06:00 and 23:00-23:30 overlap"):
        BusinessCalendar("bad", "UTC", {4: ((time(22), time(6)), (time(23), time(23, 30)))})


def test_zero_length_interval_is_rejected_naming_the_weekday() -> None:
    with pytest.raises(ValueError, match="Sunday: interval 09:00-09:00 has zero length"):
        BusinessCalendar("bad", "UTC", {6: ((time(9), time(9)),)})


def test_weekday_numbers_outside_monday_to_sunday_are_rejected() -> None:
    with pytest.raises(ValueError, match="weekly_hours key 7 is not a weekday"):
        BusinessCalendar("bad", "UTC", {7: NINE_TO_FIVE})


def test_interval_that_is_not_a_pair_of_times_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"Monday: interval .* is not a \(start, end\) pair"):
        BusinessCalendar("bad", "UTC", {0: (("09:00", "17:00"),)})  # type: ignore[dict-item]


def test_aware_interval_times_are_rejected() -> None:
    with pytest.raises(ValueError, match="Monday: interval 09:00-17:00 must use naive"):
        BusinessCalendar("bad", "UTC", {0: ((time(9, tzinfo=UTC), time(17)),)})


def test_empty_week_has_no_business_hours() -> None:
    calendar = BusinessCalendar("closed", "UTC", {})
    with pytest.raises(ValueError, match=r"^calendar closed has no business hours$"):
        calendar.add_business_seconds(AWARE, 60)
    with pytest.raises(ValueError, match=r"^calendar closed has no business hours$"):
        calendar.next_open_at(AWARE)
    assert not calendar.is_open_at(AWARE)
    assert calendar.business_seconds_between(AWARE, AWARE + timedelta(days=30)) == 0
    assert calendar.open_intervals(AWARE, AWARE + timedelta(days=30)) == []


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd", "Europe/"])
def test_unknown_time_zone_is_rejected_naming_it(zone: str) -> None:
    with pytest.raises(ValueError, match=f"unknown time zone {zone!r}"):
        BusinessCalendar("bad", zone, {0: NINE_TO_FIVE})


def test_calendars_with_the_same_definition_are_equal() -> None:
    assert office() == office()
    assert office() != office(closed=CHRISTMAS)


# --- parse_interval -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00-17:30", (time(9), time(17, 30))),
        (" 22:00 - 06:00 ", (time(22), time(6))),
        ("00:00-24:00", (time(0), time(0))),
        ("18:00-24:00", (time(18), time(0))),
        ("23:59-00:00", (time(23, 59), time(0))),
    ],
)
def test_parse_interval_reads_hh_mm_ranges(text: str, expected: Interval) -> None:
    assert parse_interval(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("09:00", "cannot parse interval '09:00'"),
        ("09:00 to 17:00", "cannot parse interval"),
        ("09:00-17:00-18:00", "cannot parse interval"),
        ("9-17", "cannot parse '9'"),
        ("9:00-17:00", "cannot parse '9:00'"),
        ("09:00-5pm", "cannot parse '5pm'"),
        ("25:00-26:00", "hour 25 is out of range"),
        ("09:60-10:00", "minute 60 is out of range"),
        ("24:00-06:00", "'24:00' can only be the end"),
        ("24:30-06:00", "hour 24 is out of range"),
        ("09:00-09:00", "has zero length"),
        ("", "cannot parse"),
    ],
)
def test_parse_interval_explains_bad_input_and_shows_the_expected_form(
    text: str, problem: str
) -> None:
    with pytest.raises(ValueError, match="expected 'HH:MM-HH:MM'") as caught:
        parse_interval(text)
    assert problem in str(caught.value)


def test_parsed_intervals_build_a_calendar() -> None:
    weekly = {
        day: (parse_interval("09:00-12:00"), parse_interval("13:00-17:30")) for day in WEEKDAYS
    }
    calendar = BusinessCalendar("parsed", "Europe/London", weekly)
    assert calendar.business_seconds_between(utc(2024, 1, 8), utc(2024, 1, 9)) == 7 * HOUR + 1800
