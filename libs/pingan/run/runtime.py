"""One service's live connections: its event store, its view database and the bus."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

import asyncpg
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from pingan.api.times import use_office_zone
from pingan.bus.relay import OutboxRelay, RelayConfig
from pingan.bus.streams import Reconnections, connect, ensure_service_streams, stream_name
from pingan.consume import tracking
from pingan.consume.consistency import (
    PositionAhead,
    ReadAfter,
    StreamNotFollowed,
    UpstreamBehind,
    ViewBehind,
)
from pingan.consume.core import ConsumerRunner, RunnerConfig, Sink
from pingan.consume.progress import ProgressHub
from pingan.consume.reactions import Reaction, ReactionSink
from pingan.consume.views import Projection, ViewSink
from pingan.files.setup import open_file_store
from pingan.files.store import FileStore
from pingan.privacy.people import People
from pingan.privacy.setup import ensure_privacy_database, open_people
from pingan.run.clock import Clock, SystemClock
from pingan.run.credentials import identity_for
from pingan.run.jobs import JobRunner
from pingan.run.locks import lock_key
from pingan.run.postgres import PgTarget, QueryLimits, ensure_database
from pingan.run.settings import Settings
from pingan.service import ServiceSpec
from pingan.write.application import ServiceApplication
from pingan.write.eventstore import events_table, mapper_only_env, postgres_env

log = logging.getLogger(__name__)

AppT = TypeVar("AppT", bound=ServiceApplication)


class NotStarted(RuntimeError):
    pass


class ServiceRuntime(Generic[AppT]):
    def __init__(self, spec: ServiceSpec[AppT], settings: Settings) -> None:
        self.spec = spec
        self.settings = settings
        self.server = PgTarget.from_url(settings.database_url)
        self.db = self.server.with_database(settings.database_prefix + spec.name)
        self.env = postgres_env(self.db, settings)
        self.views: list[Projection] = [factory() for factory in spec.views]
        for view in self.views:
            view.zone = ZoneInfo(settings.timezone)
        self.reactions: list[Reaction[AppT]] = [factory() for factory in spec.reactions]
        self.clock: Clock = SystemClock(settings.timezone)
        use_office_zone(settings.timezone)
        self._pool: asyncpg.Pool | None = None
        self.reconnections = Reconnections()
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._application: AppT | None = None
        self._hub: ProgressHub | None = None
        self._people: People | None = None
        self._files: FileStore | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def stream(self) -> str:
        return stream_name(self.spec.name)

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise NotStarted(self.name)
        return self._pool

    @property
    def hub(self) -> ProgressHub:
        """What each consumer has reached, for read-your-writes waits."""
        if self._hub is None:
            raise NotStarted(self.name)
        return self._hub

    @property
    def js(self) -> JetStreamContext:
        if self._js is None:
            raise NotStarted(self.name)
        return self._js

    @property
    def people(self) -> People:
        """The registry of personal data (pingan.privacy), shared by every service."""
        if self._people is None:
            raise NotStarted(self.name)
        return self._people

    @property
    def files(self) -> FileStore:
        """The service's file store (pingan.files), when its spec keeps files."""
        if self._files is None:
            raise NotStarted(self.name)
        return self._files

    @property
    def application(self) -> AppT:
        if self._application is None:
            raise NotStarted(self.name)
        return self._application

    async def start(self, *, with_application: bool = True) -> None:
        await ensure_database(self.server, self.db.database)
        self._pool = await self.db.create_pool(
            min_size=1, max_size=self.settings.db_pool_size, limits=QueryLimits.of(self.settings)
        )
        identity = identity_for(self.settings, self.name)
        self._nc = await connect(
            self.settings.nats_url, f"pingan-{self.name}", self.reconnections, identity
        )
        self._js = self._nc.jetstream()
        await ensure_service_streams(
            self.js,
            self.name,
            duplicate_window_s=self.settings.stream_duplicate_window_s,
            replicas=self.settings.stream_replicas,
        )
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(tracking.DDL_LOCK)
            await tracking.setup_tracking(conn)
            for view in self.views:
                # Only what is missing: dropping a view of another version is for its
                # runner, under the runner's lock.
                await view.setup(conn)
        self._hub = ProgressHub(
            self.db.connect,
            max_waiters=self.settings.consistency_max_waiters,
            retry_s=self.settings.consistency_listen_retry_s,
            events_table=events_table(self.spec.application) if self.spec.application else None,
        )
        self._hub.start()
        await ensure_privacy_database(self.settings)
        self._people = await asyncio.to_thread(open_people, self.settings)
        if self.spec.files:
            self._files = await asyncio.to_thread(open_file_store, self.settings, self.name)
        if with_application and self.spec.application is not None:
            self._application = await self._create_application(self.spec.application)
            self._application.people = self._people
            self._application.stream = self.stream
            if self._files is not None:
                self._application.files = self._files

    async def _create_application(self, application: type[AppT]) -> AppT:
        """Build the eventsourcing application, which creates its tables if missing; under a
        lock, since its CREATE ... IF NOT EXISTS races when several processes start at once."""
        conn = await self.db.connect()
        try:
            await conn.execute(
                "SELECT pg_advisory_lock($1)", lock_key(f"pingan-schema:{self.name}")
            )
            return await asyncio.to_thread(application, env=self.env)
        finally:
            await conn.close()

    async def stop(self) -> None:
        if self._hub is not None:
            await self._hub.stop()
            self._hub = None
        if self._application is not None:
            await asyncio.to_thread(self._application.close)
            self._application = None
        if self._people is not None:
            await asyncio.to_thread(self._people.close)
            self._people = None
        if self._files is not None:
            await asyncio.to_thread(self._files.close)
            self._files = None
        if self._nc is not None:
            await self._nc.close()
            self._nc = self._js = None
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    def view(self, name: str) -> Projection:
        for view in self.views:
            if view.name == name:
                return view
        raise KeyError(name)

    async def wait_for(
        self,
        consumer: str,
        min_position: int | None,
        timeout_s: float | None,
        *,
        source: str | None = None,
        after: Sequence[ReadAfter] = (),
    ) -> None:
        """Wait until `consumer` (a view or a reaction of this service) has processed
        `min_position` of `source` (by default this service's own stream), and every `after`
        token is met (see `pingan.consume.consistency`), all within one time-out."""
        timeout = self.settings.consistency_timeout_s if timeout_s is None else timeout_s
        timeout = min(timeout, self.settings.consistency_max_timeout_s)
        if after:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            own = await self._wait_after(consumer, after, deadline)
            await self._wait_one(consumer, own, max(0.0, deadline - loop.time()), self.stream)
            timeout = max(0.0, deadline - loop.time())
        await self._wait_one(consumer, min_position, timeout, source or self.stream)

    def followed(self, consumer: str) -> list[str]:
        """The streams an `after` token of a query of `consumer` may name."""
        streams = {self.stream, *self._sources_of(consumer)}
        streams.update(source for reaction in self.reactions for source in reaction.sources)
        return sorted(streams)

    def _sources_of(self, consumer: str) -> Sequence[str]:
        for view in self.views:
            if view.name == consumer:
                return view.sources
        return ()

    async def _wait_after(self, consumer: str, after: Sequence[ReadAfter], deadline: float) -> int:
        """Wait for each token's upstream; the position of this service's own stream the
        view must then reach."""
        followed = self.followed(consumer)
        for token in after:
            if token.stream not in followed:
                raise StreamNotFollowed(token.stream, followed)
        loop = asyncio.get_running_loop()
        own = 0
        for token in after:
            if token.stream == self.stream:
                own = max(own, token.position)
            elif token.stream in self._sources_of(consumer):
                await self._wait_one(
                    consumer, token.position, max(0.0, deadline - loop.time()), token.stream
                )
            # A reaction to this service's own stream (campaigns' warning watch) is waited
            # for too: what it decided on the token's event is what the reader asks for.
            for reaction in self.reactions:
                if token.stream not in reaction.sources:
                    continue
                try:
                    await self.hub.wait(
                        reaction.name,
                        token.stream,
                        token.position,
                        max(0.0, deadline - loop.time()),
                    )
                except ViewBehind as behind:
                    raise UpstreamBehind(
                        reaction.name, token, behind.reached, behind.waited_s
                    ) from None
                wrote = self.hub.wrote(reaction.name, token.stream)
                own = max(own, await self._store_end() if wrote is None else wrote)
        return own

    async def _store_end(self) -> int:
        """The last position of this service's event store (for a reaction whose tracking
        predates `wrote`: never less than what it wrote)."""
        if self._application is None:
            raise NotStarted(self.name)
        end = await asyncio.to_thread(self._application.recorder.max_notification_id)
        return end or 0

    async def _wait_one(
        self, consumer: str, min_position: int | None, within_s: float, source: str
    ) -> None:
        if not min_position:
            return
        if self.hub.reached(consumer, source) >= min_position:
            return
        if source == self.stream and self._application is not None:
            written = await self.hub.written(min_position)
            if written is None:  # the hub is reconnecting: ask the event store itself
                written = await asyncio.to_thread(self._application.recorder.max_notification_id)
            if min_position > (written or 0):
                raise PositionAhead(min_position, written or 0)
        await self.hub.wait(consumer, source, min_position, within_s)

    def relay(self) -> OutboxRelay:
        application, translate = self.spec.application, self.spec.translate
        if application is None or translate is None:
            raise LookupError(f"service {self.name} publishes no events")
        mapper = application(env=mapper_only_env(self.env)).mapper
        config = RelayConfig(
            service=self.name,
            stream=self.stream,
            events_table=events_table(application),
            batch_size=self.settings.relay_batch_size,
            poll_interval_s=self.settings.relay_poll_interval_s,
            publish_timeout_s=self.settings.relay_publish_timeout_s,
            lock_retry_s=self.settings.relay_lock_retry_s,
        )
        return OutboxRelay(config, self.db.connect, self.js, mapper, translate, self.reconnections)

    def _runner(self, sink: Sink) -> ConsumerRunner:
        config = RunnerConfig(
            batch_size=self.settings.projection_batch_size,
            fetch_timeout_s=self.settings.projection_fetch_timeout_s,
            ack_wait_s=self.settings.projection_ack_wait_s,
            lock_retry_s=self.settings.relay_lock_retry_s,
        )
        return ConsumerRunner(self.name, sink, self.pool, self.db.connect, self.js, config)

    def runners(self) -> list[ConsumerRunner]:
        """A runner for each read view."""
        return [self.view_runner(v.name) for v in self.views]

    def view_runner(self, name: str) -> ConsumerRunner:
        view = self.view(name)
        sink = ViewSink(view, self.pool, self.js, self.settings.projection_max_deliver)
        return self._runner(sink)

    def reactors(self) -> list[ConsumerRunner]:
        """A runner for each reaction (the application must be started)."""
        return [
            self._runner(ReactionSink(r, self.application, self.pool, self.js))
            for r in self.reactions
        ]

    def job_runner(self) -> JobRunner[AppT] | None:
        if not self.spec.jobs:
            return None
        jobs = [factory() for factory in self.spec.jobs]
        return JobRunner(self, jobs, self.settings.job_interval_s)

    async def readiness(self) -> dict[str, dict[str, Any]]:
        """Every check at once, each given the readiness budget: a database or bus that does
        not answer makes its checks not ok, never the probe slow."""
        budget_s = self.settings.readyz_budget_s
        own: dict[str, Awaitable[dict[str, Any]]] = {}
        if self._application is not None:
            own["event_store"] = self._event_store_position()
        own["bus"] = self._bus()
        results, lags = await asyncio.gather(
            asyncio.gather(*(_check(probe, budget_s) for probe in own.values())),
            self.consumer_lags(budget_s),
        )
        return {**dict(zip(own, results, strict=True)), **lags}

    async def consumer_lags(self, timeout_s: float = 3.0) -> dict[str, dict[str, Any]]:
        """Each view's and reaction's position and lag in each source, and any halt: one
        query for every consumer's progress, one stream look-up per stream read."""
        consumers = [("view", v.name, v.sources) for v in self.views]
        consumers += [("reaction", r.name, r.sources) for r in self.reactions]
        streams = sorted({source for _, _, sources in consumers for source in sources})
        progress, *found = await asyncio.gather(
            _check(self._progress(), timeout_s),
            *(_check(self._stream_end(stream), timeout_s) for stream in streams),
        )
        ends = dict(zip(streams, found, strict=True))
        return {
            f"{kind}:{name}": _lag(name, sources, ends, progress)
            for kind, name, sources in consumers
        }

    async def _event_store_position(self) -> dict[str, Any]:
        position = await asyncio.to_thread(self.application.recorder.max_notification_id)
        return {"position": position or 0}

    async def _bus(self) -> dict[str, Any]:
        info = await self.js.stream_info(self.stream)
        return {"stream": self.stream, "last_seq": info.state.last_seq}

    async def _stream_end(self, stream: str) -> dict[str, Any]:
        try:
            info = await self.js.stream_info(stream)
        except NotFoundError:
            # Another service's stream before that service first starts: nothing to lag behind.
            return {"last_seq": 0}
        return {"last_seq": info.state.last_seq}

    async def _progress(self) -> dict[str, Any]:
        async with self.pool.acquire() as conn:
            return {"rows": await tracking.all_progress(conn)}


async def _check(probe: Awaitable[dict[str, Any]], timeout_s: float = 3.0) -> dict[str, Any]:
    # Not wait_for, which waits out the cancelled probe's clean-up (an asyncpg connection
    # to a frozen server takes its whole command time-out to let go).
    task = asyncio.ensure_future(probe)
    done, _ = await asyncio.wait({task}, timeout=timeout_s)
    if not done:
        task.cancel()
        _abandoned.add(task)
        task.add_done_callback(_forget)
        return {"ok": False, "error": f"timed out after {timeout_s:g} s"}
    try:
        detail = task.result()
    except Exception as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return {"ok": True, **detail}


_abandoned: set[asyncio.Future[dict[str, Any]]] = set()


def _forget(task: asyncio.Future[dict[str, Any]]) -> None:
    _abandoned.discard(task)
    if not task.cancelled():
        task.exception()


def _lag(
    consumer: str,
    sources: Sequence[str],
    ends: dict[str, dict[str, Any]],
    progress: dict[str, Any],
) -> dict[str, Any]:
    if not progress["ok"]:
        return {"ok": False, "error": progress["error"]}
    seen_by_source = {p.source: p for p in progress["rows"] if p.consumer == consumer}
    per_source: dict[str, Any] = {}
    errors: list[str] = []
    for source in sources:
        end = ends[source]
        if not end["ok"]:
            errors.append(f"{source}: {end['error']}")
            continue
        seen = seen_by_source.get(source)
        applied = seen.stream_seq if seen else 0
        entry: dict[str, Any] = {
            "stream_last_seq": end["last_seq"],
            "applied_seq": applied,
            "position": seen.position if seen else 0,
            "lag": max(0, end["last_seq"] - applied),
        }
        if seen is not None and seen.halted_seq is not None:
            entry["halted_seq"] = seen.halted_seq
            entry["error"] = seen.error
            errors.append(f"halted at {source} seq {seen.halted_seq}: {seen.error}")
        per_source[source] = entry
    if errors:
        return {"ok": False, "error": "; ".join(errors), "sources": per_source}
    return {"ok": True, "sources": per_source}
