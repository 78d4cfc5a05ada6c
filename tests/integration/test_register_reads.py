"""Reading the hazard register over HTTP, for hazards in every shape the register holds."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.test_hazard_api import API, report

GENERAL = {
    "category": "fire",
    "grade": "general",
    "file_number": "QZ-2026-101",
    "likelihood": 2,
    "severity": 2,
}


async def fixed_on_the_spot(client: httpx.AsyncClient) -> dict[str, Any]:
    created = await report(client)
    filed = await client.post(f"{API}/hazards/{created['id']}/file", json=GENERAL)
    assert filed.status_code == 200, filed.text
    fixed = await client.post(
        f"{API}/hazards/{created['id']}/rectification",
        json={"summary": "cleared the exit", "on_the_spot": True},
    )
    assert fixed.status_code == 200, fixed.text
    body: dict[str, Any] = fixed.json()
    return body


async def test_a_hazard_fixed_on_the_spot_is_not_overdue_and_reads_back(
    client: httpx.AsyncClient,
) -> None:
    fixed = await fixed_on_the_spot(client)
    params = {"min_position": fixed["position"]}

    one = await client.get(f"{API}/hazards/{fixed['id']}", params=params)
    page = await client.get(f"{API}/hazards", params=params)
    overdue_only = await client.get(f"{API}/hazards", params={**params, "overdue": "true"})

    assert one.status_code == 200, one.text
    assert one.json()["deadline"] is None
    assert one.json()["overdue"] is False
    assert one.json()["days_overdue"] is None
    assert page.status_code == 200, page.text
    assert [h["id"] for h in page.json()["items"]] == [fixed["id"]]
    assert overdue_only.json()["total"] == 0


async def test_a_hazard_without_deadline_does_not_lead_the_register(
    client: httpx.AsyncClient,
) -> None:
    await fixed_on_the_spot(client)
    later = await report(client, title="Second hazard")

    page = await client.get(f"{API}/hazards", params={"min_position": later["position"]})

    assert page.status_code == 200, page.text
    assert all(h["overdue"] is False for h in page.json()["items"])
    assert page.json()["items"][0]["id"] == later["id"]
