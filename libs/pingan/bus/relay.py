"""The outbox relay: stored events, in notification order, onto the service's stream.

The stream itself is the relay's bookkeeping: on every (re)start the position is read back
from the last message in the stream, so a crash between publishing and anything else can
neither lose nor repeat an event. Each publish also states the stream sequence it expects
to follow, so a message can never land after a gap left by one that failed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
from eventsourcing.persistence import Mapper, StoredEvent
from nats.js import JetStreamContext
from nats.js.api import PubAck

from pingan.bus.contracts import IntegrationEvent
from pingan.bus.envelope import (
    EXPECTED_LAST_SEQUENCE,
    MSG_ID,
    Envelope,
    Header,
    message_id,
    source_of,
)
from pingan.run.locks import acquire_session_lock
from pingan.run.pause import pause
from pingan.write.metadata import metadata_of

log = logging.getLogger(__name__)

Translate = Callable[[Any], IntegrationEvent | None]


@dataclass(frozen=True)
class Outgoing:
    subject: str
    payload: bytes
    headers: dict[str, str]


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


class OutboxRelay:
    def __init__(
        self,
        config: RelayConfig,
        connect_db: Callable[[], Any],
        js: JetStreamContext,
        mapper: Mapper[UUID],
        translate: Translate,
    ) -> None:
        self.config = config
        self._connect_db = connect_db
        self._js = js
        self._mapper = mapper
        self._translate = translate
        self.position = 0
        self.published = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Relay until `stop` is set, recovering from database and bus failures."""
        while not stop.is_set():
            try:
                await self._run_once(stop)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning(
                    "relay %s: database unavailable (%s); retrying", self.config.service, exc
                )
            except Exception:
                log.exception("relay %s failed; restarting", self.config.service)
            if not stop.is_set():
                await pause(stop, self.config.lock_retry_s)

    async def _run_once(self, stop: asyncio.Event) -> None:
        conn: asyncpg.Connection = await self._connect_db()
        wake = asyncio.Event()
        try:
            lock_name = f"pingan-relay:{self.config.service}"
            if not await acquire_session_lock(conn, lock_name, self.config.lock_retry_s, stop):
                return
            await conn.add_listener(self.config.events_table, lambda *_: wake.set())
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
            while not stop.is_set():
                wake.clear()
                rows = await conn.fetch(
                    f"SELECT originator_id, originator_version, topic, state, notification_id "  # noqa: S608
                    f"FROM {self.config.events_table} WHERE notification_id > $1 "
                    f"ORDER BY notification_id LIMIT $2",
                    self.position,
                    self.config.batch_size,
                )
                if rows:
                    last_seq = await self._publish(rows, last_seq)
                    continue
                await _wait_any(wake, stop, self.config.poll_interval_s)
        finally:
            await conn.close()

    def _outgoing(self, row: asyncpg.Record) -> Outgoing | None:
        stored = StoredEvent(
            originator_id=row["originator_id"],
            originator_version=row["originator_version"],
            topic=row["topic"],
            state=bytes(row["state"]),
        )
        domain_event: Any = self._mapper.to_domain_event(stored)
        contract = self._translate(domain_event)
        if contract is None:
            return None
        position = int(row["notification_id"])
        meta = metadata_of(domain_event)
        ident = message_id(self.config.service, position)
        envelope = Envelope(
            id=ident,
            source=source_of(self.config.service),
            type=contract.event_type,
            subject=str(stored.originator_id),
            time=domain_event.timestamp,
            position=position,
            correlation_id=meta.correlation_id if meta else ident,
            causation_id=meta.causation_id if meta else ident,
            actor=meta.actor if meta else "system",
        )
        headers = envelope.to_headers()
        headers[MSG_ID] = ident
        return Outgoing(contract.subject, contract.model_dump_json().encode(), headers)

    async def _publish(self, rows: list[asyncpg.Record], last_seq: int) -> int:
        """Publish a batch pipelined; stop at the first failure and resync from the stream."""
        pending: list[tuple[int, asyncio.Future[PubAck] | None]] = []
        expected = last_seq
        for row in rows:
            out = self._outgoing(row)
            future = None
            if out is not None:
                out.headers[EXPECTED_LAST_SEQUENCE] = str(expected)
                expected += 1
                future = await self._js.publish_async(out.subject, out.payload, headers=out.headers)
            pending.append((int(row["notification_id"]), future))
        try:
            for position, future in pending:
                if future is not None:
                    ack = await asyncio.wait_for(future, self.config.publish_timeout_s)
                    last_seq = ack.seq
                    self.published += 0 if ack.duplicate else 1
                self.position = position
        except Exception as exc:
            for _, future in pending:
                if future is not None:
                    future.cancel()
            log.warning("relay %s: publish failed (%r); resyncing", self.config.service, exc)
            last_seq, self.position = await read_back(self._js, self.config.stream)
        return last_seq


async def _wait_any(a: asyncio.Event, b: asyncio.Event, limit_s: float) -> None:
    tasks = [asyncio.ensure_future(a.wait()), asyncio.ensure_future(b.wait())]
    try:
        await asyncio.wait(tasks, timeout=limit_s, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
