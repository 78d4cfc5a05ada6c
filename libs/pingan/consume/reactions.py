"""Reactions: a service deciding commands on its own application because of upstream events.

A reaction's new events and the upstream tracking record commit in one transaction of its
own event store (eventsourcing's process recorder and `Tracking`), so a redelivered or
replayed upstream event has no second effect, and a crash at any point loses none. Each
upstream is handled strictly in order; a batch commits as one transaction carrying the
last message's tracking. The events a reaction records carry the upstream event's `ce-id`
as causation and its correlation id. An event the reaction cannot apply halts that upstream
there: a reaction's skipped event would be a lost effect, so only an operator may skip one,
and the skip is recorded as an event with its reason.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

import asyncpg
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError, Tracking
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from pingan.bus.contracts import ConsumedEvent
from pingan.bus.envelope import Envelope, Header
from pingan.consume import tracking
from pingan.consume.core import Outcome, StaleTracking, seq_of
from pingan.consume.tracking import Resolution, Tracked
from pingan.run.outage import outage_of
from pingan.write.application import RecordNotFound, ServiceApplication
from pingan.write.metadata import EventMetadata, stamp

log = logging.getLogger(__name__)

AppT = TypeVar("AppT", bound=ServiceApplication)
C = TypeVar("C", bound=ConsumedEvent)
R = TypeVar("R", bound="Reaction[Any]")
K = TypeVar("K")
HandledApp = TypeVar("HandledApp", bound=ServiceApplication)
ReactionHandler = Callable[[Any, "Reacting[Any]", Any, Envelope], None]


def reacts_to(
    contract: type[C],
) -> Callable[
    [Callable[[R, Reacting[HandledApp], C, Envelope], None]],
    Callable[[R, Reacting[HandledApp], C, Envelope], None],
]:
    """Mark a reaction method as the handler of one upstream contract's events."""

    def mark(
        method: Callable[[R, Reacting[HandledApp], C, Envelope], None],
    ) -> Callable[[R, Reacting[HandledApp], C, Envelope], None]:
        method.__reacts_to__ = contract  # type: ignore[attr-defined]
        return method

    return mark


class Reacting(Generic[AppT]):
    """What a handler works with: the application, aggregates as this batch left them, and
    `changed(...)` to collect what it decided."""

    def __init__(self, app: AppT) -> None:
        self.app = app
        self._touched: dict[UUID, Aggregate] = {}
        self._events: list[Any] = []

    def get(self, aggregate_id: UUID, kind: type[K]) -> K:
        cached = self._touched.get(aggregate_id)
        if cached is not None:
            if not isinstance(cached, kind):
                raise RecordNotFound(kind, aggregate_id)
            return cached
        return self.app.get(aggregate_id, kind)

    def find(self, aggregate_id: UUID, kind: type[K]) -> K | None:
        try:
            return self.get(aggregate_id, kind)
        except RecordNotFound:
            return None

    def changed(self, *aggregates: Aggregate) -> None:
        for aggregate in aggregates:
            self._touched[aggregate.id] = aggregate
            self._events.extend(aggregate.collect_events())

    def _take(self) -> list[Any]:
        events, self._events = self._events, []
        return events


class Reaction(Generic[AppT]):
    """Subscribe to upstream streams; one method per upstream contract, decorated
    `@reacts_to(Contract)`, given a `Reacting` context, the event and its envelope."""

    name: ClassVar[str]
    sources: ClassVar[tuple[str, ...]]
    handlers: ClassVar[dict[str, tuple[type[ConsumedEvent], ReactionHandler]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.handlers = {}
        for klass in reversed(cls.__mro__):
            for attr in vars(klass).values():
                contract = getattr(attr, "__reacts_to__", None)
                if contract is not None:
                    cls.handlers[contract.event_type] = (contract, attr)

    def react(self, ctx: Reacting[AppT], envelope: Envelope, data: bytes) -> None:
        entry = self.handlers.get(envelope.type)
        if entry is not None:
            contract, handler = entry
            handler(self, ctx, contract.model_validate_json(data), envelope)


class UpstreamEventSkipped(Aggregate):
    """An operator passed over an upstream event that a reaction could not apply."""

    class Skipped(Aggregate.Created):
        reaction: str
        source: str
        stream_seq: int
        upstream_id: str
        upstream_type: str
        reason: str
        actor: str

    @event(Skipped)
    def __init__(
        self,
        reaction: str,
        source: str,
        stream_seq: int,
        upstream_id: str,
        upstream_type: str,
        reason: str,
        actor: str,
    ) -> None:
        self.reaction = reaction
        self.source = source
        self.stream_seq = stream_seq
        self.upstream_id = upstream_id
        self.upstream_type = upstream_type
        self.reason = reason
        self.actor = actor

    @staticmethod
    def create_id(reaction: str, source: str, stream_seq: int, **_: Any) -> UUID:
        return uuid5(NAMESPACE_URL, f"pingan:skip:{reaction}:{source}:{stream_seq}")


def upstream_name(reaction: str, source: str) -> str:
    """The tracking record's application name: per reaction and stream, since several
    reactions of one service may follow the same stream."""
    return f"{reaction}:{source}"


class ReactionSink(Generic[AppT]):
    kind = "reaction"

    def __init__(
        self, reaction: Reaction[AppT], app: AppT, pool: asyncpg.Pool, js: JetStreamContext
    ) -> None:
        self.reaction = reaction
        self.name = reaction.name
        self.sources: Sequence[str] = reaction.sources
        self.app = app
        self.pool = pool
        self.js = js

    async def prepare(self, *, rebuild: bool) -> None:
        if rebuild:
            raise ValueError("a reaction's effects are events; it cannot be rebuilt")

    async def tracked(self, source: str) -> Tracked:
        seq = await asyncio.to_thread(
            self.app.recorder.max_tracking_id, upstream_name(self.name, source)
        )
        async with self.pool.acquire() as conn:
            mirrored = await tracking.read_tracking(conn, self.name, source)
            if mirrored.stream_seq != (seq or 0):
                # The process died between its commit and the mirror's update. What it wrote
                # is not known here; the store's last position is never less.
                mirrored = Tracked(seq or 0, await self._position_at(source, seq or 0))
                stored = await asyncio.to_thread(self.app.recorder.max_notification_id)
                await tracking.write_tracking(conn, self.name, source, mirrored, stored or 0)
        return mirrored

    async def _position_at(self, source: str, seq: int) -> int:
        if not seq:
            return 0
        raw = await self.js.get_msg(source, seq=seq)
        return int((raw.headers or {}).get(Header.POSITION, 0))

    async def apply(self, source: str, msgs: Sequence[Msg]) -> Outcome:
        outcome, position, wrote = await asyncio.to_thread(self._apply, source, msgs)
        if outcome.committed:
            last = seq_of(msgs[outcome.committed - 1])
            async with self.pool.acquire() as conn:
                await tracking.write_tracking(
                    conn, self.name, source, Tracked(last, position), wrote
                )
        return outcome

    def _apply(self, source: str, msgs: Sequence[Msg]) -> tuple[Outcome, int, int | None]:
        ctx: Reacting[AppT] = Reacting(self.app)
        events: list[Any] = []
        applied = 0
        position = 0
        failure: BaseException | None = None
        for msg in msgs:
            try:
                envelope = Envelope.from_headers(msg.headers)
                self.reaction.react(ctx, envelope, msg.data)
            except Exception as exc:
                if outage_of(exc) is not None and not applied:
                    raise
                failure = exc  # what went before commits; an outage is retried, else halts
                break
            made = ctx._take()
            stamp(made, caused_by(envelope, self.name))
            events.extend(made)
            applied += 1
            position = envelope.position
        wrote = None
        if applied:
            last = seq_of(msgs[applied - 1])
            try:
                wrote = self._record(source, last, events)
            except IntegrityError as exc:
                recorded = self.app.recorder.max_tracking_id(upstream_name(self.name, source))
                if recorded is not None and recorded >= seq_of(msgs[0]):
                    raise StaleTracking(f"{self.name} has {source} at seq {recorded}") from exc
                # A command changed one of these aggregates meanwhile: decide the batch again.
                return Outcome(0, exc), 0, None
        halt = failure is not None and outage_of(failure) is None
        return Outcome(applied, failure, halt=halt), position, wrote

    def _record(self, source: str, seq: int, events: list[Any]) -> int | None:
        """Commit the events with the upstream tracking; the last position written, if any."""
        recordings = self.app.events.put(
            events, tracking=Tracking(upstream_name(self.name, source), seq)
        )
        return max((r.notification.id for r in recordings), default=None)

    async def skip(
        self, source: str, seq: int, headers: Mapping[str, str], resolution: Resolution
    ) -> None:
        skipped = UpstreamEventSkipped(
            reaction=self.name,
            source=source,
            stream_seq=seq,
            upstream_id=headers.get(Header.ID, ""),
            upstream_type=headers.get(Header.TYPE, ""),
            reason=resolution.reason,
            actor=resolution.actor,
        )
        events = list(skipped.collect_events())
        stamp(
            events,
            EventMetadata(
                correlation_id=headers.get(Header.CORRELATION_ID, ""),
                causation_id=headers.get(Header.ID, ""),
                actor=resolution.actor,
            ),
        )
        wrote = await asyncio.to_thread(self._record, source, seq, events)
        position = int(headers.get(Header.POSITION, 0))
        async with self.pool.acquire() as conn:
            await tracking.write_tracking(conn, self.name, source, Tracked(seq, position), wrote)


def caused_by(envelope: Envelope, reaction: str) -> EventMetadata:
    return EventMetadata(
        correlation_id=envelope.correlation_id or envelope.id,
        causation_id=envelope.id,
        actor=f"reaction:{reaction}",
    )
