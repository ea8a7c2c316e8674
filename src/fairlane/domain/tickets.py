"""Tickets, priorities and lanes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["OPEN_STATUSES", "Lane", "Priority", "QueueKey", "TicketDraft", "queue_key"]

# A ticket in one of these is still being worked: its clocks and escalation steps count.
OPEN_STATUSES = ("open", "waiting_on_customer", "on_hold")


class Priority(StrEnum):
    """P1 is the most urgent. ``rank`` sorts most urgent first."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"

    @property
    def rank(self) -> int:
        return int(self.value[1])

    @property
    def label(self) -> str:
        return {"P1": "Critical", "P2": "High", "P3": "Medium", "P4": "Low"}[self.value]


class Lane(StrEnum):
    VIP = "vip"
    STANDARD = "standard"


@dataclass(frozen=True, slots=True)
class TicketDraft:
    """A ticket as it arrives, validated, before any decision is made about it."""

    source: str
    external_id: str
    subject: str
    body: str
    received_at: datetime
    created_at: datetime
    requester_email: str | None = None
    requester_client_id: str | None = None
    requester_tags: tuple[str, ...] = ()
    account_id: str | None = None
    channel: str | None = None
    team: str | None = None

    @property
    def requester_domain(self) -> str | None:
        if not self.requester_email or "@" not in self.requester_email:
            return None
        return self.requester_email.rsplit("@", 1)[1].strip().strip(".").casefold() or None

    @property
    def text(self) -> str:
        return f"{self.subject}\n{self.body}"


QueueKey = tuple[int, int, datetime, datetime]


def queue_key(
    *, priority: Priority, lane: Lane, first_response_due_at: datetime, created_at: datetime
) -> QueueKey:
    """The order in which open tickets are worked (V6: severity beats status).

    Priority comes first, so a P1 of a standard customer is always ahead of a VIP's P3;
    within one priority the VIP lane goes first; then the earliest due, then the oldest.
    """
    lane_rank = 0 if lane is Lane.VIP else 1
    return (priority.rank, lane_rank, first_response_due_at, created_at)
