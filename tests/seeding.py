"""Fill a service's event store and read back its stream, for tests that need volume."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from hazards.application import HazardsApplication
from hazards.domain.hazard import Hazard
from hazards.domain.vocabulary import Category, Grade
from pingan.bus.envelope import Header
from pingan.run.postgres import PgTarget, ensure_database
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.write.eventstore import postgres_env
from pingan.write.metadata import EventMetadata, stamp


async def eventually(
    condition: Callable[[], Awaitable[Any]], timeout_s: float = 30.0, what: str = "condition"
) -> Any:
    """Await `condition` until it returns something truthy, or fail after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    delay = 0.01
    while True:
        value = await condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        await asyncio.sleep(delay)
        delay = min(delay * 1.5, 0.2)


def _seed(settings: Settings, reports: int, filings: int, chunk: int) -> int:
    db = PgTarget.from_url(settings.database_url).with_database(
        settings.database_prefix + "hazards"
    )
    app = HazardsApplication(env=postgres_env(db, settings))
    try:
        hazards: list[Hazard] = []
        for start in range(0, reports, chunk):
            batch = [
                Hazard(
                    title=f"hazard {i}",
                    category=Category.FIRE.value,
                    source="inspection",
                    township=f"township {i % 7}",
                    village=f"village {i % 13}",
                    address=f"address {i}",
                    reporter="seed",
                )
                for i in range(start, min(reports, start + chunk))
            ]
            _save(app, batch)
            hazards += batch
        for start in range(0, filings, chunk):
            batch = hazards[start : min(filings, start + chunk)]
            for n, hazard in enumerate(batch, start):
                hazard.file(
                    Category.FIRE,
                    Grade.MAJOR if n % 2 else Grade.GENERAL,
                    f"QZ-{n:05d}",
                    3,
                    n % 5 + 1,
                    determination_basis="《重大事故隐患判定标准》",
                )
            _save(app, batch)
        return int(app.recorder.max_notification_id() or 0)
    finally:
        app.close()


def _save(app: HazardsApplication, aggregates: list[Hazard]) -> None:
    events = [e for a in aggregates for e in a.collect_events()]
    stamp(events, EventMetadata.new("seed"))
    app.save(*events)


async def seed_hazards(settings: Settings, reports: int, filings: int = 0, chunk: int = 200) -> int:
    """Store `reports` reported hazards and file the first `filings`; return the last position."""
    server = PgTarget.from_url(settings.database_url)
    await ensure_database(server, settings.database_prefix + "hazards")
    return await asyncio.to_thread(_seed, settings, reports, filings, chunk)


async def stream_last_seq(js: JetStreamContext, stream: str) -> int:
    info = await js.stream_info(stream)
    return int(info.state.last_seq)


async def relay_until(runtime: ServiceRuntime[Any], count: int) -> None:
    """Run the service's relay until its stream holds `count` messages, then stop it."""
    stop = asyncio.Event()
    relay = asyncio.create_task(runtime.relay().run(stop))

    async def published() -> bool:
        return await stream_last_seq(runtime.js, runtime.stream) >= count

    try:
        await eventually(published, timeout_s=60, what=f"the relay to publish {count}")
    finally:
        stop.set()
        await relay


async def stream_positions(js: JetStreamContext, stream: str) -> list[int]:
    """Every message's ce-position, in stream order."""
    total = await stream_last_seq(js, stream)
    psub = await js.pull_subscribe(
        f"{stream.lower()}.>",
        stream=stream,
        config=ConsumerConfig(ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL),
    )
    positions: list[int] = []
    try:
        while len(positions) < total:
            for msg in await psub.fetch(min(1000, total - len(positions)), timeout=5):
                positions.append(int((msg.headers or {})[Header.POSITION]))
    finally:
        await psub.unsubscribe()
    return positions


def _seed_overdue(settings: Settings, count: int, deadline: date) -> list[UUID]:
    db = PgTarget.from_url(settings.database_url).with_database(
        settings.database_prefix + "hazards"
    )
    app = HazardsApplication(env=postgres_env(db, settings))
    planned_on = deadline - timedelta(days=10)
    ids: list[UUID] = []
    try:
        for start in range(0, count, 100):
            batch = []
            for i in range(start, min(count, start + 100)):
                hazard = Hazard(
                    title=f"overdue {i}",
                    category=Category.FIRE.value,
                    source="inspection",
                    township=f"township {i % 3}",
                    village="v",
                    address=f"a {i}",
                    reporter="seed",
                )
                hazard.file(Category.FIRE, Grade.GENERAL, f"OD-{i:04d}", 2, 2)
                hazard.plan("fix it", deadline, planned_on)
                batch.append(hazard)
            _save(app, batch)
            ids += [h.id for h in batch]
        return ids
    finally:
        app.close()


async def seed_overdue_hazards(settings: Settings, count: int, deadline: date) -> list[UUID]:
    """Store `count` planned hazards whose deadline is `deadline`; return their ids."""
    server = PgTarget.from_url(settings.database_url)
    await ensure_database(server, settings.database_prefix + "hazards")
    return await asyncio.to_thread(_seed_overdue, settings, count, deadline)
