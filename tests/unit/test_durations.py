"""Durations as policy authors write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairlane.policy.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30m", 1800), ("4h", 14400), ("1h30m", 5400), ("2d", 172800), ("45s", 45), ("1H 15M", 4500)],
)
def test_durations_parse_to_seconds(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "30", "-5m", "0m", "1.5h", "h"])
def test_malformed_durations_say_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match=r"30m|zero"):
        parse_duration(text)


def test_business_hours_are_shown_in_hours_never_days() -> None:
    assert format_duration(48 * 3600) == "48h"


@given(st.integers(min_value=1, max_value=10_000_000))
def test_formatting_then_parsing_returns_the_same_seconds(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds
