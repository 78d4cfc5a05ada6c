"""What each consumer has reached, learnt from PostgreSQL notifications, for waits to await.

One hub per process holds one connection of its own that LISTENs on the tracking channel, so
that waits take nothing from the shared pool and are woken by a commit in any process. It
keeps the last position of every (consumer, source) in memory, read in full each time it
(re)connects, since notifications sent while it was away are lost. Waits are bounded in
number: one that finds no room is refused at once instead of queueing behind the others.
It also answers how far the service's own event store has been written, on the same
connection, one read serving every caller that arrived before it began.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import asyncpg

from pingan.consume.consistency import TooManyWaiting, ViewBehind
from pingan.consume.tracking import PROGRESS_CHANNEL
from pingan.run.restart import keep_running

log = logging.getLogger(__name__)

Key = tuple[str, str]


@dataclass(eq=False)
class _Waiter:
    wanted: int
    woken: asyncio.Future[int] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class ProgressHub:
    def __init__(
        self,
        connect: Callable[[], Awaitable[asyncpg.Connection]],
        *,
        max_waiters: int,
        retry_s: float,
        events_table: str | None = None,
    ) -> None:
        self.connect = connect
        self.events_table = events_table
        self.max_waiters = max_waiters
        self.retry_s = retry_s
        self.seeds = 0
        self.written_reads = 0
        self._written = 0
        self._reading = asyncio.Lock()
        self._positions: dict[Key, int] = {}
        self._wrote: dict[Key, int | None] = {}
        self._waiters: dict[Key, set[_Waiter]] = {}
        self._waiting = 0
        self._conn: asyncpg.Connection | None = None
        self._connected = asyncio.Event()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def waiting(self) -> int:
        return self._waiting

    @property
    def backend_pid(self) -> int | None:
        """The listening connection's server process, while connected."""
        return None if self._conn is None else self._conn.get_server_pid()

    def start(self) -> None:
        """Listen in the background; never blocks, and a database not yet there is retried."""
        self._stop.clear()
        self._task = asyncio.create_task(
            keep_running("progress listener", self._listen, self._stop, self.retry_s)
        )

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def connected(self) -> None:
        """Return once the hub listens and knows every position."""
        await self._connected.wait()

    def reached(self, consumer: str, source: str) -> int:
        return self._positions.get((consumer, source), 0)

    def wrote(self, consumer: str, source: str) -> int | None:
        """The last position of the service's own store that the reaction had written when it
        reached its position in `source`; None when not known."""
        return self._wrote.get((consumer, source))

    async def written(self, at_least: int) -> int | None:
        """The last position written to the event store, `at_least` if it is known to be
        there already, or None while the hub is not connected."""
        if at_least <= self._written:
            return self._written
        if self.events_table is None:
            return None
        arrived = self.written_reads
        async with self._reading:
            # Holding the lock, every read begun is done: one begun after this call arrived
            # has seen everything written before it.
            if self.written_reads > arrived:
                return self._written
            conn = self._conn
            if conn is None:
                return None
            self.written_reads += 1
            try:
                written = await conn.fetchval(
                    f"SELECT coalesce(max(notification_id), 0) FROM {self.events_table}"  # noqa: S608
                )
            except Exception:
                # A connection that fails a query is not trusted to listen either.
                conn.terminate()
                return None
            self._written = max(self._written, int(written))
            return self._written

    async def wait(self, consumer: str, source: str, wanted: int, timeout_s: float) -> int:
        """The consumer's position in `source` once it is at least `wanted`; ViewBehind at
        the time-out, TooManyWaiting at once when as many waits as allowed are under way."""
        key = (consumer, source)
        if self.reached(*key) >= wanted:
            return self.reached(*key)
        if self._waiting >= self.max_waiters:
            raise TooManyWaiting(self.max_waiters)
        loop = asyncio.get_running_loop()
        started = loop.time()
        waiter = _Waiter(wanted)
        self._waiting += 1
        self._waiters.setdefault(key, set()).add(waiter)
        try:
            async with asyncio.timeout(timeout_s):
                return await waiter.woken
        except TimeoutError:
            raise ViewBehind(consumer, wanted, self.reached(*key), loop.time() - started) from None
        finally:
            self._waiting -= 1
            waiters = self._waiters.get(key)
            if waiters is not None:
                waiters.discard(waiter)
                if not waiters:
                    del self._waiters[key]

    async def _listen(self) -> None:
        conn = await self.connect()
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _: lost.set())
        try:
            await conn.add_listener(PROGRESS_CHANNEL, self._on_notification)
            rows = await conn.fetch(
                "SELECT consumer, source, position, wrote FROM consumer_tracking"
            )
            self.seeds += 1
            self._positions = {(r["consumer"], r["source"]): r["position"] for r in rows}
            self._wrote = {(r["consumer"], r["source"]): r["wrote"] for r in rows}
            for key in list(self._waiters):
                self._wake(key)
            self._conn = conn
            self._connected.set()
            stopping = asyncio.ensure_future(self._stop.wait())
            losing = asyncio.ensure_future(lost.wait())
            try:
                # The termination callback is the prompt signal; the check is for a close
                # it might not report.
                while not (self._stop.is_set() or lost.is_set() or conn.is_closed()):
                    await asyncio.wait(
                        {stopping, losing}, timeout=1.0, return_when=asyncio.FIRST_COMPLETED
                    )
            finally:
                stopping.cancel()
                losing.cancel()
            if not self._stop.is_set():
                log.warning("progress listener: connection lost; reconnecting")
        finally:
            self._connected.clear()
            self._conn = None
            with contextlib.suppress(Exception):
                await conn.close(timeout=2)

    def _on_notification(
        self, _conn: asyncpg.Connection, _pid: int, _channel: str, payload: str
    ) -> None:
        try:
            note = json.loads(payload)
            key = (str(note["consumer"]), str(note["source"]))
            position = int(note["position"])
            wrote = None if note.get("wrote") is None else int(note["wrote"])
        except (ValueError, KeyError, TypeError):
            log.warning("progress listener: ignored notification %r", payload)
            return
        # Zero is a view forgotten for a rebuild; otherwise a commit can arrive after the
        # full read that already saw it, so a position only grows.
        self._positions[key] = position if position == 0 else max(position, self.reached(*key))
        known = self.wrote(*key)
        if position == 0:
            self._wrote.pop(key, None)
        elif wrote is not None:
            self._wrote[key] = wrote if known is None else max(wrote, known)
        self._wake(key)

    def _wake(self, key: Key) -> None:
        reached = self.reached(*key)
        for waiter in self._waiters.get(key, ()):
            if waiter.wanted <= reached and not waiter.woken.done():
                waiter.woken.set_result(reached)
