"""Durations as policy authors write them: ``30m``, ``4h``, ``1h30m``, ``2d``, ``45s``."""

from __future__ import annotations

import re

__all__ = ["format_duration", "parse_duration"]

_PART = re.compile(r"(\d+)\s*([dhms])")
_WHOLE = re.compile(r"^\s*(?:\d+\s*[dhms]\s*)+$")
_UNIT_SECONDS = {"d": 86_400, "h": 3_600, "m": 60, "s": 1}


def parse_duration(text: str) -> int:
    """Whole seconds in ``text``; ValueError with the expected form otherwise."""
    if not isinstance(text, str) or not _WHOLE.match(text.lower()):
        raise ValueError(f"{text!r} is not a duration; write e.g. '30m', '4h', '1h30m' or '2d'")
    seconds = sum(int(n) * _UNIT_SECONDS[u] for n, u in _PART.findall(text.lower()))
    if seconds <= 0:
        raise ValueError(f"{text!r} must be longer than zero")
    return seconds


def format_duration(seconds: int) -> str:
    """``5400`` -> ``1h30m``; the inverse of :func:`parse_duration` for display.

    Never prints days: 48 hours of *business* time is not two days, so ``48h`` it stays.
    """
    if seconds <= 0:
        return "0m"
    parts = []
    for unit in ("h", "m", "s"):
        size = _UNIT_SECONDS[unit]
        if seconds >= size:
            count, seconds = divmod(seconds, size)
            parts.append(f"{count}{unit}")
    return "".join(parts)
