"""The durable-consumer core: what every consumer of a stream needs, whatever it feeds.

One active runner per consumer (an advisory lock on a connection of its own, standbys
waiting); per source stream a durable pull consumer, (re)set just past the tracked sequence
at every start, so that what a killed predecessor fetched but never committed is delivered at
once; fetch, hand the sink only the contiguous new messages (at or below the tracked sequence
is acknowledged unseen, a gap is refused), acknowledge what the sink committed, redeliver the
rest with backoff. A sink that halts on an event stops that source there until an operator
resolves it (`pingan reaction retry|skip`). Views and reactions are the two sinks.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import asyncpg
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from pingan.consume import tracking
from pingan.consume.tracking import Resolution, Tracked
from pingan.run.locks import holding_lock
from pingan.run.pause import pause
from pingan.run.restart import keep_running

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunnerConfig:
    batch_size: int = 256
    fetch_timeout_s: float = 1.0
    ack_wait_s: float = 30.0
    lock_retry_s: float = 2.0
    resolution_poll_s: float = 1.0


@dataclass(frozen=True)
class Outcome:
    """What a sink made of a batch: the first `committed` messages are in, and if `failure`
    is set the next one failed; `halt` says the source must stop there."""

    committed: int
    failure: BaseException | None = None
    halt: bool = False


class StaleTracking(RuntimeError):
    """The sink's committed position is not where the runner thought (another runner, or a
    commit the runner did not see finish, moved it): start that source again from the truth."""


def seq_of(msg: Msg) -> int:
    return int(msg.metadata.sequence.stream)


class Sink(Protocol):
    kind: str
    name: str
    sources: Sequence[str]

    async def prepare(self, *, rebuild: bool) -> None:
        """Under the runner's lock, before anything is fetched: tables, versions, rebuilds."""

    async def tracked(self, source: str) -> Tracked:
        """The last stream sequence (and upstream position) committed from `source`."""

    async def apply(self, source: str, msgs: Sequence[Msg]) -> Outcome:
        """Commit the messages, which directly follow the tracked sequence, in order."""

    async def skip(
        self, source: str, seq: int, headers: Mapping[str, str], resolution: Resolution
    ) -> None:
        """Pass over the halted message for good, recording who did so and why."""


class ConsumerRunner:
    def __init__(
        self,
        service: str,
        sink: Sink,
        pool: asyncpg.Pool,
        connect: Callable[[], Awaitable[asyncpg.Connection]],
        js: JetStreamContext,
        config: RunnerConfig,
    ) -> None:
        self.service = service
        self.sink = sink
        self.pool = pool
        self.connect = connect
        self.js = js
        self.config = config
        self.label = f"{sink.kind} {sink.name}"
        self.applied = 0
        self.idle_fetches = 0
        self.resets = 0
        self.lock_sessions = 0
        self._rebuild_pending = False
        self._serial = asyncio.Lock()
        self._seq: dict[str, int] = {}
        self._halted_headers: dict[str, dict[str, str]] = {}
        self._recorded_halts: dict[str, int] = {}

    @property
    def durable(self) -> str:
        """Per service: two services may each have a view or reaction of the same name."""
        return f"{self.service}_{self.sink.kind}_{self.sink.name}"

    async def run(self, stop: asyncio.Event, *, rebuild: bool = False) -> None:
        """Consume until `stop` is set, riding out outages; with `rebuild`, the sink first
        starts over (once this runner holds the lock, so never under another active runner)."""
        self._rebuild_pending = rebuild
        await keep_running(
            self.label, lambda: self._run_locked(stop), stop, self.config.lock_retry_s
        )

    async def _run_locked(self, stop: asyncio.Event) -> None:
        name = f"pingan-{self.service}-{self.sink.kind}:{self.sink.name}"
        async with holding_lock(self.connect, name, self.config.lock_retry_s, stop) as lock:
            if lock is None:
                return
            self.lock_sessions += 1
            await self.sink.prepare(rebuild=self._rebuild_pending)
            if self._rebuild_pending:
                log.info("%s: emptied for a rebuild", self.label)
                self._rebuild_pending = False
            await _all_or_none([self._follow(source, stop, lock) for source in self.sink.sources])

    async def _follow(self, source: str, stop: asyncio.Event, lock: asyncpg.Connection) -> None:
        if not await self._await_stream(source, stop):
            return
        psub = await self._reset(source)
        try:
            while not stop.is_set():
                if lock.is_closed():
                    raise ConnectionError("lost the connection that holds the lock")
                try:
                    msgs: list[Msg] = await psub.fetch(
                        self.config.batch_size, timeout=self.config.fetch_timeout_s
                    )
                except (TimeoutError, NatsTimeoutError):
                    # nats-py raises either when nothing is there; on 3.11 the builtin one is
                    # an OSError, which must not pass for an outage.
                    self.idle_fetches += 1
                    continue
                try:
                    stepped = await self.step(source, msgs)
                except StaleTracking as exc:
                    log.warning("%s: %s; starting %s again", self.label, exc, source)
                    stepped = "stale"
                if stepped == "halted" and not await self._await_resolution(source, stop):
                    return
                if stepped in ("halted", "stale"):
                    await psub.unsubscribe()
                    psub = await self._reset(source)
        finally:
            await psub.unsubscribe()

    async def step(self, source: str, msgs: list[Msg]) -> str:
        """Hand one fetched batch to the sink; answer "ok", "retry", "gap" or "halted"."""
        seq = self._seq[source]
        # nats-py parses a message's metadata anew on every access: once per message here.
        numbered = sorted(((seq_of(m), m) for m in msgs), key=lambda pair: pair[0])
        fresh = [m for n, m in numbered if n > seq]
        seen = [m for n, m in numbered if n <= seq]
        if fresh and seq_of(fresh[0]) != seq + 1:
            log.warning("%s: gap in %s after seq %d; redelivering", self.label, source, seq)
            await _ack_upto(seen)
            for msg in fresh:
                await msg.nak()
            await asyncio.sleep(self.config.fetch_timeout_s)
            return "gap"
        async with self._serial:
            outcome = await self.sink.apply(source, fresh) if fresh else Outcome(0)
        done = fresh[: outcome.committed]
        if done:
            self._seq[source] = seq_of(done[-1])
            self.applied += len(done)
            if self._recorded_halts.get(source, self._seq[source] + 1) <= self._seq[source]:
                del self._recorded_halts[source]
                async with self.pool.acquire() as conn:
                    await tracking.clear_halt_upto(conn, self.sink.name, source, self._seq[source])
        await _ack_upto(seen + done)
        if outcome.failure is None:
            return "ok"
        failed = fresh[outcome.committed]
        failed_seq = seq_of(failed)
        if outcome.halt:
            self._halted_headers[source] = dict(failed.headers or {})
            error = f"{type(outcome.failure).__name__}: {outcome.failure}"
            async with self.pool.acquire() as conn:
                await tracking.halt(conn, self.sink.name, source, failed_seq, error)
            log.error(
                "%s: halted at %s seq %d: %s; resolve with `pingan reaction retry|skip`",
                self.label,
                source,
                failed_seq,
                error,
            )
            return "halted"
        log.warning(
            "%s: %s seq %d failed (%r); will retry", self.label, source, failed_seq, outcome.failure
        )
        # Redelivered at once, the backoff waited out here: with the server delaying the
        # redelivery instead, a runner was seen to stall until the ack wait.
        for msg in fresh[outcome.committed :]:
            await msg.nak()
        await asyncio.sleep(min(2.0, 0.05 * 2 ** (failed.metadata.num_delivered or 1)))
        return "retry"

    async def _await_resolution(self, source: str, stop: asyncio.Event) -> bool:
        """Wait for an operator's retry or skip; False when stopped first."""
        while not stop.is_set():
            async with self.pool.acquire() as conn:
                resolution = await tracking.pending_resolution(conn, self.sink.name, source)
            if resolution is not None:
                if resolution.action == "skip":
                    seq = self._seq[source] + 1
                    headers = self._halted_headers.pop(source)
                    await self.sink.skip(source, seq, headers, resolution)
                async with self.pool.acquire() as conn:
                    await tracking.clear_halt(conn, self.sink.name, source)
                log.info(
                    "%s: %s by %s at %s seq %d (%s)",
                    self.label,
                    resolution.action,
                    resolution.actor,
                    source,
                    self._seq[source] + 1,
                    resolution.reason,
                )
                return True
            await pause(stop, self.config.resolution_poll_s)
        return False

    async def _await_stream(self, source: str, stop: asyncio.Event) -> bool:
        """Wait until the source stream exists: another service's stream appears when that
        service first starts, and a view's other sources must not wait for it."""
        while not stop.is_set():
            try:
                await self.js.stream_info(source)
            except NotFoundError:
                await pause(stop, self.config.lock_retry_s)
            else:
                return True
        return False

    async def _reset(self, source: str) -> JetStreamContext.PullSubscription:
        tracked = await self.sink.tracked(source)
        self._seq[source] = tracked.stream_seq
        async with self.pool.acquire() as conn:
            # A halt the sink has since passed (a skip committed just before a crash) goes;
            # one still ahead is cleared once the sink gets past it.
            await tracking.clear_halt_upto(conn, self.sink.name, source, tracked.stream_seq)
            for progress in await tracking.progress_of(conn, self.sink.name):
                if progress.source == source and progress.halted_seq is not None:
                    self._recorded_halts[source] = progress.halted_seq
        try:
            await self.js.delete_consumer(source, self.durable)
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
            source,
            ConsumerConfig(
                durable_name=self.durable,
                # Acknowledging a batch's last message acknowledges the batch: one ack, not N.
                ack_policy=AckPolicy.ALL,
                ack_wait=self.config.ack_wait_s,
                max_deliver=-1,
                max_ack_pending=max(1000, self.config.batch_size * 4),
                **start,
            ),
        )
        self.resets += 1
        return await self.js.pull_subscribe_bind(durable=self.durable, stream=source)


async def _ack_upto(msgs: Sequence[Msg]) -> None:
    """Acknowledge every message up to the last of `msgs`, which come in stream order (the
    consumer acknowledges all before the one acknowledged)."""
    if msgs:
        await msgs[-1].ack()


async def _all_or_none(work: Sequence[Awaitable[None]]) -> None:
    """Run all; when one fails, cancel the others and raise its error."""
    tasks = [asyncio.ensure_future(w) for w in work]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            task.result()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
