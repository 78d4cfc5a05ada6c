"""The projection runner on a real stream and database: redelivery and dead letters."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import ClassVar

import asyncpg
import pytest

from hazards.application import HazardsApplication
from pingan.bus.contracts import IntegrationEvent
from pingan.bus.envelope import EXPECTED_LAST_SEQUENCE, MSG_ID, Envelope
from pingan.bus.streams import DEAD_LETTER_STREAM, dead_letter_subject, ensure_stream
from pingan.consume.core import ConsumerRunner, RunnerConfig, StaleTracking
from pingan.consume.deadletters import ERROR_HEADER
from pingan.consume.tracking import read_tracking
from pingan.consume.views import Projection, ViewSink, handles
from pingan.run.embedded import EmbeddedNats
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.conftest import as_tester
from tests.seeding import eventually, relay_until, seed_hazards


@pytest.fixture
def settings(settings: Settings, nats_server: EmbeddedNats) -> Settings:
    """These tests run consumers and replays no service declares."""
    return as_tester(settings, nats_server)


class Noted(IntegrationEvent):
    event_type: ClassVar[str] = "pingan.tests.note.noted.v1"
    subject: ClassVar[str] = "tests.note.noted"
    text: str


class Notes(Projection):
    name = "notes"
    sources = ("TESTS",)
    tables = ("notes",)
    failed_once: ClassVar[set[str]] = set()

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS notes (position bigint PRIMARY KEY, text text)"
        )

    @handles(Noted)
    async def noted(self, conn: asyncpg.Connection, e: Noted, env: Envelope) -> None:
        if e.text == "poison":
            raise ValueError("this note cannot be applied")
        if e.text.startswith("flaky") and e.text not in self.failed_once:
            self.failed_once.add(e.text)
            raise ValueError("this note fails on its first try")
        await conn.execute("INSERT INTO notes VALUES ($1, $2)", env.position, e.text)


async def publish_note(
    runtime: ServiceRuntime[HazardsApplication], position: int, text: str
) -> None:
    envelope = Envelope(
        id=f"tests:{position}",
        source="/tests",
        type=Noted.event_type,
        subject="note",
        time=datetime.now(UTC),
        position=position,
        correlation_id="c",
        causation_id="c",
        actor="t",
    )
    # as the relay publishes: with a message id and the sequence it expects to follow
    headers = {
        **envelope.to_headers(),
        MSG_ID: envelope.id,
        EXPECTED_LAST_SEQUENCE: str(position - 1),
    }
    await runtime.js.publish(
        Noted.subject, Noted(text=text).model_dump_json().encode(), headers=headers
    )


async def tracked_seq(runtime: ServiceRuntime[HazardsApplication], projection: Projection) -> int:
    async with runtime.pool.acquire() as conn:
        return (await read_tracking(conn, projection.name, projection.sources[0])).stream_seq


async def test_a_poison_message_is_dead_lettered_and_later_ones_still_apply(
    hazards: ServiceRuntime[HazardsApplication],
) -> None:
    await ensure_stream(hazards.js, "TESTS", ["tests.>"], duplicate_window_s=60)
    for position, text in enumerate(["first", "poison", "third"], start=1):
        await publish_note(hazards, position, text)
    projection = Notes()
    sink = ViewSink(projection, hazards.pool, hazards.js, max_deliver=3)
    runner = ConsumerRunner(
        "hazards",
        sink,
        hazards.pool,
        hazards.db.connect,
        hazards.js,
        RunnerConfig(fetch_timeout_s=0.2),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    try:
        await eventually(
            lambda: _reached(hazards, projection, 3), what="the runner to pass the poison"
        )
    finally:
        stop.set()
        await task

    async with hazards.pool.acquire() as conn:
        rows = await conn.fetch("SELECT position, text FROM notes ORDER BY position")
    dead = await hazards.js.get_last_msg(DEAD_LETTER_STREAM, dead_letter_subject("notes"))

    assert [(r["position"], r["text"]) for r in rows] == [(1, "first"), (3, "third")]
    assert dead.headers is not None
    assert "this note cannot be applied" in dead.headers[ERROR_HEADER]
    assert dead.headers["Pingan-Source-Sequence"] == "2"
    assert dead.headers["ce-position"] == "2"
    assert sink.dead_lettered == 1


async def _reached(
    runtime: ServiceRuntime[HazardsApplication], projection: Projection, seq: int
) -> bool:
    return await tracked_seq(runtime, projection) >= seq


async def test_redelivered_messages_change_nothing(
    settings: Settings, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    last = await seed_hazards(settings, reports=120, filings=60)
    stop = asyncio.Event()
    relay = asyncio.create_task(hazards.relay().run(stop))
    runner = hazards.view_runner("hazard_register")
    projecting = asyncio.create_task(runner.run(stop))
    await eventually(lambda: _position(hazards, last), what="the view to catch up")
    stop.set()
    await asyncio.gather(relay, projecting)
    before = await _snapshot(hazards)

    replay = await hazards.js.pull_subscribe("hazards.>", durable="replay", stream="HAZARDS")
    delivered = 0
    while delivered < 180:
        batch = await replay.fetch(50, timeout=5)
        assert await runner.step("HAZARDS", batch) == "ok"
        delivered += len(batch)

    assert runner.applied == 180
    assert await _snapshot(hazards) == before


async def _position(runtime: ServiceRuntime[HazardsApplication], position: int) -> bool:
    async with runtime.pool.acquire() as conn:
        tracked = await read_tracking(conn, "hazard_register", "HAZARDS")
    return tracked.position >= position


async def _snapshot(
    runtime: ServiceRuntime[HazardsApplication],
) -> tuple[list[asyncpg.Record], asyncpg.Record]:
    async with runtime.pool.acquire() as conn:
        rows = await conn.fetch("SELECT * FROM hazard_register ORDER BY id")
        tracking = await conn.fetchrow("SELECT stream_seq, position FROM consumer_tracking")
    assert tracking is not None
    return rows, tracking


async def test_an_event_behind_a_poison_is_not_dead_lettered_on_its_first_failure(
    hazards: ServiceRuntime[HazardsApplication],
) -> None:
    await ensure_stream(hazards.js, "TESTS", ["tests.>"], duplicate_window_s=60)
    for position, text in enumerate(["poison", "flaky 1", "last"], start=1):
        await publish_note(hazards, position, text)
    projection = Notes()
    sink = ViewSink(projection, hazards.pool, hazards.js, max_deliver=3)
    config = RunnerConfig(fetch_timeout_s=0.2)
    runner = ConsumerRunner("hazards", sink, hazards.pool, hazards.db.connect, hazards.js, config)
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    try:
        await eventually(lambda: _reached(hazards, projection, 3), what="the runner to finish")
    finally:
        stop.set()
        await task

    async with hazards.pool.acquire() as conn:
        rows = await conn.fetch("SELECT text FROM notes ORDER BY position")
    assert [r["text"] for r in rows] == ["flaky 1", "last"]
    assert sink.dead_lettered == 1


async def test_a_batch_applied_twice_is_refused_the_second_time_and_changes_nothing(
    settings: Settings, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    await seed_hazards(settings, reports=30)
    await relay_until(hazards, 30)
    replay = await hazards.js.pull_subscribe("hazards.>", durable="twice", stream="HAZARDS")
    batch = await replay.fetch(30, timeout=5)
    sink = ViewSink(hazards.view("hazard_register"), hazards.pool, hazards.js, max_deliver=3)

    first = await sink.apply("HAZARDS", batch)
    before = await _snapshot(hazards)
    with pytest.raises(StaleTracking):
        await sink.apply("HAZARDS", batch)

    assert first.committed == 30
    assert await _snapshot(hazards) == before
