"""Business calendars: when the desk is open, and when business time runs out.

A :class:`BusinessCalendar` describes opening hours as local wall-clock intervals per weekday
in one IANA time zone, minus holidays. Every instant going in or out is a timezone-aware
datetime (results are in UTC); arithmetic is done on real elapsed seconds, so a business day
that contains a daylight-saving change is an hour shorter or longer than its wall-clock span.

Internally instants are integer microseconds since the Unix epoch. The business time inside
each local date (local midnight to the next local midnight, as UTC spans) is computed once and
cached on the calendar; walking dates in order then yields business time in order.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["BusinessCalendar", "Interval", "parse_interval"]

Interval = tuple[time, time]
"""A local wall-clock interval ``(start, end)``; ``end <= start`` runs into the next day."""

_Span = tuple[int, int]  # [start, end) in UTC microseconds since the epoch
_Local = tuple[time, time, bool]  # (start, end, end falls on the next local day)

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SECOND_US = 1_000_000
_DAY_US = 86_400 * _SECOND_US
_WEEK_US = 7 * _DAY_US
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MIDNIGHT = time(0, 0)
_LOOKAHEAD_DAYS = 3 * 365 + 1
_CACHE_LIMIT = 8192
_EXPECTED = "expected 'HH:MM-HH:MM' in 24-hour time, e.g. '09:00-17:30' ('24:00' = midnight)"


def parse_interval(text: str) -> Interval:
    """Parse ``"09:00-17:30"`` into ``(time(9, 0), time(17, 30))``.

    ``"24:00"`` is accepted as an end and means midnight (``time(0, 0)``); an end at or before
    the start (``"22:00-06:00"``) is an overnight shift. Equal start and end are rejected.
    """
    parts = text.strip().split("-")
    if len(parts) != 2:
        raise ValueError(f"cannot parse interval {text!r}: {_EXPECTED}")
    start = _parse_clock(parts[0], text, is_end=False)
    end = _parse_clock(parts[1], text, is_end=True)
    if start == end and parts[1].strip() != "24:00":
        raise ValueError(
            f"interval {text!r} has zero length: {_EXPECTED}; use '00:00-24:00' for a whole day"
        )
    return start, end


def _parse_clock(part: str, text: str, *, is_end: bool) -> time:
    """Parse one ``HH:MM`` half of an interval; ``24:00`` only as the end."""
    pieces = part.strip().split(":")
    if len(pieces) != 2 or not all(len(p) == 2 and p.isdigit() for p in pieces):
        raise ValueError(f"cannot parse {part.strip()!r} in interval {text!r}: {_EXPECTED}")
    hour, minute = int(pieces[0]), int(pieces[1])
    if hour == 24 and minute == 0:
        if not is_end:
            raise ValueError(f"'24:00' can only be the end, in interval {text!r}: {_EXPECTED}")
        return _MIDNIGHT
    if hour > 23:
        raise ValueError(f"hour {hour} is out of range in interval {text!r}: {_EXPECTED}")
    if minute > 59:
        raise ValueError(f"minute {minute} is out of range in interval {text!r}: {_EXPECTED}")
    return time(hour, minute)


@dataclass(frozen=True)
class BusinessCalendar:
    """Weekly opening hours in one time zone, minus holidays.

    ``weekly_hours`` maps 0 (Monday) .. 6 (Sunday) to local wall-clock intervals. An interval
    whose end is at or before its start runs into the next day; ``(00:00, 00:00)`` is the whole
    day. A holiday removes the intervals that *start* on that local date. Intervals of the same
    weekday must not overlap; an overnight shift that runs into the next day's hours is merged
    with them. ``weekly_hours`` is copied at construction and answers from ``holidays`` are
    cached per local date, so mutating either afterwards has no (reliable) effect.
    """

    name: str
    timezone: str
    weekly_hours: Mapping[int, tuple[Interval, ...]]
    holidays: Container[date] = frozenset()
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _week: tuple[tuple[_Local, ...], ...] = field(init=False, repr=False, compare=False)
    _always_open: bool = field(init=False, repr=False, compare=False)
    _days: dict[int, tuple[_Span, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Validate the zone and the weekly hours, and set up the per-date cache."""
        zone = _load_zone(self.timezone)
        for key in self.weekly_hours:
            if not isinstance(key, int) or not 0 <= key <= 6:
                raise ValueError(f"weekly_hours key {key!r} is not a weekday 0 (Monday)-6 (Sunday)")
        week = tuple(_normalise_day(day, self.weekly_hours.get(day, ())) for day in range(7))
        empty_set = isinstance(self.holidays, AbstractSet) and not self.holidays
        object.__setattr__(self, "_zone", zone)
        object.__setattr__(self, "_week", week)
        object.__setattr__(self, "_always_open", empty_set and _covers_whole_week(week))
        object.__setattr__(self, "_days", {})

    @classmethod
    def always_open(cls, name: str = "24x7") -> BusinessCalendar:
        """A UTC calendar in which every second is business time."""
        whole_day = ((_MIDNIGHT, _MIDNIGHT),)
        return cls(name=name, timezone="UTC", weekly_hours={day: whole_day for day in range(7)})

    @property
    def is_always_open(self) -> bool:
        """True when the week is fully covered and there are no holidays (an empty set)."""
        return self._always_open

    def add_business_seconds(self, start: datetime, seconds: int) -> datetime:
        """The instant at which ``seconds`` of business time have elapsed after ``start``.

        Counting begins at the next opening when ``start`` is outside business hours; a due
        instant that exhausts an interval exactly is that interval's end. ``seconds == 0``
        returns ``start`` (in UTC) unchanged.
        """
        start_us = _to_us(start, "start")
        if seconds < 0:
            raise ValueError(f"seconds must not be negative, got {seconds}")
        if seconds == 0:
            return start.astimezone(UTC)
        remaining = seconds * _SECOND_US
        if self._always_open:
            return _from_us(start_us + remaining)
        self._require_hours()
        for span_start, span_end in self._spans(start_us, self._ordinal(start), None):
            if remaining <= span_end - span_start:
                return _from_us(span_start + remaining)
            remaining -= span_end - span_start
        raise AssertionError("unreachable: an unbounded span walk never ends")

    def business_seconds_between(self, start: datetime, end: datetime) -> int:
        """Whole seconds of business time in ``[start, end)``; 0 when ``end <= start``."""
        start_us, end_us = _to_us(start, "start"), _to_us(end, "end")
        if end_us <= start_us:
            return 0
        if self._always_open:
            return (end_us - start_us) // _SECOND_US
        total = 0
        last = self._ordinal(end)
        for span_start, span_end in self._spans(start_us, self._ordinal(start), last):
            if span_start >= end_us:
                break
            total += min(span_end, end_us) - span_start
        return total // _SECOND_US

    def is_open_at(self, at: datetime) -> bool:
        """Whether ``at`` lies inside business hours (interval ends are exclusive)."""
        at_us = _to_us(at, "at")
        if self._always_open:
            return True
        return any(start <= at_us < end for start, end in self._day(self._ordinal(at)))

    def next_open_at(self, at: datetime) -> datetime:
        """The first business instant at or after ``at`` (``at`` itself, in UTC, when open)."""
        at_us = _to_us(at, "at")
        if self._always_open:
            return at.astimezone(UTC)
        self._require_hours()
        for span_start, _ in self._spans(at_us, self._ordinal(at), None):
            return at.astimezone(UTC) if span_start == at_us else _from_us(span_start)
        raise AssertionError("unreachable: an unbounded span walk never ends")

    def open_intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """Business time in ``[start, end)`` as sorted, disjoint, non-touching UTC intervals."""
        start_us, end_us = _to_us(start, "start"), _to_us(end, "end")
        if end_us <= start_us:
            return []
        if self._always_open:
            return [(start.astimezone(UTC), end.astimezone(UTC))]
        merged: list[_Span] = []
        last = self._ordinal(end)
        for span_start, span_end in self._spans(start_us, self._ordinal(start), last):
            if span_start >= end_us:
                break
            clipped_end = min(span_end, end_us)
            if merged and merged[-1][1] == span_start:
                merged[-1] = (merged[-1][0], clipped_end)
            else:
                merged.append((span_start, clipped_end))
        return [(_from_us(a), _from_us(b)) for a, b in merged]

    def _require_hours(self) -> None:
        """Refuse to search a calendar whose week has no intervals at all."""
        if not any(self._week):
            raise ValueError(f"calendar {self.name} has no business hours")

    def _ordinal(self, value: datetime) -> int:
        """The proleptic ordinal of the local date of an aware ``value``."""
        return value.astimezone(self._zone).toordinal()

    def _spans(self, from_us: int, first: int, last: int | None) -> Iterator[_Span]:
        """Disjoint business spans ending after ``from_us``, clipped to start at ``from_us``.

        Walks local dates from ordinal ``first`` through ``last``, or without end when ``last``
        is None, in which case 3 years without any business interval raise ValueError.
        """
        cursor, ordinal, last_found = from_us, first, first
        while last is None or ordinal <= last:
            spans = self._day(ordinal)
            if spans:
                last_found = ordinal
            elif last is None and ordinal - last_found > _LOOKAHEAD_DAYS:
                since = date.fromordinal(last_found).isoformat()
                raise ValueError(
                    f"calendar {self.name} has no business hours in the 3 years after {since}"
                )
            for span_start, span_end in spans:
                if span_end > cursor:
                    yield max(span_start, cursor), span_end
                    cursor = span_end
            ordinal += 1

    def _day(self, ordinal: int) -> tuple[_Span, ...]:
        """The cached business spans inside one local date's UTC window."""
        days = self._days
        spans = days.get(ordinal)
        if spans is None:
            if len(days) >= _CACHE_LIMIT:
                days.clear()
            spans = days[ordinal] = self._build_day(ordinal)
        return spans

    def _build_day(self, ordinal: int) -> tuple[_Span, ...]:
        """Business time from local midnight to the next, as merged UTC spans.

        Intervals starting up to two local dates earlier can reach into the window. Clipping
        every date to its own window keeps the spans of successive dates in order even when
        a DST gap pushes an evening start past the next local midnight.
        """
        window_start, window_end = self._midnight_us(ordinal), self._midnight_us(ordinal + 1)
        clipped = [
            (max(start, window_start), min(end, window_end))
            for earlier in (ordinal - 2, ordinal - 1, ordinal)
            for start, end in self._intervals_starting(earlier)
        ]
        return _merge(sorted(span for span in clipped if span[0] < span[1]))

    def _intervals_starting(self, ordinal: int) -> list[_Span]:
        """UTC spans of the intervals that start on one local date (none on a holiday).

        Local times are resolved with ``fold=0`` (a time in a DST gap gets the offset from
        before the gap); an interval that a transition turns empty or negative is dropped.
        """
        local_date = date.fromordinal(ordinal)
        if local_date in self.holidays:
            return []
        spans: list[_Span] = []
        for start, end, next_day in self._week[local_date.weekday()]:
            end_date = date.fromordinal(ordinal + 1) if next_day else local_date
            span_start = _to_us(datetime.combine(local_date, start, self._zone), "start")
            span_end = _to_us(datetime.combine(end_date, end, self._zone), "end")
            if span_end > span_start:
                spans.append((span_start, span_end))
        return spans

    def _midnight_us(self, ordinal: int) -> int:
        """The instant (fold=0) at which a local date begins."""
        return _to_us(datetime.combine(date.fromordinal(ordinal), _MIDNIGHT, self._zone), "day")


def _load_zone(name: str) -> ZoneInfo:
    """Load an IANA zone, turning every kind of failure into a ValueError naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ValueError(f"unknown time zone {name!r} (expected an IANA name)") from error


def _normalise_day(weekday: int, intervals: tuple[Interval, ...]) -> tuple[_Local, ...]:
    """Validate one weekday's intervals and return them sorted by start."""
    day = _WEEKDAYS[weekday]
    local: list[_Local] = []
    for item in intervals:
        if not (
            isinstance(item, tuple | list)
            and len(item) == 2
            and all(isinstance(part, time) for part in item)
        ):
            raise ValueError(f"{day}: interval {item!r} is not a (start, end) pair of times")
        start, end = item
        label = f"{_clock(start)}-{_clock(end)}"
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError(f"{day}: interval {label} must use naive local wall-clock times")
        if start == end and start != _MIDNIGHT:
            raise ValueError(f"{day}: interval {label} has zero length")
        local.append((start.replace(fold=0), end.replace(fold=0), end <= start))
    local.sort(key=lambda item: _time_us(item[0]))
    for before, after in pairwise(local):
        if _time_us(after[0]) < _local_end_us(before):
            first, second = (f"{_clock(i[0])}-{_clock(i[1])}" for i in (before, after))
            raise ValueError(f"{day}: intervals {first} and {second} overlap")
    return tuple(local)


def _covers_whole_week(week: tuple[tuple[_Local, ...], ...]) -> bool:
    """Whether the weekly intervals, taken as wall-clock time, cover every moment of a week."""
    pieces: list[tuple[int, int]] = []
    for weekday, intervals in enumerate(week):
        for interval in intervals:
            start = weekday * _DAY_US + _time_us(interval[0])
            end = weekday * _DAY_US + _local_end_us(interval)
            if end > _WEEK_US:
                pieces += [(start, _WEEK_US), (0, end - _WEEK_US)]
            else:
                pieces.append((start, end))
    reach = 0
    for start, end in sorted(pieces):
        if start > reach:
            return False
        reach = max(reach, end)
    return reach >= _WEEK_US


def _merge(spans: list[_Span]) -> tuple[_Span, ...]:
    """Merge sorted spans that overlap or touch."""
    merged: list[_Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _time_us(value: time) -> int:
    """Microseconds since local midnight of a wall-clock time."""
    return ((value.hour * 60 + value.minute) * 60 + value.second) * _SECOND_US + value.microsecond


def _local_end_us(interval: _Local) -> int:
    """Wall-clock end of an interval in microseconds after its start day's midnight."""
    return _time_us(interval[1]) + (_DAY_US if interval[2] else 0)


def _clock(value: time) -> str:
    """``HH:MM`` (or with seconds when it has them) for error messages."""
    return value.strftime("%H:%M:%S" if value.second or value.microsecond else "%H:%M")


def _to_us(value: datetime, what: str) -> int:
    """Microseconds since the Unix epoch of an aware datetime; naive input is an error."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {value.isoformat()}")
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * _SECOND_US + delta.microseconds


def _from_us(value: int) -> datetime:
    """The UTC datetime for microseconds since the Unix epoch."""
    return _EPOCH + timedelta(microseconds=value)
