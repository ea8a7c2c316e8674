"""The database schema: migrations and table definitions agree, and upgrades are repeatable."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from fairlane.adapters.db.engine import is_up_to_date, make_engine, upgrade_database
from fairlane.adapters.db.tables import metadata


def test_migrations_create_exactly_the_tables_the_code_uses(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade_database(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


def test_upgrading_twice_is_harmless_and_leaves_the_schema_current(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade_database(engine)
    upgrade_database(engine)
    assert is_up_to_date(engine)
    engine.dispose()


def test_sqlite_database_runs_in_wal_mode(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
