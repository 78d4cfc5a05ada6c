"""Projections: read views in PostgreSQL fed from a JetStream stream.

One durable pull consumer per projection and source stream, one active runner per
projection (advisory lock). A batch of events and the projection's tracking row commit in
one transaction and the acks follow the commit, so a crash anywhere replays at most an
uncommitted batch, and anything at or below the tracked stream sequence is skipped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import asyncpg
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from pydantic import BaseModel

from pingan.bus.envelope import MSG_ID, Envelope
from pingan.bus.streams import dead_letter_subject
from pingan.run.locks import holding_lock
from pingan.run.pause import pause

log = logging.getLogger(__name__)

TRACKING_DDL = """
CREATE TABLE IF NOT EXISTS projection_tracking (
    projection text NOT NULL,
    source text NOT NULL,
    stream_seq bigint NOT NULL DEFAULT 0,
    position bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, source)
)
"""
ERROR_HEADER = "Pingan-Error"
SOURCE_STREAM_HEADER = "Pingan-Source-Stream"
SOURCE_SEQUENCE_HEADER = "Pingan-Source-Sequence"

M = TypeVar("M", bound=BaseModel)
Handler = Callable[[Any, asyncpg.Connection, Any, Envelope], Awaitable[None]]


def handles(contract: type[M]) -> Callable[[Any], Any]:
    """Mark a projection method as the handler of one contract's events."""

    def mark(method: Any) -> Any:
        method.__handles__ = contract
        return method

    return mark


class _Unguarded(Exception):
    """An event failed in a batch applied without savepoints."""


class Projection:
    """A read view: one method per event it cares about, each given a transaction."""

    name: ClassVar[str]
    source: ClassVar[str]
    handlers: ClassVar[dict[str, tuple[type[BaseModel], Handler]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.handlers = {}
        for attr in vars(cls).values():
            contract = getattr(attr, "__handles__", None)
            if contract is not None:
                cls.handlers[contract.event_type] = (contract, attr)

    async def setup(self, conn: asyncpg.Connection) -> None:
        """Create the view's tables if missing."""

    async def clear(self, conn: asyncpg.Connection) -> None:
        """Empty the view's tables, for a rebuild."""

    async def apply(self, conn: asyncpg.Connection, envelope: Envelope, data: bytes) -> None:
        entry = self.handlers.get(envelope.type)
        if entry is None:
            return
        contract, handler = entry
        await handler(self, conn, contract.model_validate_json(data), envelope)


@dataclass(frozen=True)
class RunnerConfig:
    batch_size: int = 256
    fetch_timeout_s: float = 1.0
    ack_wait_s: float = 30.0
    max_deliver: int = 5
    lock_retry_s: float = 2.0


@dataclass(frozen=True)
class Tracked:
    stream_seq: int
    position: int


async def setup_tracking(conn: asyncpg.Connection) -> None:
    await conn.execute(TRACKING_DDL)


async def read_tracking(conn: asyncpg.Connection, projection: str, source: str) -> Tracked:
    row = await conn.fetchrow(
        "SELECT stream_seq, position FROM projection_tracking WHERE projection=$1 AND source=$2",
        projection,
        source,
    )
    return Tracked(row["stream_seq"], row["position"]) if row else Tracked(0, 0)


def consumer_name(projection: Projection) -> str:
    return f"projection_{projection.name}"


class ProjectionRunner:
    def __init__(
        self,
        projection: Projection,
        pool: asyncpg.Pool,
        connect: Callable[[], Awaitable[asyncpg.Connection]],
        js: JetStreamContext,
        config: RunnerConfig,
    ) -> None:
        self.projection = projection
        self.pool = pool
        self.connect = connect
        self.js = js
        self.config = config
        self.applied = 0
        self.dead_lettered = 0
        self._rebuild_pending = False

    @property
    def durable(self) -> str:
        return consumer_name(self.projection)

    async def setup(self, *, clear: bool = False) -> None:
        """Create the view's tables (emptied if `clear`) and point the consumer just past the
        tracked position.

        The tracking row is the truth and the durable consumer only a cursor: starting it
        afresh from the tracked sequence means messages that a killed predecessor had
        fetched but not acked are delivered at once, not after their ack wait.
        """
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('pingan-projection-ddl'))")
            await setup_tracking(conn)
            await self.projection.setup(conn)
            if clear:
                await self.projection.clear(conn)
                await conn.execute(
                    "DELETE FROM projection_tracking WHERE projection=$1 AND source=$2",
                    self.projection.name,
                    self.projection.source,
                )
            tracked = await read_tracking(conn, self.projection.name, self.projection.source)
        try:
            await self.js.delete_consumer(self.projection.source, self.durable)
        except NotFoundError:
            pass
        start = (
            {
                "deliver_policy": DeliverPolicy.BY_START_SEQUENCE,
                "opt_start_seq": tracked.stream_seq + 1,
            }
            if tracked.stream_seq
            else {"deliver_policy": DeliverPolicy.ALL}
        )
        await self.js.add_consumer(
            self.projection.source,
            ConsumerConfig(
                durable_name=self.durable,
                ack_policy=AckPolicy.EXPLICIT,
                ack_wait=self.config.ack_wait_s,
                max_deliver=-1,
                max_ack_pending=max(1000, self.config.batch_size * 4),
                **start,
            ),
        )

    async def run(self, stop: asyncio.Event, *, rebuild: bool = False) -> None:
        """Apply batches until `stop` is set; with `rebuild`, first empty the view (once this
        runner holds the projection's lock, so never under another active runner)."""
        self._rebuild_pending = rebuild
        while not stop.is_set():
            try:
                await self._run_locked(stop)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("projection %s: database unavailable (%s)", self.projection.name, exc)
            except Exception:
                log.exception("projection %s failed; restarting", self.projection.name)
            if not stop.is_set():
                await pause(stop, self.config.lock_retry_s)

    async def _run_locked(self, stop: asyncio.Event) -> None:
        name = f"pingan-projection:{self.projection.name}"
        async with holding_lock(self.connect, name, self.config.lock_retry_s, stop) as lock:
            if lock is None:
                return
            await self.setup(clear=self._rebuild_pending)
            if self._rebuild_pending:
                log.info("projection %s: emptied for a rebuild", self.projection.name)
                self._rebuild_pending = False
            psub = await self.js.pull_subscribe_bind(
                durable=self.durable, stream=self.projection.source
            )
            try:
                while not stop.is_set():
                    if lock.is_closed():
                        raise ConnectionError("lost the connection that holds the lock")
                    await self.step(psub)
            finally:
                await psub.unsubscribe()

    async def step(self, psub: Any) -> int:
        """Fetch and apply one batch; return how many messages it held."""
        try:
            msgs: list[Msg] = await psub.fetch(
                self.config.batch_size, timeout=self.config.fetch_timeout_s
            )
        except NatsTimeoutError:
            return 0
        done, retry = await self._apply_batch(msgs)
        for msg in done:
            await msg.ack()
        for msg in retry:
            await msg.nak()
        if retry:
            failed = retry[0].metadata.num_delivered or 1
            await asyncio.sleep(min(2.0, 0.05 * 2**failed))
        return len(msgs)

    async def _apply_batch(self, msgs: list[Msg]) -> tuple[list[Msg], list[Msg]]:
        """Apply in stream order inside one transaction; return (to ack, to redeliver).

        The batch is first applied straight through; only if one event fails is it rolled
        back and applied again with a savepoint per event, so that the events before the
        failing one still commit and it alone is retried or dead-lettered.
        """
        try:
            return await self._apply(msgs, guarded=False)
        except _Unguarded:
            return await self._apply(msgs, guarded=True)

    async def _apply(self, msgs: list[Msg], *, guarded: bool) -> tuple[list[Msg], list[Msg]]:
        done: list[Msg] = []
        applied = 0
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO projection_tracking (projection, source) VALUES ($1, $2) "
                "ON CONFLICT DO NOTHING",
                self.projection.name,
                self.projection.source,
            )
            row = await conn.fetchrow(
                "SELECT stream_seq, position FROM projection_tracking "
                "WHERE projection=$1 AND source=$2 FOR UPDATE",
                self.projection.name,
                self.projection.source,
            )
            if row is None:
                raise RuntimeError(f"tracking row of {self.projection.name} vanished")
            seq, position = int(row["stream_seq"]), int(row["position"])
            retry: list[Msg] = []
            for index, msg in enumerate(msgs):
                msg_seq = msg.metadata.sequence.stream
                if msg_seq <= seq:
                    done.append(msg)
                    continue
                if seq and msg_seq != seq + 1:
                    retry = msgs[index:]
                    break
                try:
                    envelope = Envelope.from_headers(msg.headers)
                    if guarded:
                        async with conn.transaction():
                            await self.projection.apply(conn, envelope, msg.data)
                    else:
                        await self.projection.apply(conn, envelope, msg.data)
                except Exception as exc:
                    if not guarded:
                        raise _Unguarded from exc
                    if (msg.metadata.num_delivered or 1) < self.config.max_deliver:
                        log.warning(
                            "projection %s: seq %d failed (%r); will retry",
                            self.projection.name,
                            msg_seq,
                            exc,
                        )
                        retry = msgs[index:]
                        break
                    await self._dead_letter(msg, exc)
                else:
                    position = max(position, envelope.position)
                    applied += 1
                seq = msg_seq
                done.append(msg)
            await self._track(conn, seq, position)
        self.applied += applied
        return done, retry

    async def _track(self, conn: asyncpg.Connection, seq: int, position: int) -> None:
        await conn.execute(
            "UPDATE projection_tracking SET stream_seq=$3, position=$4, updated_at=now() "
            "WHERE projection=$1 AND source=$2",
            self.projection.name,
            self.projection.source,
            seq,
            position,
        )

    async def _dead_letter(self, msg: Msg, exc: Exception) -> None:
        seq = msg.metadata.sequence.stream
        # The source's publish-time conditions (Nats-Expected-*, Nats-Msg-Id) would make
        # the dead letter's own publish fail or be dropped as a duplicate.
        headers = {
            k: v for k, v in (msg.headers or {}).items() if not k.lower().startswith("nats-")
        }
        headers[ERROR_HEADER] = f"{type(exc).__name__}: {exc}"[:1000]
        headers[SOURCE_STREAM_HEADER] = self.projection.source
        headers[SOURCE_SEQUENCE_HEADER] = str(seq)
        headers[MSG_ID] = f"{self.projection.name}:{self.projection.source}:{seq}"
        await self.js.publish(dead_letter_subject(self.projection.name), msg.data, headers=headers)
        self.dead_lettered += 1
        log.error("projection %s: seq %d dead-lettered: %r", self.projection.name, seq, exc)


async def lag(
    js: JetStreamContext, conn: asyncpg.Connection, projection: Projection
) -> dict[str, int]:
    info = await js.stream_info(projection.source)
    tracked = await read_tracking(conn, projection.name, projection.source)
    return {
        "stream_last_seq": info.state.last_seq,
        "applied_seq": tracked.stream_seq,
        "position": tracked.position,
        "lag": max(0, info.state.last_seq - tracked.stream_seq),
    }
