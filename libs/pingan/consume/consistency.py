"""Read-your-writes: wait, within bounds, for a consumer to reach a position of a stream.

A command answers the position of its last event; a query of a view may ask to see at least
that position of the service's own stream, and across services a query may wait until this
service has processed a given position of another service's stream.
"""

from __future__ import annotations

import asyncio
import time

import asyncpg

from pingan.consume.tracking import read_tracking


class ViewBehind(Exception):
    def __init__(self, projection: str, wanted: int, reached: int, waited_s: float) -> None:
        super().__init__(f"view {projection} is at position {reached}, not yet {wanted}")
        self.projection = projection
        self.wanted = wanted
        self.reached = reached
        self.waited_s = waited_s


class PositionAhead(Exception):
    """A position no command has answered yet: waiting for it could only time out."""

    def __init__(self, wanted: int, written: int) -> None:
        super().__init__(f"position {wanted} is beyond the last one written, {written}")
        self.wanted = wanted
        self.written = written


async def wait_for_position(
    pool: asyncpg.Pool,
    consumer: str,
    source: str,
    min_position: int,
    timeout_s: float,
    poll_s: float = 0.02,
) -> int:
    """Return the consumer's position in `source` once it is >= min_position; raise
    ViewBehind at timeout."""
    started = time.monotonic()
    deadline = started + timeout_s
    while True:
        async with pool.acquire() as conn:
            reached = (await read_tracking(conn, consumer, source)).position
        if reached >= min_position:
            return reached
        now = time.monotonic()
        if now >= deadline:
            raise ViewBehind(consumer, min_position, reached, now - started)
        await asyncio.sleep(min(poll_s, deadline - now))
        poll_s = min(poll_s * 1.5, 0.2)
