"""The history route that each aggregate resource declares: events, recording time, actor,
correlation id and position, straight from the event store."""

from __future__ import annotations

import uuid

import httpx

from tests.integration.test_hazard_api import API
from tests.problems import assert_problem
from tests.tokens import OFFICE_NAME, OFFICE_SUBJECT

AREA = {
    "name": "莲亭村",
    "kind": "urban_village",
    "township": "玉泉镇",
    "village": "莲亭村",
    "designated_by": "综治办",
}


async def test_a_key_area_history_lists_its_events_with_their_positions(
    client: httpx.AsyncClient,
) -> None:
    created = await client.post(
        f"{API}/key-areas", json=AREA, headers={"X-Request-ID": "designate"}
    )
    assert created.status_code == 201, created.text
    area = created.json()
    planned = await client.post(
        f"{API}/key-areas/{area['id']}/plan",
        json={"measures": "拆除违建", "responsible_unit": "玉泉镇政府", "deadline": "2099-01-01"},
    )
    assert planned.status_code == 200, planned.text

    history = await client.get(f"{API}/key-areas/{area['id']}/history")

    assert history.status_code == 200, history.text
    entries = history.json()["entries"]
    assert [e["event"] for e in entries] == ["Designated", "RectificationPlanned"]
    assert [e["position"] for e in entries] == [area["position"], planned.json()["position"]]
    assert entries[0]["actor"] == OFFICE_SUBJECT
    assert entries[0]["actor_name"] == OFFICE_NAME
    assert entries[0]["correlation_id"] == "designate"
    assert entries[0]["recorded_at"]
    assert "business_time" in entries[0]


async def test_history_answers_404_for_another_kind_or_no_record(
    client: httpx.AsyncClient,
) -> None:
    created = await client.post(f"{API}/key-areas", json=AREA)
    assert created.status_code == 201, created.text

    wrong_kind = await client.get(f"{API}/accidents/{created.json()['id']}/history")
    missing = await client.get(f"{API}/rounds/{uuid.uuid4()}/history")

    assert "no accident" in assert_problem(wrong_kind, 404)["detail"]
    assert "no round" in assert_problem(missing, 404)["detail"]
