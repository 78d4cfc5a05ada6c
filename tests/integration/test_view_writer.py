"""A view's batched writes on a real database: the same rows as one statement per event."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import asyncpg
import pytest

from hazards.application import HazardsApplication
from pingan.consume.rows import RowMissing, ViewWriter
from pingan.run.runtime import ServiceRuntime

DDL = """
CREATE TABLE IF NOT EXISTS writer_rows (
    id uuid PRIMARY KEY, status text NOT NULL, note text, hits int NOT NULL DEFAULT 0
)
"""


@pytest.fixture
async def conn(hazards: ServiceRuntime[HazardsApplication]) -> AsyncIterator[asyncpg.Connection]:
    async with hazards.pool.acquire() as conn:
        await conn.execute(DDL)
        yield conn


async def rows(conn: asyncpg.Connection) -> dict[UUID, tuple[str, str | None, int]]:
    found = await conn.fetch("SELECT id, status, note, hits FROM writer_rows")
    return {r["id"]: (r["status"], r["note"], r["hits"]) for r in found}


async def test_inserts_updates_and_counters_fold_per_row_within_a_batch(
    conn: asyncpg.Connection,
) -> None:
    old, new = uuid4(), uuid4()
    await conn.execute("INSERT INTO writer_rows (id, status, hits) VALUES ($1, 'open', 5)", old)
    writer = ViewWriter(conn)

    await writer.insert("writer_rows", {"id": new, "status": "open"})
    await writer.update("writer_rows", new, {"note": "a"}, add={"hits": 1})
    await writer.update("writer_rows", new, {"status": "closed"}, add={"hits": 2})
    await writer.update("writer_rows", old, add={"hits": 1})
    await writer.update("writer_rows", old, {"note": "b"}, add={"hits": 1})
    await writer.flush()

    assert await rows(conn) == {old: ("open", "b", 7), new: ("closed", "a", 3)}


async def test_a_set_after_a_counter_wins_and_reads_see_pending_writes(
    conn: asyncpg.Connection,
) -> None:
    ident = uuid4()
    writer = ViewWriter(conn)
    await writer.insert("writer_rows", {"id": ident, "status": "open", "hits": 0})
    await writer.update("writer_rows", ident, add={"hits": 4})
    await writer.update("writer_rows", ident, {"hits": 1})

    seen = await writer.fetchval("SELECT hits FROM writer_rows WHERE id = $1", ident)

    assert seen == 1


async def test_an_update_of_a_row_that_is_not_there_is_refused(conn: asyncpg.Connection) -> None:
    writer = ViewWriter(conn)
    await writer.update("writer_rows", uuid4(), {"status": "closed"})

    with pytest.raises(RowMissing):
        await writer.flush()
