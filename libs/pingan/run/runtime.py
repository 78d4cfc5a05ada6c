"""One service's live connections: its event store, its view database and the bus."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import asyncpg
from nats.aio.client import Client
from nats.js import JetStreamContext

from pingan.bus.relay import OutboxRelay, RelayConfig
from pingan.bus.streams import connect, ensure_service_streams, stream_name
from pingan.consume.consistency import wait_for_position
from pingan.consume.views import Projection, ProjectionRunner, RunnerConfig, lag, setup_tracking
from pingan.run.clock import Clock, SystemClock
from pingan.run.jobs import JobRunner
from pingan.run.locks import lock_key
from pingan.run.postgres import PgTarget, ensure_database
from pingan.run.settings import Settings
from pingan.service import ServiceSpec
from pingan.write.eventstore import events_table, mapper_only_env, postgres_env

log = logging.getLogger(__name__)


class NotStarted(RuntimeError):
    pass


class ServiceRuntime:
    def __init__(self, spec: ServiceSpec, settings: Settings) -> None:
        self.spec = spec
        self.settings = settings
        self.server = PgTarget.from_url(settings.database_url)
        self.db = self.server.with_database(settings.database_prefix + spec.name)
        self.env = postgres_env(self.db, settings)
        self.projections: list[Projection] = [factory() for factory in spec.projections]
        self.clock: Clock = SystemClock(settings.timezone)
        self._pool: asyncpg.Pool | None = None
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._application: Any = None

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
    def js(self) -> JetStreamContext:
        if self._js is None:
            raise NotStarted(self.name)
        return self._js

    @property
    def application(self) -> Any:
        if self._application is None:
            raise NotStarted(self.name)
        return self._application

    async def start(self, *, with_application: bool = True) -> None:
        await ensure_database(self.server, self.db.database)
        self._pool = await self.db.create_pool(min_size=1, max_size=self.settings.db_pool_size)
        self._nc = await connect(self.settings.nats_url, f"pingan-{self.name}")
        self._js = self._nc.jetstream()
        await ensure_service_streams(
            self.js,
            self.name,
            duplicate_window_s=self.settings.stream_duplicate_window_s,
            replicas=self.settings.stream_replicas,
        )
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('pingan-projection-ddl'))")
            await setup_tracking(conn)
            for projection in self.projections:
                await projection.setup(conn)
        if with_application and self.spec.application is not None:
            self._application = await self._create_application(self.spec.application)

    async def _create_application(self, application: type[Any]) -> Any:
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
        if self._application is not None:
            await asyncio.to_thread(self._application.close)
            self._application = None
        if self._nc is not None:
            await self._nc.close()
            self._nc = self._js = None
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    def projection(self, name: str) -> Projection:
        for projection in self.projections:
            if projection.name == name:
                return projection
        raise KeyError(name)

    async def wait_for(
        self, projection: str, min_position: int | None, timeout_s: float | None
    ) -> None:
        if not min_position:
            return
        timeout = self.settings.consistency_timeout_s if timeout_s is None else timeout_s
        timeout = min(timeout, self.settings.consistency_max_timeout_s)
        await wait_for_position(self.pool, self.projection(projection), min_position, timeout)

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
        return OutboxRelay(config, self.db.connect, self.js, mapper, translate)

    def runners(self) -> list[ProjectionRunner]:
        config = RunnerConfig(
            batch_size=self.settings.projection_batch_size,
            fetch_timeout_s=self.settings.projection_fetch_timeout_s,
            ack_wait_s=self.settings.projection_ack_wait_s,
            max_deliver=self.settings.projection_max_deliver,
            lock_retry_s=self.settings.relay_lock_retry_s,
        )
        return [
            ProjectionRunner(p, self.pool, self.db.connect, self.js, config)
            for p in self.projections
        ]

    def job_runner(self) -> JobRunner | None:
        if not self.spec.jobs:
            return None
        jobs = [factory() for factory in self.spec.jobs]
        return JobRunner(self, jobs, self.settings.job_interval_s)

    async def readiness(self) -> dict[str, dict[str, Any]]:
        checks: dict[str, dict[str, Any]] = {}
        if self._application is not None:
            checks["event_store"] = await _check(self._event_store_position())
        checks["bus"] = await _check(self._bus())
        checks.update(await self.projection_lags())
        return checks

    async def projection_lags(self) -> dict[str, dict[str, Any]]:
        return {f"projection:{p.name}": await _check(self._lag(p)) for p in self.projections}

    async def _event_store_position(self) -> dict[str, Any]:
        position = await asyncio.to_thread(self.application.recorder.max_notification_id)
        return {"position": position or 0}

    async def _bus(self) -> dict[str, Any]:
        info = await self.js.stream_info(self.stream)
        return {"stream": self.stream, "last_seq": info.state.last_seq}

    async def _lag(self, projection: Projection) -> dict[str, Any]:
        async with self.pool.acquire() as conn:
            return await lag(self.js, conn, projection)


async def _check(probe: Any, timeout_s: float = 3.0) -> dict[str, Any]:
    try:
        detail = await asyncio.wait_for(probe, timeout_s)
    except Exception as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return {"ok": True, **detail}
