"""After a forget, no plaintext of the person is left anywhere: the event store, the
snapshots, every view table, the privacy database and the JetStream store files, read raw.
With the cipher disabled the same scan finds it, which shows that the scan can fail."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import httpx
import pytest

from hazards.application import HazardsApplication
from pingan.api.app import create_root_app
from pingan.auth.runtime import AuthRuntime
from pingan.privacy import FORGOTTEN
from pingan.privacy.setup import privacy_database
from pingan.run.embedded import EmbeddedNats
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.privacy_scan import ScanResult, scan_database, scan_files
from tests.tokens import office_headers

API = "/api/hazards"
NAME, PHONE, ID_NUMBER = "欧阳明远", "13912345678", "62050219900101123X"
NEEDLES = (NAME, PHONE, ID_NUMBER)
REPORT: dict[str, Any] = {
    "title": "楼道堆放易燃杂物",
    "category": "fire",
    "source": "public_report",
    "township": "玉泉镇",
    "village": "莲亭村",
    "address": "莲亭路 3 号",
    "reporter": NAME,
    "reporter_phone": PHONE,
    "reporter_id_number": ID_NUMBER,
}
FILE = {
    "category": "fire",
    "grade": "general",
    "file_number": "QZ-9",
    "likelihood": 2,
    "severity": 2,
}


@pytest.fixture(params=["none", "aes-256-gcm"])
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    return settings.model_copy(update={"privacy_cipher": request.param})


@pytest.fixture
async def api(
    hazards: ServiceRuntime[HazardsApplication], auth: AuthRuntime, settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_root_app([hazards], auth, start_runtimes=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://pingan.test",
        headers={"Accept-Language": "en", **office_headers(settings)},
    ) as http:
        yield http


async def run_until(
    hazards: ServiceRuntime[HazardsApplication], position: int, rebuild: bool
) -> None:
    """Relay and views run until the register has reached `position`."""
    stop = asyncio.Event()
    runner = hazards.view_runner("hazard_register")
    tasks = [
        asyncio.create_task(hazards.relay().run(stop)),
        asyncio.create_task(runner.run(stop, rebuild=rebuild)),
    ]
    try:
        await hazards.wait_for("hazard_register", position, 20)
    finally:
        stop.set()
        await asyncio.gather(*tasks)


async def scan_stores(
    hazards: ServiceRuntime[HazardsApplication], settings: Settings
) -> ScanResult:
    service = await scan_database(hazards.db, NEEDLES)
    privacy = await scan_database(privacy_database(settings), NEEDLES)
    return service.add(privacy)


async def test_forgotten_reporter_leaves_no_plaintext_anywhere(
    api: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    nats_server: EmbeddedNats,
    settings: Settings,
) -> None:
    created = (await api.post(f"{API}/hazards", json=REPORT)).json()
    other = (
        await api.post(
            f"{API}/hazards",
            json={
                **REPORT,
                "reporter": "李四",
                "reporter_phone": "13800000000",
                "reporter_id_number": None,
            },
        )
    ).json()
    filed = (await api.post(f"{API}/hazards/{created['id']}/file", json=FILE)).json()
    app = hazards.application
    snapshots = HazardsApplication(env={**hazards.env, "IS_SNAPSHOTTING_ENABLED": "y"})
    snapshots.take_snapshot(UUID(created["id"]))
    snapshots.close()
    await run_until(hazards, filed["position"], rebuild=False)
    seen = (await api.get(f"{API}/hazards/{created['id']}")).json()
    person = seen["reporter_person_id"]
    before = await scan_stores(hazards, settings)

    forgotten = await api.post(
        f"{API}/privacy/people/{person}/forget", json={"reason": "本人申请 2026-001"}
    )
    await run_until(hazards, filed["position"], rebuild=True)
    after_view = (await api.get(f"{API}/hazards/{created['id']}")).json()
    still = (await api.get(f"{API}/hazards/{other['id']}")).json()
    everything = (await api.get(f"{API}/hazards")).json()
    ageing = await api.get(f"{API}/reports/ageing")
    ids = await asyncio.to_thread(
        lambda: [UUID(str(n.originator_id)) for n in app.recorder.select_notifications(1, 1000)]
    )
    loaded: list[object] = [await asyncio.to_thread(app.get, i, object) for i in set(ids)]
    nats_server.stop()  # its store files are complete once it has shut down
    after = (await scan_stores(hazards, settings)).add(scan_files(nats_server.data_dir, NEEDLES))

    print(
        f"\n[{settings.privacy_cipher}] before forget: {before.tables} tables, {before.rows} rows,"
        f" {len(before.hits)} hits; after: {after.tables} tables, {after.rows} rows,"
        f" {after.files} files, {len(after.hits)} hits {sorted(set(after.hits))}"
    )
    assert seen["reporter"] == NAME and seen["reporter_phone"] == PHONE
    assert forgotten.status_code == 200, forgotten.text
    assert after_view["reporter"] == after_view["reporter_phone"] == FORGOTTEN
    assert after_view["reporter_id_number"] == FORGOTTEN
    assert after_view["status"] == "filed"
    assert still["reporter"] == "李四"
    assert everything["total"] == 2
    assert ageing.status_code == 200, ageing.text
    assert len(loaded) == len(set(ids))
    assert after.rows > 0 and after.files > 0 and after.tables >= before.tables
    if settings.privacy_cipher == "none":
        assert before.hits and after.hits
        assert any("jetstream" in hit for hit in after.hits)
        assert any("_snapshots" in hit for hit in after.hits)
    else:
        assert before.hits == [] and after.hits == []
