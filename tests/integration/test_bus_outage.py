"""NATS goes away and comes back: the relay publishes again within about a second."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Callable

import httpx
import pytest

from hazards.application import HazardsApplication
from pingan.run.embedded import EmbeddedNats
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.integration.test_store_outage import REPORT


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The relay's own time-outs, not the suite's shortened ones: they are what is tested."""
    defaults = Settings()
    return settings.model_copy(
        update={
            "relay_lock_retry_s": defaults.relay_lock_retry_s,
            "relay_poll_interval_s": defaults.relay_poll_interval_s,
        }
    )


async def stream_reaches(
    runtime: ServiceRuntime[HazardsApplication], last_seq: int, timeout_s: float
) -> float:
    """How long until the service's stream holds `last_seq` messages (bounded)."""
    begun = time.monotonic()
    while True:
        # Until the bus is back the look-up fails; that is part of the wait.
        with contextlib.suppress(Exception):
            info = await runtime.js.stream_info(runtime.stream)
            if info.state.last_seq >= last_seq:
                return time.monotonic() - begun
        assert time.monotonic() - begun < timeout_s, f"stream not at {last_seq} in {timeout_s} s"
        await asyncio.sleep(0.02)


async def test_a_publish_lost_with_the_server_is_retried_as_soon_as_it_is_back(
    hazards: ServiceRuntime[HazardsApplication],
    client: httpx.AsyncClient,
    nats_server: EmbeddedNats,
) -> None:
    """The server dies with a publish in flight: its ack never comes."""
    assert (await client.post("/api/hazards/hazards", json=REPORT)).status_code == 201
    await stream_reaches(hazards, 1, timeout_s=10)
    assert nats_server.process is not None
    nc = hazards._nc
    assert nc is not None
    sent = nc.stats["out_msgs"]

    os.kill(nats_server.process.pid, signal.SIGSTOP)
    assert (await client.post("/api/hazards/hazards", json=REPORT)).status_code == 201
    await wait_until(lambda: nc.stats["out_msgs"] > sent and nc._pending_data_size == 0)
    await asyncio.to_thread(nats_server.kill)
    await asyncio.to_thread(nats_server.stop)
    await asyncio.to_thread(nats_server.start)
    took = await stream_reaches(hazards, 2, timeout_s=10)

    assert took < 2


async def wait_until(condition: Callable[[], bool], timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)
