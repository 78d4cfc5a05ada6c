"""The relay as its own process: killed mid-publish, and raced by a second relay."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from nats.js import JetStreamContext

from pingan.bus.identity import NatsIdentity
from pingan.bus.streams import connect, ensure_service_streams
from pingan.run.embedded import EmbeddedNats
from pingan.run.settings import Settings
from tests.conftest import TESTER, Spawn
from tests.seeding import eventually, seed_hazards, stream_last_seq, stream_positions
from tests.servers import Proc


@pytest.fixture
async def js(settings: Settings, nats_server: EmbeddedNats) -> AsyncIterator[JetStreamContext]:
    tester = NatsIdentity(TESTER, nats_server.credentials[TESTER])
    nc = await connect(settings.nats_url, "test", identity=tester)
    js = nc.jetstream()
    await ensure_service_streams(js, "hazards", duplicate_window_s=3600)
    try:
        yield js
    finally:
        await nc.close()


async def test_relay_killed_mid_publish_resumes_with_every_event_once_in_order(
    settings: Settings, js: JetStreamContext, spawn: Spawn
) -> None:
    last = await seed_hazards(settings, reports=3000, filings=1500)

    first = spawn("relay", "hazards", RELAY_BATCH_SIZE="10")
    await eventually(lambda: _at_least(js, 300), what="the relay to publish")
    first.kill9()
    published_before_kill = await stream_last_seq(js, "HAZARDS")
    second = spawn("relay", "hazards", RELAY_BATCH_SIZE="10")
    await eventually(lambda: _at_least(js, 4500), what="the restarted relay to finish")
    assert second.terminate() == 0

    assert 300 <= published_before_kill < 4500, "the kill did not land mid-publish"
    positions = await stream_positions(js, "HAZARDS")
    assert len(positions) == 4500
    assert positions == sorted(set(positions))
    assert positions[-1] == last


async def test_of_two_relays_one_publishes_and_the_other_takes_over_when_it_dies(
    settings: Settings, js: JetStreamContext, spawn: Spawn
) -> None:
    await seed_hazards(settings, reports=300)
    first = spawn("relay", "hazards")
    await eventually(lambda: _at_least(js, 300), what="the first relay to publish")
    second = spawn("relay", "hazards")
    await eventually(lambda: _contains(second, "standing by"), what="the second relay to stand by")

    await seed_hazards(settings, reports=300)
    await eventually(lambda: _at_least(js, 600), what="the active relay to publish more")
    assert "active from position" not in second.output()

    first.kill9()
    await eventually(lambda: _contains(second, "active from position 600"), what="the takeover")
    last = await seed_hazards(settings, reports=300)
    await eventually(lambda: _at_least(js, 900), what="the new active relay to publish")
    assert second.terminate() == 0

    positions = await stream_positions(js, "HAZARDS")
    assert len(positions) == 900
    assert positions == sorted(set(positions))
    assert positions[-1] == last


async def _at_least(js: JetStreamContext, count: int) -> bool:
    return await stream_last_seq(js, "HAZARDS") >= count


async def _contains(proc: Proc, text: str) -> bool:
    return text in proc.output()
