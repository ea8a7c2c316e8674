"""Column types that behave identically on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

__all__ = ["JsonDocument", "UTCDateTime"]


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC instant in, the same aware UTC instant out; naive values are refused.

    PostgreSQL stores ``timestamptz``; SQLite stores the UTC wall time as ISO text.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        zone = value.tzinfo
        if zone is not UTC:  # the common case (already UTC) is passed through untouched
            if zone is None or value.utcoffset() is None:
                raise ValueError(f"refusing to store naive datetime {value.isoformat()}")
            value = value.astimezone(UTC)
        # SQLite stores the UTC wall time as text (its formatter ignores tzinfo);
        # PostgreSQL receives the aware instant for its timestamptz column.
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JsonDocument: Any = JSON().with_variant(JSONB(), "postgresql")
