"""Investigation rounds over HTTP, in one process, on a real NATS and PostgreSQL: a finding is a
hazard in the register and a finding on the round, published together."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from hazards.application import HazardsApplication
from pingan.bus.envelope import Header
from pingan.run.runtime import ServiceRuntime
from tests.problems import assert_problem, store_position

API = "/api/hazards"
NOW = datetime(2026, 6, 3, 4, tzinfo=UTC)
TODAY = date(2026, 6, 3)
ROUND: dict[str, Any] = {
    "name": "2026 年第二轮滚动排查",
    "areas": ["玉泉镇", "天水郡街道"],
    "starts_on": "2026-06-01",
    "ends_on": "2026-06-30",
    "organiser": "区综治办",
}
FINDING: dict[str, Any] = {
    "title": "出租屋消防通道堵塞",
    "category": "fire",
    "township": "玉泉镇",
    "village": "闫新村",
    "address": "闫新村二组",
    "reporter": "排查组 王",
}
CLOSE = {"summary": "本轮排查发现隐患已全部建档", "closed_by": "区综治办"}


pytestmark = pytest.mark.usefixtures("fixed_clock")


async def post(client: httpx.AsyncClient, path: str, body: Any, status: int = 200) -> Any:
    response = await client.post(f"{API}{path}", json=body)
    assert response.status_code == status, response.text
    return response.json()


async def open_round(client: httpx.AsyncClient, **overrides: Any) -> str:
    round_id: str = (await post(client, "/rounds", {**ROUND, **overrides}, 201))["id"]
    return round_id


async def find(client: httpx.AsyncClient, round_id: str, **overrides: Any) -> dict[str, Any]:
    found: dict[str, Any] = await post(
        client, f"/rounds/{round_id}/findings", {**FINDING, **overrides}, 201
    )
    return found


async def test_a_finding_is_a_hazard_of_the_round_in_the_register(
    client: httpx.AsyncClient,
) -> None:
    round_id = await open_round(client)

    response = await client.post(f"{API}/rounds/{round_id}/findings", json=FINDING)

    assert response.status_code == 201, response.text
    found = response.json()
    assert response.headers["Location"].endswith(f"/hazards/{found['id']}")
    hazard = await client.get(
        f"{API}/hazards/{found['id']}", params={"min_position": found["position"]}
    )
    assert hazard.status_code == 200, hazard.text
    assert hazard.json()["round_id"] == round_id
    assert hazard.json()["source"] == "inspection"
    assert hazard.json()["status"] == "reported"
    assert hazard.json()["village"] == "闫新居民委员会"
    of_round = await client.get(f"{API}/hazards", params={"round_id": round_id})
    assert [h["id"] for h in of_round.json()["items"]] == [found["id"]]
    sweep = await client.get(f"{API}/rounds/{round_id}", params={"min_position": found["position"]})
    assert sweep.json()["status"] == "open"
    assert sweep.json()["findings"] == 1
    assert sweep.json()["found_by_category"] is None
    assert sweep.json()["total"] is None


async def test_the_hazard_and_the_finding_are_published_together(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    round_id = await open_round(client)
    found = await find(client, round_id, source="grid_worker")
    await client.get(f"{API}/rounds/{round_id}", params={"min_position": found["position"]})

    reported, recorded = [await hazards.js.get_msg("HAZARDS", seq=seq) for seq in (2, 3)]

    assert reported.headers is not None and recorded.headers is not None
    assert reported.subject == "hazards.hazard.reported"
    assert recorded.subject == "hazards.round.finding_recorded"
    assert recorded.headers[Header.POSITION] == str(found["position"])
    assert int(reported.headers[Header.POSITION]) == found["position"] - 1
    assert reported.headers[Header.CORRELATION_ID] == recorded.headers[Header.CORRELATION_ID]
    hazard = json.loads(reported.data or b"{}")
    finding = json.loads(recorded.data or b"{}")
    assert (hazard["hazard_id"], hazard["round_id"], hazard["source"]) == (
        found["id"],
        round_id,
        "grid_worker",
    )
    assert (finding["round_id"], finding["hazard_id"], finding["category"]) == (
        round_id,
        found["id"],
        "fire",
    )


async def test_a_closed_round_shows_its_findings_by_category(client: httpx.AsyncClient) -> None:
    round_id = await open_round(client)
    for category in ("fire", "theft", "fire"):
        await find(client, round_id, category=category)

    closed = await post(client, f"/rounds/{round_id}/close", CLOSE)

    sweep = await client.get(
        f"{API}/rounds/{round_id}", params={"min_position": closed["position"]}
    )
    assert sweep.status_code == 200, sweep.text
    assert sweep.json()["status"] == "closed"
    assert sweep.json()["findings"] == 3
    assert sweep.json()["found_by_category"] == {"fire": 2, "theft": 1}
    assert sweep.json()["total"] == 3
    assert sweep.json()["summary"] == CLOSE["summary"]
    assert sweep.json()["areas"] == ROUND["areas"]


async def test_rounds_list_filters_by_status_and_area_latest_first(
    client: httpx.AsyncClient,
) -> None:
    earlier = await open_round(client, starts_on="2026-05-01", ends_on="2026-05-31")
    later = await open_round(client, areas=["太京镇"])
    closed = await post(client, f"/rounds/{earlier}/close", CLOSE)
    at = {"min_position": closed["position"]}

    everything = await client.get(f"{API}/rounds", params=at)
    open_ones = await client.get(f"{API}/rounds", params={**at, "status": "open"})
    in_yuquan = await client.get(f"{API}/rounds", params={**at, "area": "玉泉镇"})
    paged = await client.get(f"{API}/rounds", params={**at, "limit": 1, "offset": 1})

    assert [r["id"] for r in everything.json()["items"]] == [later, earlier]
    assert [r["id"] for r in open_ones.json()["items"]] == [later]
    assert [r["id"] for r in in_yuquan.json()["items"]] == [earlier]
    assert paged.json()["total"] == 2
    assert [r["id"] for r in paged.json()["items"]] == [earlier]


async def test_a_finding_in_a_key_area_counts_towards_its_progress(
    client: httpx.AsyncClient,
) -> None:
    area = {"name": "莲亭村", "kind": "urban_village", "township": "玉泉镇", "village": "莲亭村"}
    key_area = (await post(client, "/key-areas", {**area, "designated_by": "区综治办"}, 201))["id"]
    round_id = await open_round(client)

    found = await find(client, round_id, village="莲亭村", key_area_id=key_area)

    progress = await client.get(
        f"{API}/key-areas/progress", params={"min_position": found["position"]}
    )
    by_id = {p["id"]: p for p in progress.json()}
    assert by_id[key_area]["hazards_found"] == 1
    assert by_id[key_area]["open_hazards"] == 1


async def test_a_round_over_an_urban_village_by_its_old_name_takes_its_findings(
    client: httpx.AsyncClient,
) -> None:
    round_id = await open_round(client, areas=["莲亭村", "玉泉镇 天水郡村"])

    found = await find(client, round_id, village="莲亭村")
    ambiguous = await client.post(f"{API}/rounds", json={**ROUND, "areas": ["莲亭社区"]})

    sweep = await client.get(f"{API}/rounds/{round_id}", params={"min_position": found["position"]})
    assert sweep.json()["areas"] == ["莲亭居民委员会", "天水郡居民委员会"]
    problem = assert_problem(ambiguous, 422)
    assert "玉泉镇 莲亭居民委员会" in json.dumps(problem, ensure_ascii=False)


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({**ROUND, "areas": []}, "areas"),
        ({**ROUND, "areas": ["玉泉镇", " "]}, "areas"),
        ({**ROUND, "ends_on": "2026-05-31"}, "end before it starts"),
        ({**ROUND, "areas": ["玉泉镇", "玉泉镇"]}, "each area once"),
        ({**ROUND, "starts_on": "June"}, "starts_on"),
        ({k: v for k, v in ROUND.items() if k != "organiser"}, "organiser"),
    ],
)
async def test_a_bad_round_is_refused_and_writes_nothing(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    body: dict[str, Any],
    where: str,
) -> None:
    before = await store_position(hazards)

    response = await client.post(f"{API}/rounds", json=body)

    problem = assert_problem(response, 422)
    assert where in json.dumps(problem, ensure_ascii=False)
    assert await store_position(hazards) == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"township": "太京镇", "village": "窝驼村"}, "outside the round's areas"),
        ({"key_area_id": str(uuid.uuid4())}, "no key area"),
        ({"business_date": "2026-05-31"}, "lies outside the round's period, 2026-06-01 to"),
    ],
)
async def test_a_finding_that_breaks_a_rule_is_422_and_reports_no_hazard(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    overrides: dict[str, Any],
    message: str,
) -> None:
    round_id = await open_round(client)
    before = await store_position(hazards)

    response = await client.post(f"{API}/rounds/{round_id}/findings", json={**FINDING, **overrides})

    assert message in assert_problem(response, 422)["detail"]
    assert await store_position(hazards) == before


async def test_a_finding_before_the_round_starts_is_422(client: httpx.AsyncClient) -> None:
    starts_on = TODAY + timedelta(days=1)
    round_id = await open_round(
        client, starts_on=starts_on.isoformat(), ends_on=starts_on.isoformat()
    )

    response = await client.post(f"{API}/rounds/{round_id}/findings", json=FINDING)

    assert "outside the round's period" in assert_problem(response, 422)["detail"]


async def test_a_finding_on_a_closed_round_is_409_and_reports_no_hazard(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    round_id = await open_round(client)
    await post(client, f"/rounds/{round_id}/close", CLOSE)
    before = await store_position(hazards)

    finding = await client.post(f"{API}/rounds/{round_id}/findings", json=FINDING)
    closing = await client.post(f"{API}/rounds/{round_id}/close", json=CLOSE)

    for response, command in ((finding, "/findings"), (closing, "/close")):
        problem = assert_problem(response, 409)
        assert problem["current_state"] == "closed"
        assert problem["command"] == command
        assert problem["allowed_commands"] == []
    assert await store_position(hazards) == before


async def test_an_unknown_round_is_404_and_nothing_is_written(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    missing = uuid.uuid4()
    before = await store_position(hazards)

    responses = [
        await client.post(f"{API}/rounds/{missing}/findings", json=FINDING),
        await client.post(f"{API}/rounds/{missing}/close", json=CLOSE),
        await client.get(f"{API}/rounds/{missing}"),
    ]

    for response in responses:
        assert str(missing) in assert_problem(response, 404)["detail"]
    assert await store_position(hazards) == before


async def test_a_finding_with_a_bad_body_is_422(client: httpx.AsyncClient) -> None:
    round_id = await open_round(client)

    response = await client.post(
        f"{API}/rounds/{round_id}/findings", json={**FINDING, "category": "ufo"}
    )

    problem = assert_problem(response, 422)
    assert any("category" in error["loc"] for error in problem["errors"])
