"""PostgreSQL advisory locks: one active worker of a kind, standbys waiting."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import asyncpg

from pingan.run.pause import pause

log = logging.getLogger(__name__)


def lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


async def acquire_session_lock(
    conn: asyncpg.Connection, name: str, retry_s: float, stop: asyncio.Event
) -> bool:
    """Hold the lock on `conn`'s session, waiting as a standby; False when stopped first."""
    key = lock_key(name)
    announced = False
    while not stop.is_set():
        if await conn.fetchval("SELECT pg_try_advisory_lock($1)", key):
            return True
        if not announced:
            log.info("%s: another worker holds the lock; standing by", name)
            announced = True
        await pause(stop, retry_s)
    return False


@asynccontextmanager
async def holding_lock(
    connect: Callable[[], Awaitable[asyncpg.Connection]],
    name: str,
    retry_s: float,
    stop: asyncio.Event,
) -> AsyncIterator[asyncpg.Connection | None]:
    """Hold the named lock on a connection of its own (never a pooled one, which the work
    under the lock needs); yields None if stopped before the lock was had. Closing the
    connection releases the lock."""
    conn = await connect()
    try:
        held = await acquire_session_lock(conn, name, retry_s, stop)
        yield conn if held else None
    finally:
        await conn.close()
