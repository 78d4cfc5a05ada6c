"""A view's writes within one batch, folded per row and sent with few round trips.

A handler states what a row becomes: `insert` it, `update` some columns, `add` to counters.
The writer keeps, per row, the net change since the batch began and, when the batch ends,
sends one `executemany` per table and shape of change, so that a batch of N events costs a
handful of round trips instead of N. An update of a row that is not there is an error, as
it is for a single UPDATE. Anything else a handler runs (`execute`, `fetch`...) first sends
what is pending, so a handler always sees its own earlier writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import asyncpg


class RowMissing(LookupError):
    """An update named rows that neither the table nor the batch holds."""


@dataclass
class _Row:
    inserted: dict[str, Any] | None = None
    set: dict[str, Any] = field(default_factory=dict)
    add: dict[str, int] = field(default_factory=dict)


@dataclass
class _Table:
    key: str
    rows: dict[Any, _Row] = field(default_factory=dict)


class ViewWriter:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self._tables: dict[str, _Table] = {}

    def _table(self, name: str, key: str) -> _Table:
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = _Table(key)
        elif table.key != key:
            raise ValueError(f"{name} is keyed by {table.key}, not {key}")
        return table

    async def insert(self, table: str, values: Mapping[str, Any], *, key: str = "id") -> None:
        """Insert a row; `values[key]` identifies it within the batch."""
        pending = self._table(table, key)
        if values[key] in pending.rows:
            await self.flush()
            pending = self._table(table, key)
        pending.rows[values[key]] = _Row(inserted=dict(values))

    async def update(
        self,
        table: str,
        ident: Any,
        values: Mapping[str, Any] | None = None,
        *,
        add: Mapping[str, int] | None = None,
        key: str = "id",
    ) -> None:
        """Set columns of the row whose `key` is `ident`, and add to counters."""
        row = self._table(table, key).rows.setdefault(ident, _Row())
        target = row.inserted if row.inserted is not None else row.set
        for column, value in (values or {}).items():
            target[column] = value
            row.add.pop(column, None)
        for column, amount in (add or {}).items():
            if column in target:
                target[column] += amount
            else:
                row.add[column] = row.add.get(column, 0) + amount

    def discard(self) -> None:
        """Forget what is pending: the event that wrote it failed and is rolled back."""
        self._tables = {}

    async def flush(self) -> None:
        tables, self._tables = self._tables, {}
        for name, table in tables.items():
            await self._insert(name, [r.inserted for r in table.rows.values() if r.inserted])
            await self._check_present(name, table)
            await self._update(name, table)

    async def _insert(self, name: str, rows: list[dict[str, Any]]) -> None:
        for columns, group in _grouped(rows, lambda r: tuple(r)):
            names = ", ".join(columns)
            slots = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
            await self.conn.executemany(
                f"INSERT INTO {name} ({names}) VALUES ({slots})",  # noqa: S608
                [tuple(r[c] for c in columns) for r in group],
            )

    async def _check_present(self, name: str, table: _Table) -> None:
        wanted = [k for k, r in table.rows.items() if r.inserted is None]
        if not wanted:
            return
        found = await self.conn.fetchval(
            f"SELECT count(*) FROM {name} WHERE {table.key} = ANY($1)",  # noqa: S608
            wanted,
        )
        if found != len(wanted):
            raise RowMissing(f"{len(wanted) - found} row(s) of {name} to update are missing")

    async def _update(self, name: str, table: _Table) -> None:
        changes = [(k, r) for k, r in table.rows.items() if r.set or r.add]
        for (sets, adds), group in _grouped(
            changes, lambda kr: (tuple(kr[1].set), tuple(kr[1].add))
        ):
            assignments = [f"{c} = ${i}" for i, c in enumerate(sets, start=2)]
            assignments += [f"{c} = {c} + ${i}" for i, c in enumerate(adds, start=2 + len(sets))]
            await self.conn.executemany(
                f"UPDATE {name} SET {', '.join(assignments)} WHERE {table.key} = $1",  # noqa: S608
                [(k, *(r.set[c] for c in sets), *(r.add[c] for c in adds)) for k, r in group],
            )

    async def execute(self, query: str, *args: Any) -> str:
        await self.flush()
        result: str = await self.conn.execute(query, *args)
        return result

    async def executemany(self, query: str, args: Iterable[Any]) -> None:
        await self.flush()
        await self.conn.executemany(query, args)

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        await self.flush()
        return list(await self.conn.fetch(query, *args))

    async def fetchrow(self, query: str, *args: Any) -> asyncpg.Record | None:
        await self.flush()
        return await self.conn.fetchrow(query, *args)

    async def fetchval(self, query: str, *args: Any) -> Any:
        await self.flush()
        return await self.conn.fetchval(query, *args)


def _change_shape(change: tuple[Any, _Row]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(change[1].set), tuple(change[1].add)


def _grouped(items: list[Any], shape: Any) -> list[tuple[Any, list[Any]]]:
    """Items grouped by shape, groups in the order their first item came."""
    groups: dict[Any, list[Any]] = {}
    for item in items:
        groups.setdefault(shape(item), []).append(item)
    return list(groups.items())
