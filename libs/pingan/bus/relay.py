"""The outbox relay: stored events, in notification order, onto the service's stream.

The stream itself is the relay's bookkeeping: on every (re)start the position is read back
from the last message in the stream, so a crash between publishing and anything else can
neither lose nor repeat an event. Each publish also states the stream sequence it expects
to follow, so a message can never land after a gap left by one that failed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
import nats.errors
from eventsourcing.persistence import Mapper
from nats.js import JetStreamContext
from nats.js.api import PubAck

from pingan.bus.contracts import Translate
from pingan.bus.encoding import Encoder
from pingan.bus.envelope import (
    EXPECTED_LAST_SEQUENCE,
    Header,
)
from pingan.bus.streams import Reconnections
from pingan.run.locks import acquire_session_lock
from pingan.run.restart import keep_running

log = logging.getLogger(__name__)

# Batches published and not yet acknowledged while the next is read and sent: enough to keep
# the bus busy across a database round trip, well inside nats-py's 4000 pending publishes.
IN_FLIGHT_BATCHES = 2


@dataclass(frozen=True)
class RelayConfig:
    service: str
    stream: str
    events_table: str
    batch_size: int = 500
    poll_interval_s: float = 1.0
    publish_timeout_s: float = 5.0
    lock_retry_s: float = 2.0


class StreamPositionUnknown(RuntimeError):
    """The stream has lost its messages, so the relay cannot tell where it stopped."""


async def read_back(js: JetStreamContext, stream: str) -> tuple[int, int]:
    """Return (last stream sequence, last published notification id)."""
    info = await js.stream_info(stream)
    last_seq = info.state.last_seq
    if last_seq == 0:
        return 0, 0
    if info.state.messages == 0:
        raise StreamPositionUnknown(
            f"stream {stream} is empty at sequence {last_seq}; restore it before relaying"
        )
    msg = await js.get_msg(stream, seq=last_seq)
    headers = msg.headers or {}
    return last_seq, int(headers[Header.POSITION])


@dataclass
class _InFlight:
    """A batch published but not yet acknowledged: one entry per row, None if private."""

    futures: list[asyncio.Future[PubAck] | None]
    positions: list[int]
    # How many times the bus had reconnected when the batch was sent.
    reconnections: int

    @property
    def last_position(self) -> int:
        return self.positions[-1]

    def cancel(self) -> None:
        for future in self.futures:
            if future is not None:
                future.cancel()


def _cancel_all(batches: deque[_InFlight]) -> None:
    while batches:
        batches.popleft().cancel()


class OutboxRelay:
    def __init__(
        self,
        config: RelayConfig,
        connect_db: Callable[[], Any],
        js: JetStreamContext,
        mapper: Mapper[UUID],
        translate: Translate,
        reconnections: Reconnections | None = None,
    ) -> None:
        self.config = config
        self._connect_db = connect_db
        self._js = js
        self._reconnections = reconnections
        self._encoder = Encoder(config.service, mapper, translate)
        self._select = (
            f"SELECT originator_id, originator_version, topic, state, notification_id "  # noqa: S608
            f"FROM {config.events_table} WHERE notification_id > $1 "
            f"ORDER BY notification_id LIMIT $2"
        )
        self.position = 0
        self.published = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Relay until `stop` is set, recovering from database and bus failures."""
        await keep_running(
            f"relay {self.config.service}",
            lambda: self._run_once(stop),
            stop,
            self.config.lock_retry_s,
        )

    async def _run_once(self, stop: asyncio.Event) -> None:
        conn: asyncpg.Connection = await self._connect_db()
        wake = asyncio.Event()
        try:
            lock_name = f"pingan-relay:{self.config.service}"
            if not await acquire_session_lock(conn, lock_name, self.config.lock_retry_s, stop):
                return
            await conn.add_listener(self.config.events_table, lambda *_: wake.set())
            await self._relay(conn, wake, stop)
        finally:
            await conn.close()

    async def _relay(
        self, conn: asyncpg.Connection, wake: asyncio.Event, stop: asyncio.Event
    ) -> None:
        """Publish from the stream's own position on, reading the next batch while earlier
        ones await their acks.

        Every publish states the sequence it must follow, so a batch sent before the previous
        one is acknowledged can only land right after it: if anything in an earlier batch
        failed, the stream refuses every later message and the relay resyncs from the stream.
        """
        last_seq, self.position = await read_back(self._js, self.config.stream)
        stored = await conn.fetchval(
            f"SELECT coalesce(max(notification_id), 0) FROM {self.config.events_table}"  # noqa: S608
        )
        if stored < self.position:
            raise StreamPositionUnknown(
                f"stream {self.config.stream} is at position {self.position} but the event "
                f"store ends at {stored}: was the database restored or replaced?"
            )
        log.info("relay %s active from position %d", self.config.service, self.position)
        next_seq, after = last_seq, self.position
        in_flight: deque[_InFlight] = deque()
        try:
            while not stop.is_set():
                wake.clear()
                rows = await conn.fetch(self._select, after, self.config.batch_size)
                if rows:
                    sent, next_seq = await self._send(rows, next_seq)
                    in_flight.append(sent)
                    after = sent.last_position
                # With nothing new to read, settle everything before waiting.
                keep = IN_FLIGHT_BATCHES if rows else 0
                while len(in_flight) > keep:
                    if not await self._settle(in_flight.popleft()):
                        _cancel_all(in_flight)
                        next_seq, self.position = await self._read_back_soon()
                        after = self.position
                        break
                else:
                    if not rows:
                        await _wait_any(wake, stop, self.config.poll_interval_s)
            while in_flight and await self._settle(in_flight.popleft()):
                pass
        finally:
            _cancel_all(in_flight)

    async def _send(self, rows: list[asyncpg.Record], next_seq: int) -> tuple[_InFlight, int]:
        """Publish a batch without waiting for its acks; return it and the sequence after it."""
        futures: list[asyncio.Future[PubAck] | None] = []
        positions: list[int] = []
        reconnections = self._reconnections.count if self._reconnections else 0
        publish = self._js.publish_async
        outgoing = self._encoder.encode([tuple(row) for row in rows])
        for row, out in zip(rows, outgoing, strict=True):
            future = None
            if out is not None:
                out.headers[EXPECTED_LAST_SEQUENCE] = str(next_seq)
                next_seq += 1
                future = await publish(out.subject, out.payload, headers=out.headers)
            futures.append(future)
            positions.append(row[4])
        return _InFlight(futures, positions, reconnections), next_seq

    async def _settle(self, batch: _InFlight) -> bool:
        """Take the batch's acks in order, moving the position; False at the first failure,
        or as soon as the bus connection is back after breaking (its acks may be lost)."""
        acks = asyncio.ensure_future(self._take_acks(batch))
        back = asyncio.ensure_future(self._reconnected_since(batch.reconnections))
        try:
            # One deadline for the batch: a timer per message cost more than its publish.
            await asyncio.wait(
                {acks, back},
                timeout=self.config.publish_timeout_s,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            back.cancel()
        if acks.done() and not acks.cancelled() and acks.exception() is None:
            return True
        acks.cancel()
        batch.cancel()
        if not acks.done() or acks.cancelled():
            reason = "the bus reconnected" if back.done() else "publish timed out"
        else:
            reason = f"publish failed ({acks.exception()!r})"
        log.warning("relay %s: %s; resyncing", self.config.service, reason)
        return False

    async def _take_acks(self, batch: _InFlight) -> None:
        for future, position in zip(batch.futures, batch.positions, strict=True):
            if future is not None:
                ack = await future
                if not ack.duplicate:
                    self.published += 1
            self.position = position

    async def _reconnected_since(self, count: int) -> None:
        if self._reconnections is None:
            await asyncio.Event().wait()
        else:
            await self._reconnections.since(count)

    async def _read_back_soon(self) -> tuple[int, int]:
        """The stream's position, tried again shortly while a restarted server's JetStream
        is not answering yet, rather than restarting the relay after its lock pause."""
        deadline = asyncio.get_running_loop().time() + self.config.publish_timeout_s
        delay = 0.05
        while True:
            try:
                return await read_back(self._js, self.config.stream)
            except (nats.errors.Error, TimeoutError):
                if asyncio.get_running_loop().time() + delay > deadline:
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)


async def _wait_any(a: asyncio.Event, b: asyncio.Event, limit_s: float) -> None:
    tasks = [asyncio.ensure_future(a.wait()), asyncio.ensure_future(b.wait())]
    try:
        await asyncio.wait(tasks, timeout=limit_s, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
