"""Read-your-writes: wait, within bounds, for a view to reach a command's position."""

from __future__ import annotations

import asyncio
import time

import asyncpg

from pingan.consume.views import Projection, read_tracking


class ViewBehind(Exception):
    def __init__(self, projection: str, wanted: int, reached: int, waited_s: float) -> None:
        super().__init__(f"view {projection} is at position {reached}, not yet {wanted}")
        self.projection = projection
        self.wanted = wanted
        self.reached = reached
        self.waited_s = waited_s


async def wait_for_position(
    pool: asyncpg.Pool,
    projection: Projection,
    min_position: int,
    timeout_s: float,
    poll_s: float = 0.02,
) -> int:
    """Return the view's position once it is >= min_position; raise ViewBehind at timeout."""
    started = time.monotonic()
    deadline = started + timeout_s
    while True:
        async with pool.acquire() as conn:
            reached = (await read_tracking(conn, projection.name, projection.source)).position
        if reached >= min_position:
            return reached
        now = time.monotonic()
        if now >= deadline:
            raise ViewBehind(projection.name, min_position, reached, now - started)
        await asyncio.sleep(min(poll_s, deadline - now))
        poll_s = min(poll_s * 1.5, 0.2)
