"""The scoring API on real servers: units in the area hierarchy, the lifecycle to naming,
re-inspection due, revocation, problems, idempotent registration and read-your-writes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from pingan.run.clock import FixedClock
from pingan.run.runtime import ServiceRuntime
from scoring.application import ScoringApplication
from tests.consultation import PASSING_CONSULTATION

API = "/api/scoring"
NOW = datetime(2026, 6, 20, 4, tzinfo=UTC)
TOWN = "玉泉镇"
LIANTING = "莲亭居民委员会"


@pytest.fixture(autouse=True)
def scoring_clock(scoring: ServiceRuntime[ScoringApplication]) -> FixedClock:
    clock = FixedClock(NOW)
    scoring.clock = clock
    return clock


async def post(
    client: httpx.AsyncClient, path: str, body: Any, status: int = 200, **kw: Any
) -> Any:
    response = await client.post(f"{API}{path}", json=body, **kw)
    assert response.status_code == status, response.text
    return response.json()


async def get(client: httpx.AsyncClient, path: str, position: int = 0, **params: Any) -> Any:
    response = await client.get(f"{API}{path}", params={**params, "min_position": position})
    assert response.status_code == 200, response.text
    return response.json()


async def unit(client: httpx.AsyncClient, kind: str, name: str, **kw: Any) -> dict[str, Any]:
    body = {
        "kind": kind,
        "name": name,
        "registered_by": "综治办",
        "registered_on": "2025-01-05",
        **kw,
    }
    created: dict[str, Any] = await post(client, "/units", body, 201)
    return created


async def hierarchy(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    return {
        "district": await unit(client, "district", "秦州区"),
        "town": await unit(client, "township", TOWN, township=TOWN),
        "community": await unit(client, "community", "莲亭社区", township=TOWN, village="莲亭"),
    }


async def name_community(client: httpx.AsyncClient, unit_id: str) -> int:
    path = f"/units/{unit_id}"
    await post(
        client, f"{path}/applications", {"standard": "community", "applied_on": "2025-05-01"}
    )
    scores = {
        "police_office": 25,
        "migrant_station": 24,
        "dispute_centre": 25,
        "governance_team": 23,
    }
    assessed = await post(
        client,
        f"{path}/assessments",
        {
            "scores": scores,
            "survey": {"households": 120, "feel_safe": 118, "satisfied": 115},
            "assessors": ["区考评组"],
            **PASSING_CONSULTATION,
            "assessed_on": "2025-05-10",
        },
    )
    assert assessed["position"] > 0
    await post(client, f"{path}/notice", {"starts_on": "2025-05-11"})
    named = await post(client, f"{path}/naming", {"named_on": "2025-06-01"})
    position: int = named["position"]
    return position


async def test_a_community_is_named_and_its_overdue_reinspection_shows_first(
    scoring_client: httpx.AsyncClient,
) -> None:
    client = scoring_client
    units = await hierarchy(client)
    community = units["community"]["id"]
    position = await name_community(client, community)

    shown = await get(client, f"/units/{community}", position)
    assert (shown["status"], shown["title"], shown["standard"]) == (
        "named",
        "平安社区",
        "community@2",
    )
    assert (shown["points"], shown["verdict"]) == (97, "pass")
    assert shown["security_share"] < 118 / 120  # judged by its Wilson lower bound
    assert shown["reinspection_due"] == "2026-06-01" and shown["reinspection_overdue"]
    assert shown["village"] == LIANTING and shown["parent_id"] == units["town"]["id"]
    overdue = await get(client, "/units", position, overdue="true")
    assert [u["id"] for u in overdue["items"]] == [community]
    history = await get(client, f"/units/{community}/history")
    assert [e["event"] for e in history["entries"]] == [
        "Registered",
        "Applied",
        "Assessed",
        "Publicised",
        "Named",
    ]


async def test_a_revocation_by_the_office_is_logged_with_its_reason(
    scoring_client: httpx.AsyncClient,
) -> None:
    client = scoring_client
    community = (await hierarchy(client))["community"]["id"]
    await name_community(client, community)
    revoked = await post(
        client,
        f"/units/{community}/revocation",
        {"reason": "创建工作弄虚作假", "revoked_on": "2026-06-19"},
    )

    log = await get(client, "/revocations", revoked["position"])
    (entry,) = log["items"]
    assert (entry["unit_id"], entry["revocation"], entry["reason"]) == (
        community,
        "decision",
        "创建工作弄虚作假",
    )
    assert entry["barred_until"] == "2027-06-19"
    shown = await get(client, f"/units/{community}", revoked["position"])
    assert shown["status"] == "revoked" and shown["title"] is None
    again = await client.post(
        f"{API}/units/{community}/applications", json={"standard": "community"}
    )
    assert again.status_code == 422
    assert "2027-06-19" in again.json()["detail"]


async def test_illegal_steps_and_bad_scores_get_problems_in_chinese_first(
    scoring_client: httpx.AsyncClient,
) -> None:
    client = scoring_client
    community = (await hierarchy(client))["community"]["id"]
    early = await client.post(
        f"{API}/units/{community}/naming", json={}, headers={"Accept-Language": "zh-CN"}
    )
    assert early.status_code == 409, early.text
    assert early.headers["content-type"].startswith("application/problem+json")
    assert "已登记" in early.json()["detail"]
    wrong = await client.post(
        f"{API}/units/{community}/applications",
        json={"standard": "school"},
        headers={"Accept-Language": "zh-CN"},
    )
    assert wrong.status_code == 422
    assert "不适用于" in wrong.json()["detail"]
    unknown = await client.post(
        f"{API}/units",
        json={
            "kind": "village",
            "name": "x",
            "township": TOWN,
            "village": "不存在村",
            "registered_by": "综治办",
        },
    )
    assert unknown.status_code == 422


async def test_a_retried_registration_makes_no_second_unit(
    scoring_client: httpx.AsyncClient,
) -> None:
    client = scoring_client
    await unit(client, "district", "秦州区")
    body = {"kind": "township", "name": TOWN, "township": TOWN, "registered_by": "综治办"}
    headers = {"Idempotency-Key": "register-yuquan-1"}
    first = await post(client, "/units", body, 201, headers=headers)
    again = await client.post(f"{API}/units", json=body, headers=headers)
    assert again.status_code in (200, 201) and again.json()["id"] == first["id"]
    listed = await get(client, "/units", first["position"], kind="township")
    assert listed["total"] == 1


async def test_the_standards_are_listed_with_their_versions(
    scoring_client: httpx.AsyncClient,
) -> None:
    standards = await get(scoring_client, "/standards")
    refs = {s["ref"] for s in standards}
    assert {
        "community@1",
        "compound_old@1",
        "compound_new@1",
        "village@1",
        "school@1",
        "enterprise@1",
        "family@1",
        "community@2",
        "village@2",
        "village_cult_free@1",
        "village_crime_free@1",
        "village_safe_civilised@1",
        "organisation@1",
        "enterprise@2",
        "industry@1",
        "hospital@1",
        "market@1",
    } <= refs
    village = next(s for s in standards if s["id"] == "village")
    assert village["survey"]["rule"] == "wilson"
    assert village["levels"] == ["无邪教村", "零犯罪村", "安全文明村"]
