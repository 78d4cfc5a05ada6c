"""Input that passes a schema's types but no database or domain: always a 4xx, never a write."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from hazards.application import HazardsApplication
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.problems import assert_problem, store_position
from tests.tokens import inspector_headers

API = "/api/hazards"
REPORT: dict[str, Any] = {
    "title": "t",
    "category": "fire",
    "source": "inspection",
    "township": "玉泉镇",
    "village": "莲亭村",
    "address": "a",
    "reporter": "r",
}

ACCIDENT: dict[str, Any] = {
    "happened_at": "2026-05-18T14:30:00+08:00",
    "township": "玉泉镇",
    "village": "莲亭村",
    "place": "仓库",
    "kind": "fire",
    "severity": "general",
    "deaths": 0,
    "serious_injuries": 0,
    "direct_loss_yuan": "1000",
    "reported_by": "安监站",
}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/hazards", {**REPORT, "title": "nul\u0000byte"}),
        ("/hazards", {**REPORT, "reporter": "bell\u0007"}),
        ("/accidents", {**ACCIDENT, "happened_at": "0001-01-01T00:00:00+05:00"}),
        ("/accidents", {**ACCIDENT, "place": "nul\u0000"}),
        (
            "/key-areas",
            {
                "name": "x\u0000",
                "kind": "urban_village",
                "township": "玉泉镇",
                "village": "莲亭村",
                "designated_by": "d",
            },
        ),
    ],
)
async def test_control_characters_and_absurd_dates_are_422_and_write_nothing(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    path: str,
    body: dict[str, Any],
) -> None:
    before = await store_position(hazards)

    response = await client.post(f"{API}{path}", json=body)

    problem = assert_problem(response, 422)
    assert problem["type"].endswith("invalid-request"), problem
    assert await store_position(hazards) == before


@pytest.mark.parametrize(
    "params",
    [{"township": "a\u0000b"}, {"offset": str(10**20)}],
)
async def test_query_values_the_database_refuses_are_400(
    client: httpx.AsyncClient, params: dict[str, str]
) -> None:
    response = await client.get(f"{API}/hazards", params=params)

    assert assert_problem(response, 400)["type"].endswith("invalid-query")


async def test_a_verification_dated_in_the_future_is_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    created = (await client.post(f"{API}/hazards", json=REPORT)).json()
    await client.post(
        f"{API}/hazards/{created['id']}/file",
        json={
            "category": "fire",
            "grade": "general",
            "file_number": "F",
            "likelihood": 1,
            "severity": 1,
        },
    )
    await client.post(
        f"{API}/hazards/{created['id']}/rectification", json={"summary": "s", "on_the_spot": True}
    )

    response = await client.post(
        f"{API}/hazards/{created['id']}/verification",
        json={"inspector": "i", "verified_on": "2099-01-01", "passed": True},
        headers=inspector_headers(settings),
    )

    assert "future" in assert_problem(response, 422)["detail"]


async def test_history_is_only_for_hazards(client: httpx.AsyncClient) -> None:
    area = await client.post(
        f"{API}/key-areas",
        json={
            "name": "莲亭村",
            "kind": "urban_village",
            "township": "玉泉镇",
            "village": "莲亭村",
            "designated_by": "综治办",
        },
    )
    assert area.status_code == 201, area.text

    response = await client.get(f"{API}/hazards/{area.json()['id']}/history")
    missing = await client.get(f"{API}/hazards/{uuid.uuid4()}/history")

    assert "no hazard" in assert_problem(response, 404)["detail"]
    assert_problem(missing, 404)
