"""Column types that behave identically on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

__all__ = ["JsonDocument", "UTCDateTime"]


class _SqliteUTCText(sqlite.DATETIME):
    """SQLite's DATETIME column (the same DDL and the same stored text,
    ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC) converted with the C ``isoformat`` and
    ``fromisoformat`` instead of SQLAlchemy's formatter and parser: several times cheaper per
    value, which the worker and re-targeting pay on every clock they read and write."""

    def bind_processor(self, dialect: Dialect) -> Any:
        def process(value: datetime | None) -> str | None:
            # Aware UTC by now (UTCDateTime checked it): drop the "+00:00" suffix.
            return None if value is None else value.isoformat(" ", "microseconds")[:26]

        return process

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        def process(value: str | datetime | None) -> datetime | None:
            if value is None or isinstance(value, datetime):
                return value
            return datetime.fromisoformat(value + "+00:00")

        return process


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC instant in, the same aware UTC instant out; naive values are refused.

    PostgreSQL stores ``timestamptz``; SQLite stores the UTC wall time as ISO text.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SqliteUTCText())  # type: ignore[no-untyped-call]
        return dialect.type_descriptor(self.impl)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        zone = value.tzinfo
        if zone is not UTC:  # the common case (already UTC) is passed through untouched
            if zone is None or value.utcoffset() is None:
                raise ValueError(f"refusing to store naive datetime {value.isoformat()}")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is UTC:
            return value
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JsonDocument: Any = JSON().with_variant(JSONB(), "postgresql")
