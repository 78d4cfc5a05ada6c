"""Read views: tables in PostgreSQL kept by one method per event, fed by the consumer core.

A view is declared once with all the streams it reads; each source is tracked on its own,
and a batch of events commits in one transaction with its tracking row, the acknowledgement
following the commit. A view carries a version: when its definition changes, the next start
drops its tables and rebuilds it from its streams. An event that keeps failing is
dead-lettered with its error after `max_deliver` deliveries, and the view goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar
from zoneinfo import ZoneInfo

import asyncpg
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from pydantic import BaseModel

from pingan.bus.envelope import Envelope, Header
from pingan.consume import tracking
from pingan.consume.core import Outcome, StaleTracking, seq_of
from pingan.consume.deadletters import dead_letter
from pingan.consume.rows import ViewWriter
from pingan.consume.tracking import Resolution, Tracked
from pingan.run.outage import outage_of
from pingan.run.settings import OFFICE_TIMEZONE

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
P = TypeVar("P", bound="Projection")
Handler = Callable[[Any, asyncpg.Connection, Any, Envelope], Awaitable[None]]


def handles(
    contract: type[M],
) -> Callable[
    [Callable[[P, asyncpg.Connection, M, Envelope], Awaitable[None]]],
    Callable[[P, asyncpg.Connection, M, Envelope], Awaitable[None]],
]:
    """Mark a view method as the handler of one contract's events."""

    def mark(
        method: Callable[[P, asyncpg.Connection, M, Envelope], Awaitable[None]],
    ) -> Callable[[P, asyncpg.Connection, M, Envelope], Awaitable[None]]:
        method.__handles__ = contract  # type: ignore[attr-defined]
        return method

    return mark


class _Unguarded(Exception):
    """An event failed in a batch applied without savepoints."""


class Projection:
    """A read view: its tables, one method per event it cares about, and its queries."""

    # The office's time zone, for facts that carry no business date; set by the runtime.
    zone: ZoneInfo = ZoneInfo(OFFICE_TIMEZONE)
    name: ClassVar[str]
    sources: ClassVar[tuple[str, ...]]
    version: ClassVar[int] = 1
    tables: ClassVar[tuple[str, ...]] = ()
    handlers: ClassVar[dict[str, tuple[type[BaseModel], Handler]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.handlers = {}
        for klass in reversed(cls.__mro__):
            for attr in vars(klass).values():
                contract = getattr(attr, "__handles__", None)
                if contract is not None:
                    cls.handlers[contract.event_type] = (contract, attr)

    async def setup(self, conn: asyncpg.Connection) -> None:
        """Create the view's tables if missing."""

    async def clear(self, conn: asyncpg.Connection) -> None:
        """Empty the view's tables, for a rebuild."""
        if self.tables:
            await conn.execute(f"TRUNCATE {', '.join(self.tables)}")

    async def drop(self, conn: asyncpg.Connection) -> None:
        """Remove the view's tables, for a rebuild under a changed definition."""
        for table in self.tables:
            await conn.execute(f"DROP TABLE IF EXISTS {table} CASCADE")

    async def apply(self, conn: ViewWriter, envelope: Envelope, data: bytes) -> None:
        entry = self.handlers.get(envelope.type)
        if entry is None:
            return
        contract, handler = entry
        await handler(self, conn, contract.model_validate_json(data), envelope)


async def update_row(
    conn: ViewWriter,
    table: str,
    ident: Any,
    env: Envelope,
    *,
    add: Mapping[str, int] | None = None,
    **columns: Any,
) -> None:
    """Change a view's row, stamping the time and position of the event that changed it."""
    values = {"updated_at": env.time, "position": env.position, **columns}
    await conn.update(table, ident, values, add=add)


async def setup_view(conn: asyncpg.Connection, view: Projection, *, rebuild: bool) -> None:
    """Bring the view's tables to its declared version, emptied when `rebuild`; one
    transaction, under the lock that serialises every view's DDL."""
    await conn.execute(tracking.DDL_LOCK)
    await tracking.setup_tracking(conn)
    stored = await tracking.stored_version(conn, view.name)
    # No stored version: a new database, or tables made before views were versioned, whose
    # rows no tracking row describes; either way they are made anew.
    changed = stored != view.version
    if changed:
        log.info("view %s: version %s -> %d, rebuilding", view.name, stored, view.version)
        await view.drop(conn)
    await view.setup(conn)
    if rebuild and not changed:
        await view.clear(conn)
    if rebuild or changed:
        await tracking.forget(conn, view.name)
    await tracking.store_version(conn, view.name, view.version)


def _position_of(msg: Msg) -> int:
    try:
        return int((msg.headers or {}).get(Header.POSITION, 0))
    except ValueError:
        return 0


class ViewSink:
    kind = "view"

    def __init__(
        self, view: Projection, pool: asyncpg.Pool, js: JetStreamContext, max_deliver: int
    ) -> None:
        self.view = view
        self.name = view.name
        self.sources: Sequence[str] = view.sources
        self.pool = pool
        self.js = js
        self.max_deliver = max_deliver
        self.dead_lettered = 0
        # Attempts per message, counted here: the bus's delivery count also grows for every
        # message redelivered behind a failing one, which were never tried.
        self._attempts: dict[tuple[str, int], int] = {}

    async def prepare(self, *, rebuild: bool) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            await setup_view(conn, self.view, rebuild=rebuild)

    async def tracked(self, source: str) -> Tracked:
        async with self.pool.acquire() as conn:
            return await tracking.read_tracking(conn, self.name, source)

    async def apply(self, source: str, msgs: Sequence[Msg]) -> Outcome:
        """Apply straight through in one transaction; only if an event fails, roll back and
        apply again with a savepoint per event, so that those before it still commit and it
        alone is retried or dead-lettered."""
        try:
            return await self._apply(source, msgs, guarded=False)
        except _Unguarded:
            return await self._apply(source, msgs, guarded=True)

    async def _apply(self, source: str, msgs: Sequence[Msg], *, guarded: bool) -> Outcome:
        failure: BaseException | None = None
        committed = 0
        async with self.pool.acquire() as conn, conn.transaction():
            tracked = await tracking.lock_tracking(conn, self.name, source)
            if tracked.stream_seq != seq_of(msgs[0]) - 1:
                raise StaleTracking(
                    f"{self.name} has {source} at seq {tracked.stream_seq}, "
                    f"not {seq_of(msgs[0]) - 1}"
                )
            position = tracked.position
            writer = ViewWriter(conn)
            for msg in msgs:
                try:
                    envelope = Envelope.from_headers(msg.headers)
                    if guarded:
                        async with conn.transaction():
                            await self.view.apply(writer, envelope, msg.data)
                            await writer.flush()
                    else:
                        await self.view.apply(writer, envelope, msg.data)
                except Exception as exc:
                    if not guarded:
                        raise _Unguarded from exc
                    writer.discard()
                    if outage_of(exc) is not None:
                        raise
                    key = (source, seq_of(msg))
                    self._attempts[key] = self._attempts.get(key, 0) + 1
                    if self._attempts[key] < self.max_deliver:
                        failure = exc
                        break
                    del self._attempts[key]
                    await dead_letter(self.js, self.name, source, msg, exc)
                    self.dead_lettered += 1
                    # The position passes a dead letter too: waiting for it would never end.
                    position = max(position, _position_of(msg))
                else:
                    position = max(position, envelope.position)
                committed += 1
            if not guarded:
                try:
                    await writer.flush()
                except Exception as exc:
                    raise _Unguarded from exc
            if committed:
                last = msgs[committed - 1].metadata.sequence.stream
                await tracking.write_tracking(conn, self.name, source, Tracked(last, position))
        return Outcome(committed, failure)

    async def skip(
        self, source: str, seq: int, headers: Mapping[str, str], resolution: Resolution
    ) -> None:
        raise NotImplementedError("a view never halts: it dead-letters and goes on")
