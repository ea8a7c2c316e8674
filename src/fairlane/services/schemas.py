"""Input contracts shared by the API, the importers and the library (validated at the edge)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from fairlane.clock import ensure_aware_utc
from fairlane.domain.accounts import Account, Segment, normalise_domain

__all__ = ["MAX_BODY_CHARS", "AccountIn", "TicketIn", "split_list"]

MAX_BODY_CHARS = 100_000
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,253}$")


def split_list(value: Any) -> Any:
    """CSV cells hold lists as ``a; b; c`` (or commas); JSON holds real lists."""
    if isinstance(value, str):
        parts = re.split(r"[;,|]", value)
        return [p.strip() for p in parts if p.strip()]
    return [] if value is None else value


EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("needs a time zone offset, e.g. 2026-11-23T09:30:00Z or +01:00")
    value = ensure_aware_utc(value)
    if value < EARLIEST or value.year > 2200:
        raise ValueError("is outside the supported range (1990 to 2200)")
    return value


def _domain(value: str) -> str:
    cleaned = normalise_domain(value.removeprefix("@"))
    if not _DOMAIN.match(cleaned):
        raise ValueError(f"{value!r} is not an email domain such as example.com")
    return cleaned


def _money(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("expected an amount such as 120000 or 120000.50")
    text = str(value).replace(",", "").replace("_", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount such as 120000 or 120000.50") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError("must be a finite amount of zero or more")
    if amount >= Decimal("1e13"):
        raise ValueError("is implausibly large (at most 10,000,000,000,000)")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("has more than two decimal places")
    return amount


def _blank_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
Domain = Annotated[str, Field(max_length=253), AfterValidator(_domain)]
Amount = Annotated[Decimal | None, BeforeValidator(_money)]
ShortText = Annotated[str, Field(min_length=1, max_length=128)]
Tag = Annotated[str, Field(min_length=1, max_length=64)]
OptionalText = Annotated[Annotated[str, Field(max_length=256)] | None, BeforeValidator(_blank_none)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and "\x00" in t for t in texts):
            raise ValueError("contains a NUL character (\\x00), which text fields cannot hold")
        return value


class AccountIn(_Input):
    """An account record (A1). Amounts are in currency units; fairlane stores cents."""

    id: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^\s/?#]+$")] = Field(
        description="The account's id in your CRM; upserts match on it."
    )
    name: Annotated[str, Field(min_length=1, max_length=256)]
    segment: Segment
    plan: OptionalText = None
    arr: Amount = None
    acv: Amount = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    renewal_on: Annotated[date | None, BeforeValidator(_blank_none)] = None
    is_strategic: bool = False
    strategic_reason: OptionalText = None
    csm_owner: OptionalText = None
    email_domains: Annotated[list[Domain], BeforeValidator(split_list), Field(max_length=50)] = []
    client_ids: Annotated[list[ShortText], BeforeValidator(split_list), Field(max_length=50)] = []
    requester_tags: Annotated[list[Tag], BeforeValidator(split_list), Field(max_length=50)] = Field(
        default=[], description="Help-desk user tags that identify this account's requesters."
    )
    tags: Annotated[list[Tag], BeforeValidator(split_list), Field(max_length=50)] = []
    health_score: Annotated[
        Annotated[int, Field(ge=0, le=100)] | None, BeforeValidator(_blank_none)
    ] = None
    health_scored_at: Annotated[AwareDatetime | None, BeforeValidator(_blank_none)] = None

    def to_domain(self) -> Account:
        return Account(
            id=self.id,
            name=self.name,
            segment=self.segment,
            plan=self.plan,
            arr_cents=int((self.arr or 0) * 100),
            acv_cents=int((self.acv or 0) * 100),
            currency=self.currency,
            renewal_on=self.renewal_on,
            is_strategic=self.is_strategic,
            strategic_reason=self.strategic_reason,
            csm_owner=self.csm_owner,
            email_domains=tuple(dict.fromkeys(self.email_domains)),
            client_ids=tuple(dict.fromkeys(self.client_ids)),
            requester_tags=tuple(dict.fromkeys(t.casefold() for t in self.requester_tags)),
            tags=tuple(dict.fromkeys(self.tags)),
            health_score=self.health_score,
            health_scored_at=self.health_scored_at,
        )


class TicketIn(_Input):
    """A ticket as a help desk or integration sends it."""

    source: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")] = (
        Field(
            description="Where the ticket comes from (e.g. 'zendesk'); with external_id it "
            "identifies the ticket, so a retry never creates a second one."
        )
    )
    external_id: Annotated[str, Field(min_length=1, max_length=128)]
    subject: Annotated[str, Field(max_length=1_000)] = ""
    body: Annotated[str, Field(max_length=MAX_BODY_CHARS)] = Field("", validate_default=True)
    requester_email: Annotated[
        Annotated[str, Field(max_length=320, pattern=_EMAIL.pattern)] | None,
        BeforeValidator(_blank_none),
    ] = None
    requester_client_id: Annotated[
        Annotated[str, Field(max_length=128)] | None, BeforeValidator(_blank_none)
    ] = None
    requester_tags: Annotated[list[Tag], BeforeValidator(split_list), Field(max_length=50)] = []
    account_id: Annotated[
        Annotated[str, Field(max_length=128)] | None, BeforeValidator(_blank_none)
    ] = None
    created_at: Annotated[AwareDatetime | None, BeforeValidator(_blank_none)] = Field(
        default=None, description="When the customer sent it (with offset); defaults to arrival."
    )
    channel: Annotated[
        Annotated[str, Field(max_length=32)] | None, BeforeValidator(_blank_none)
    ] = None
    team: Annotated[Annotated[str, Field(max_length=64)] | None, BeforeValidator(_blank_none)] = (
        None
    )

    @field_validator("body")
    @classmethod
    def _has_text(cls, body: str, info: ValidationInfo) -> str:
        if not body.strip() and not str(info.data.get("subject") or "").strip():
            raise ValueError("a ticket needs a subject or a body; both are empty")
        return body
