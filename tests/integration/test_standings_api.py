"""Standings on the real servers: hazards closed on time through the hazards API, cases
registered and solved through the campaigns API, named units in scoring; the standings
view, following all three streams, ranks 玉泉镇 as a hand computation does, and the month's
report answers in JSON, CSV and HTML."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from campaigns.application import CampaignsApplication
from hazards.application import HazardsApplication
from pingan.run.clock import FixedClock
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from scoring.application import ScoringApplication
from scoring.domain.unit import Unit
from tests.integration.test_hazard_deadlines_api import planned, rectifying, verified
from tests.integration.test_scoring_reactions import named_units
from tests.seeding import eventually

NOW = datetime(2026, 6, 20, 4, tzinfo=UTC)
CASE: dict[str, Any] = {
    "kind": "theft",
    "township": "玉泉镇",
    "village": "莲亭村",
    "place": "莲亭批发市场",
    "happened_at": "2026-06-02T21:00:00+08:00",
    "registered_on": "2026-06-03",
    "registered_by": "玉泉派出所",
}


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if "json" in response.headers.get("content-type", "") else None


@pytest.fixture
def clocks(
    hazards: ServiceRuntime[HazardsApplication],
    campaigns: ServiceRuntime[CampaignsApplication],
    scoring: ServiceRuntime[ScoringApplication],
) -> None:
    hazards.clock = FixedClock(datetime(2026, 6, 1, 4, tzinfo=UTC))
    campaigns.clock = FixedClock(NOW)
    scoring.clock = FixedClock(NOW)


@pytest.mark.usefixtures("clocks")
async def test_the_standing_of_a_township_is_the_hand_computed_one(
    client: httpx.AsyncClient,
    campaigns_client: httpx.AsyncClient,
    scoring_client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    scoring: ServiceRuntime[ScoringApplication],
    settings: Settings,
) -> None:
    on_time, _ = await planned(client, "general", date(2026, 6, 10))
    await rectifying(client, on_time, date(2026, 6, 1))
    hazards.clock = FixedClock(datetime(2026, 6, 5, 4, tzinfo=UTC))
    await verified(client, settings, on_time, date(2026, 6, 5))
    await ok(await client.post(f"/api/hazards/hazards/{on_time}/close", json={"closed_by": "o"}))
    await planned(client, "general", date(2026, 6, 15))  # due in June, never closed

    solved = await ok(await campaigns_client.post("/api/campaigns/cases", json=CASE), 201)
    await ok(await campaigns_client.post("/api/campaigns/cases", json=CASE), 201)
    await ok(
        await campaigns_client.post(
            f"/api/campaigns/cases/{solved['id']}/solve", json={"solved_on": "2026-06-09"}
        )
    )
    units = await asyncio.to_thread(named_units, scoring.application)
    shares = [
        e.security_share
        for unit_id in units.values()
        for e in scoring.application.events.get(unit_id)
        if isinstance(e, Unit.Assessed)
    ]

    async def caught_up() -> Any:
        got = await ok(await scoring_client.get("/api/scoring/standings?period=2026-06"))
        towns = {t["township"]: t for t in got["townships"]}
        yuquan = towns.get("玉泉镇")
        f = yuquan and yuquan["figures"]
        wanted = (
            (f["hazards_due"], f["cases_registered"], f["cases_solved"], f["named"]) if f else None
        )
        return wanted == (2, 2, 1, 2) and got

    got = await eventually(caught_up, what="the standings to follow all three streams")
    assert [t["township"] for t in got["townships"]] == ["玉泉镇"], got
    (yuquan,) = got["townships"]
    surveyed = [s for s in shares if s is not None]  # the school's standard asks no survey
    security = sum(surveyed) / len(surveyed)
    # units: the township, the community, the school (named, 100 points each)
    expected = 100 * (0.25 * 2 / 3 + 0.25 * 1.0 + 0.15 * security + 0.20 * 0.5 + 0.15 * 0.5)
    assert yuquan["rank"] == 1
    assert yuquan["points"] == pytest.approx(round(expected, 2))
    by = {t["term"]: t for t in yuquan["terms"]}
    assert by["hazards"]["figure"] == pytest.approx(0.5)
    assert by["clearance"]["contribution"] == pytest.approx(7.5)
    # the district adds its own unit (no township), unnamed
    district = 100 * (0.25 * 2 / 4 + 0.25 * 1.0 + 0.15 * security + 0.20 * 0.5 + 0.15 * 0.5)
    assert got["district"]["points"] == pytest.approx(round(district, 2))

    quarter = await ok(await scoring_client.get("/api/scoring/standings?period=2026-Q2"))
    assert quarter["townships"][0]["points"] == yuquan["points"]
    bad = await scoring_client.get("/api/scoring/standings?period=2026-13")
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")

    league = await ok(await scoring_client.get("/api/scoring/league?kind=school"))
    assert [(u["name"], u["points"], u["title"], u["rank"]) for u in league] == [
        ("莲亭小学", 100, league[0]["title"], 1)
    ]
    assert league[0]["title"]

    report = await ok(await scoring_client.get("/api/scoring/reports/monthly?month=2025-06"))
    assert sorted(n["name"] for n in report["named"]) == ["莲亭小学", "莲亭社区"]
    csv = await scoring_client.get("/api/scoring/reports/quarterly.csv?quarter=2026-Q2")
    assert csv.status_code == 200 and csv.text.startswith("\ufeffrank,township,points")
    zh = await scoring_client.get(
        "/api/scoring/reports/monthly.csv?month=2026-06", headers={"Accept-Language": "zh-CN"}
    )
    assert zh.text.startswith("\ufeff名次,乡镇(街道),得分")
    assert "玉泉镇" in zh.text and "全区" in zh.text
    html = await scoring_client.get("/api/scoring/reports/monthly.html?month=2026-06")
    assert html.headers["content-type"].startswith("text/html")
    assert "平安创建评比报告" in html.text and "玉泉镇" in html.text
