"""The hazards service as docker-compose runs it: api, relay and projector, each a process."""

from __future__ import annotations

import httpx

from pingan.run.embedded import free_port
from pingan.run.settings import Settings
from tests.conftest import Spawn
from tests.seeding import eventually
from tests.tokens import office_headers

REPORT = {
    "title": "Unlicensed fireworks store",
    "category": "flammable_explosive",
    "township": "玉泉镇",
    "village": "天水郡村",
    "address": "Market Street 8",
    "reporter": "inspection round 3",
    "source": "inspection",
}


async def test_report_then_file_is_visible_through_the_bus_over_http(
    spawn: Spawn, settings: Settings
) -> None:
    port = free_port()
    spawn("serve", "hazards", "--port", str(port))
    spawn("relay", "hazards")
    spawn("project", "hazards")
    base = f"http://127.0.0.1:{port}/api/hazards"

    async with httpx.AsyncClient(
        base_url=base, timeout=10, headers=office_headers(settings)
    ) as http:
        await eventually(lambda: _ready(http), what="the api to be ready")
        created = (await http.post("/hazards", json=REPORT)).json()
        filed = await http.post(
            f"/hazards/{created['id']}/file",
            json={
                "category": "flammable_explosive",
                "grade": "major",
                "file_number": "QZ-9",
                "likelihood": 3,
                "severity": 5,
                "determination_basis": "《重大事故隐患判定标准》",
            },
        )
        view = await http.get(
            f"/hazards/{created['id']}", params={"min_position": filed.json()["position"]}
        )

    assert view.status_code == 200, view.text
    assert view.json()["status"] == "filed"
    assert view.json()["grade"] == "major"


async def _ready(http: httpx.AsyncClient) -> bool:
    try:
        response = await http.get("/readyz")
    except httpx.TransportError:
        return False
    return response.status_code == 200
