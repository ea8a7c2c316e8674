"""A backlog of open tickets with their SLA clocks, built in the database from one real ticket.

One ticket is accepted through ``accept_ticket`` (so its ticket row and the per-ticket rows
intake writes with it, its SLA clocks and escalation steps, have exactly intake's shape), then
copied server-side with ``INSERT ... SELECT`` over ``generate_series`` (PostgreSQL) or a
recursive CTE (SQLite): every copy gets a new id and a new ``external_id`` and is moved in time
by a whole number of seconds (every instant of the ticket and of its rows moves together).
``due`` copies are moved back so that their first-response warning fell due 1 to 11 minutes
before ``end`` (their breach is still ahead); all the others are moved 30 days or more ahead,
so nothing else is due.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Column, Table, bindparam, func, select, text, update

from benchmarks.common import make_dataset, progress, seed_accounts
from fairlane.adapters.db import tables as t
from fairlane.adapters.db.types import UTCDateTime
from fairlane.bootstrap import Application
from fairlane.services.intake import accept_ticket
from fairlane.services.schemas import TicketIn

__all__ = ["DUE", "Backlog", "build_backlog", "reset_due"]

DUE = 1_000
FAR_AHEAD_S = 30 * 86_400
JITTER_S = 600  # due warnings are spread over 10 minutes
BUILD_CHUNK = 100_000
ID_PREFIX = "tkt_bench"  # + 19 digits: 28 characters, like intake's tkt_ + 24
SEED = 23


@dataclass(frozen=True)
class Backlog:
    tickets: int  # the template plus its copies
    account_id: str  # the template's account (every copy belongs to it)
    due_ids: list[str]  # tickets whose first-response clock is due at ``end``
    build_s: float  # copying, indexes and statistics; not the template's intake
    rows_per_ticket: dict[str, int]  # table -> rows per ticket that were copied

    @property
    def rows(self) -> int:
        return self.tickets * sum(self.rows_per_ticket.values())

    def describe(self) -> str:
        return ", ".join(f"{n} {table}" for table, n in self.rows_per_ticket.items())


def clone_id(i: int) -> str:
    return f"{ID_PREFIX}{i:019d}"


def build_backlog(app: Application, end: datetime, count: int, *, due: int, label: str) -> Backlog:
    """``count`` open tickets (one accepted, ``count - 1`` copies), ``due`` of them due at end."""
    if count - 1 < due or count < 2:
        raise ValueError(f"a backlog of {count:,} tickets cannot hold {due:,} due clocks")
    template, account_id = _accept_template(app, end)
    tables = _tables_to_copy(app, template)
    with app.engine.connect() as connection:
        clock = connection.execute(
            select(t.sla_clocks).where(
                t.sla_clocks.c.ticket_id == template, t.sla_clocks.c.kind == "first_response"
            )
        ).one()
    if clock.due_at - clock.warning_at <= timedelta(seconds=60 + JITTER_S):
        raise RuntimeError("the template's first-response warning is too close to its breach")
    back_s = int((clock.warning_at - end).total_seconds()) + 60
    copies = count - 1
    stride = copies // due if due else 0
    offset = _offset(stride, due, back_s)
    dialect = app.engine.dialect.name
    started = time.perf_counter()
    for low in range(1, copies + 1, BUILD_CHUNK):
        high = min(copies, low + BUILD_CHUNK - 1)
        with app.engine.begin() as connection:
            for table, key in tables:
                sql = _clone_sql(dialect, table, key, low, high, offset)
                connection.execute(text(sql), {"tpl": template})
        if high % (BUILD_CHUNK * 2) == 0 or high == copies:
            elapsed = time.perf_counter() - started
            progress(f"{label}:   {high + 1:,} tickets, {elapsed:.1f} s")
    if dialect == "postgresql":
        with app.engine.begin() as connection:
            for table, _ in tables:
                connection.execute(text(f"ANALYZE {table.name}"))
    build_s = time.perf_counter() - started
    with app.engine.connect() as connection:
        per_ticket = {
            table.name: connection.scalar(
                select(func.count()).select_from(table).where(table.c[key] == template)
            )
            or 0
            for table, key in tables
        }
    due_ids = [clone_id(k * stride) for k in range(1, due + 1)]
    return Backlog(count, account_id, due_ids, build_s, per_ticket)


def _accept_template(app: Application, end: datetime) -> tuple[str, str]:
    """One ticket through intake, at ``end``, for a named account: (ticket id, account id)."""
    data = make_dataset(1, seed=SEED, end=end)
    seed_accounts(app, data.accounts)
    account = str(data.accounts[0]["id"])  # so that the copies have an account (recompute)
    record = dict(data.tickets[0], created_at=end.isoformat(), account_id=account)
    outcome = accept_ticket(
        TicketIn.model_validate(record), uow=app.uow, policy=app.policy, clock=app.clock
    )
    if outcome.ticket_id is None or outcome.ticket is None:
        raise RuntimeError(f"the template ticket was not accepted: {outcome}")
    if outcome.ticket.get("account_id") != account:
        raise RuntimeError("the template ticket did not get the account it named")
    return outcome.ticket_id, account


def _tables_to_copy(app: Application, template: str) -> list[tuple[Table, str]]:
    """Tickets, then every table where intake wrote rows for the ticket (its clocks and steps).

    Audit entries are history the worker never reads: not copied. Fails without clocks.
    """
    tables: list[tuple[Table, str]] = [(t.tickets, "id")]
    with app.engine.connect() as connection:
        for table in t.metadata.sorted_tables:
            if "ticket_id" not in table.c or table is t.audit_entries:
                continue
            found = connection.scalar(select(func.count()).where(table.c.ticket_id == template))
            if found:
                tables.append((table, "ticket_id"))
    if not any(table is t.sla_clocks for table, _ in tables):
        raise RuntimeError("intake wrote no SLA clocks for the template ticket")
    return tables


def reset_due(app: Application, ticket_ids: list[str]) -> None:
    """Undo a pass: the first-response warnings of these tickets are pending (and due) again."""
    c = t.sla_clocks.c
    query = (
        update(t.sla_clocks)
        .where(c.kind == "first_response", c.ticket_id == bindparam("tid"))
        .values(warned_at=None, next_action_at=c.warning_at)
    )
    with app.engine.begin() as connection:
        connection.execute(query, [{"tid": tid} for tid in ticket_ids])


def _offset(stride: int, due: int, back_s: int) -> str:
    """Seconds copy ``i`` is moved by: due copies back by their jitter, the rest 30+ days ahead."""
    ahead = f"{FAR_AHEAD_S} + i"
    if not due:
        return ahead
    return (
        f"CASE WHEN i % {stride} = 0 AND i / {stride} <= {due} "
        f"THEN -{back_s} - (i / {stride}) % {JITTER_S} ELSE {ahead} END"
    )


def _clone_sql(dialect: str, table: Table, key: str, low: int, high: int, offset: str) -> str:
    columns = list(table.c)
    names = ", ".join(c.name for c in columns)
    values = ", ".join(_value(dialect, c, key, offset) for c in columns)
    copy = f"SELECT {values} FROM s CROSS JOIN {table.name} AS tpl WHERE tpl.{key} = :tpl"
    if dialect == "postgresql":
        series = f"generate_series({low}, {high}) AS i"
        return f"INSERT INTO {table.name} ({names}) WITH s AS (SELECT {series}) {copy}"
    series = f"SELECT {low} UNION ALL SELECT i + 1 FROM s WHERE i < {high}"
    return f"INSERT INTO {table.name} ({names}) WITH RECURSIVE s(i) AS ({series}) {copy}"


def _value(dialect: str, column: Column[object], key: str, offset: str) -> str:
    name = f"tpl.{column.name}"
    postgres = dialect == "postgresql"
    if column.name == key:
        return f"'{ID_PREFIX}' || " + (
            "lpad(i::text, 19, '0')" if postgres else "printf('%019d', i)"
        )
    if column.name == "external_id":
        return f"{name} || '-' || i"
    if isinstance(column.type, UTCDateTime):
        if postgres:
            return f"{name} + make_interval(secs => {offset})"
        # SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff': shift the seconds, keep the fraction.
        return (
            f"strftime('%Y-%m-%d %H:%M:%S', {name}, printf('%+d seconds', {offset})) "
            f"|| substr({name}, 20)"
        )
    return name
