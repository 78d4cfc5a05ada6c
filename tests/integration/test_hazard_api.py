"""The hazards slice over HTTP, in one process, on a real NATS and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest

from hazards.application import HazardsApplication
from pingan.bus.envelope import Header
from pingan.run.runtime import ServiceRuntime
from tests.problems import store_position
from tests.tokens import OFFICE_SUBJECT

API = "/api/hazards"
REPORT: dict[str, Any] = {
    "title": "Blocked fire exit in the night market",
    "category": "fire",
    "source": "grid_worker",
    "township": "玉泉镇",
    "village": "莲亭村",
    "address": "No. 3 Lane, Lianting",
    "reporter": "grid worker Li",
}
FILE = {
    "category": "fire",
    "grade": "major",
    "file_number": "QZ-2026-001",
    "likelihood": 4,
    "severity": 5,
    "determination_basis": "《重大事故隐患判定标准》",
}


async def report(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    response = await client.post(f"{API}/hazards", json={**REPORT, **overrides})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_reported_and_filed_hazard_is_visible_in_the_register(
    client: httpx.AsyncClient,
) -> None:
    created = await report(client)
    filed = await client.post(f"{API}/hazards/{created['id']}/file", json=FILE)
    assert filed.status_code == 200, filed.text
    assert filed.json()["position"] > created["position"]

    view = await client.get(
        f"{API}/hazards/{created['id']}", params={"min_position": filed.json()["position"]}
    )

    assert view.status_code == 200, view.text
    hazard = view.json()
    assert hazard["status"] == "filed"
    assert hazard["grade"] == "major"
    assert hazard["file_number"] == "QZ-2026-001"
    assert hazard["township"] == "玉泉镇"
    assert hazard["colour"] == "red"


async def test_register_filters_by_status_and_township(client: httpx.AsyncClient) -> None:
    first = await report(client, township="玉泉镇")
    await report(client, township="太京镇", village="窝驼村")
    filed = await client.post(f"{API}/hazards/{first['id']}/file", json=FILE)
    position = filed.json()["position"]

    page = await client.get(
        f"{API}/hazards", params={"status": "filed", "township": "玉泉镇", "min_position": position}
    )
    everything = await client.get(f"{API}/hazards", params={"min_position": position})

    assert [h["id"] for h in page.json()["items"]] == [first["id"]]
    assert page.json()["total"] == 1
    assert everything.json()["total"] == 2


async def test_request_id_is_returned_and_carried_into_the_published_event(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    response = await client.post(f"{API}/hazards", json=REPORT, headers={"X-Request-ID": "req-42"})
    position = response.json()["position"]
    await client.get(f"{API}/hazards", params={"min_position": position})

    message = await hazards.js.get_msg("HAZARDS", seq=1)

    assert response.headers["X-Request-ID"] == "req-42"
    assert message.headers is not None
    assert message.headers[Header.CORRELATION_ID] == "req-42"
    assert message.headers[Header.ACTOR] == OFFICE_SUBJECT
    assert message.headers[Header.POSITION] == str(position)
    assert message.headers[Header.TYPE] == "pingan.hazards.hazard.reported.v1"
    assert message.headers["Nats-Msg-Id"] == f"hazards:{position}"
    assert json.loads(message.data or b"{}")["hazard_id"] == response.json()["id"]


async def test_a_request_without_id_gets_one(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/healthz")
    assert uuid.UUID(response.headers["X-Request-ID"])


@pytest.mark.parametrize(
    ("body", "bad_field"),
    [
        ({k: v for k, v in REPORT.items() if k != "title"}, "title"),
        ({**REPORT, "category": "ufo"}, "category"),
        ({**REPORT, "township": 12}, "township"),
        ({**REPORT, "township": "   "}, "township"),
        ({**REPORT, "colour": "red"}, "colour"),
    ],
)
async def test_bad_report_is_422_problem_and_writes_nothing(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    body: dict[str, Any],
    bad_field: str,
) -> None:
    before = await store_position(hazards)

    response = await client.post(f"{API}/hazards", json=body)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert any(bad_field in error["loc"] for error in problem["errors"])
    assert await store_position(hazards) == before


async def test_malformed_json_is_422_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/hazards", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_unknown_hazard_is_404_problem(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    before = await store_position(hazards)
    missing = uuid.uuid4()

    read = await client.get(f"{API}/hazards/{missing}")
    command = await client.post(f"{API}/hazards/{missing}/file", json=FILE)

    for response in (read, command):
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
    assert await store_position(hazards) == before


async def test_ill_formed_id_is_422_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{API}/hazards/not-a-uuid/file", json=FILE)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["path", "hazard_id"]


async def test_filing_twice_is_409_naming_state_and_allowed_commands(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    created = await report(client)
    await client.post(f"{API}/hazards/{created['id']}/file", json=FILE)
    before = await store_position(hazards)

    again = await client.post(f"{API}/hazards/{created['id']}/file", json=FILE)

    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["current_state"] == "filed"
    assert again.json()["command"] == "/file"
    assert "allowed_commands" in again.json()
    assert await store_position(hazards) == before


async def test_query_for_a_position_the_view_has_not_reached_says_the_view_is_behind(
    client: httpx.AsyncClient, workers: asyncio.Event
) -> None:
    first = await report(client)
    await client.get(f"{API}/hazards", params={"min_position": first["position"]})
    workers.set()  # relay and views stop: the next command's event stays unprojected
    created = await report(client)

    response = await client.get(
        f"{API}/hazards/{first['id']}",
        params={"min_position": created["position"], "wait": 0.2},
    )

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("view-behind")
    assert response.json()["wanted_position"] == created["position"]
    assert response.headers["Retry-After"]


async def test_a_position_beyond_anything_written_is_400_at_once(
    client: httpx.AsyncClient,
) -> None:
    created = await report(client)

    response = await client.get(
        f"{API}/hazards/{created['id']}",
        params={"min_position": created["position"] + 1000, "wait": 30},
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("position-ahead")
    assert response.json()["written_position"] == created["position"]


async def test_readiness_reports_store_bus_and_each_views_lag(client: httpx.AsyncClient) -> None:
    created = await report(client)
    await client.get(f"{API}/hazards", params={"min_position": created["position"]})

    ready = await client.get(f"{API}/readyz")

    assert ready.status_code == 200
    checks = ready.json()["checks"]
    assert checks["event_store"]["position"] == created["position"]
    assert checks["bus"]["last_seq"] == 1
    assert checks["view:hazard_register"]["sources"]["HAZARDS"]["lag"] == 0
    # The campaigns stream is not there until campaigns starts: nothing to lag behind.
    assert checks["view:key_areas"]["sources"]["CAMPAIGNS"]["lag"] == 0
    consumers = (await client.get(f"{API}/consumers")).json()
    assert (
        consumers["view:hazard_register"]["sources"]["HAZARDS"]["position"] == created["position"]
    )


async def test_a_report_in_an_unknown_key_area_is_422_and_writes_nothing(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    before = await store_position(hazards)

    response = await client.post(
        f"{API}/hazards", json={**REPORT, "key_area_id": str(uuid.uuid4())}
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "no key area" in response.json()["detail"]
    assert await store_position(hazards) == before
