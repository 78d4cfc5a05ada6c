"""PostgreSQL goes away and comes back: the API answers 503 problems, then recovers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from pingan.api.app import create_root_app
from pingan.run.embedded import EmbeddedNats, EmbeddedPostgres
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.service import get_service
from tests.problems import assert_problem

REPORT = {
    "title": "t",
    "category": "fire",
    "source": "inspection",
    "township": "玉泉镇",
    "village": "莲亭村",
    "address": "x",
    "reporter": "r",
}


@pytest.fixture
async def own_postgres(tmp_path: Path) -> AsyncIterator[EmbeddedPostgres]:
    server = EmbeddedPostgres(tmp_path / "postgres")
    await asyncio.to_thread(server.start)
    try:
        yield server
    finally:
        await asyncio.to_thread(server.stop)


async def test_a_lost_database_gives_503_problems_and_the_service_recovers(
    own_postgres: EmbeddedPostgres, nats_server: EmbeddedNats
) -> None:
    settings = Settings(
        nats_url=nats_server.url,
        nats_credentials_file=nats_server.credentials_path,
        database_url=own_postgres.url,
        database_prefix=f"t{uuid.uuid4().hex[:8]}_",
        db_connect_timeout_s=1,
    )
    runtime = ServiceRuntime(get_service("hazards"), settings)
    await runtime.start()
    app = create_root_app([runtime], start_runtimes=False)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://pingan.test") as http:
            await asyncio.to_thread(own_postgres.stop)
            command = await http.post("/api/hazards/hazards", json=REPORT)
            query = await http.get("/api/hazards/hazards")
            ready = await http.get("/api/hazards/readyz")

            await asyncio.to_thread(own_postgres.start)
            again = await http.post("/api/hazards/hazards", json=REPORT)
            listed = await http.get("/api/hazards/hazards")
    finally:
        await runtime.stop()

    assert assert_problem(command, 503)["type"].endswith("store-unavailable")
    assert assert_problem(query, 503)["type"].endswith("store-unavailable")
    assert command.headers["Retry-After"]
    assert assert_problem(ready, 503)["checks"]["event_store"]["ok"] is False
    assert again.status_code == 201, again.text
    assert listed.status_code == 200, listed.text
