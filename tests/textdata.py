"""Small labelled text sets for the model tests (made here, so the tests need no data files)."""

from __future__ import annotations

import random

_KINDS = {
    "billing": (
        [
            "I was charged twice",
            "the invoice is wrong",
            "please refund the payment",
            "my card was billed again",
            "why is my bill higher",
            "double charge on my account",
        ],
        ["this month", "for the annual plan", "last week", "on my statement", "again"],
    ),
    "login": (
        [
            "I cannot log in",
            "password reset does not work",
            "SSO keeps failing",
            "my account is locked",
            "the login page rejects me",
            "two factor code never arrives",
        ],
        ["since this morning", "for our admin", "on the new laptop", "after the update", "today"],
    ),
    "outage": (
        [
            "the site is down",
            "we get 500 errors",
            "the service is unavailable",
            "the dashboard will not load",
            "API requests time out",
            "production is broken",
        ],
        ["for everyone", "in the EU region", "right now", "since 9am", "for all our users"],
    ),
}


def labelled(count_per_label: int = 30, *, seed: int = 1) -> tuple[list[str], list[str]]:
    """``count_per_label`` short support messages per label, shuffled with ``seed``."""
    rng = random.Random(seed)
    rows = []
    for label, (heads, tails) in _KINDS.items():
        for _ in range(count_per_label):
            rows.append((f"Hi, {rng.choice(heads)} {rng.choice(tails)}. Thanks", label))
    rng.shuffle(rows)
    return [text for text, _ in rows], [label for _, label in rows]
