"""Key areas meet the case data: the key-area view reads the campaigns stream as its second
source and shows the cases of the area's villages month by month, with hazards and campaigns
running side by side on a real NATS and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from campaigns.application import CampaignsApplication
from hazards.application import HazardsApplication
from pingan.api.app import create_root_app
from pingan.auth.runtime import AuthRuntime
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.tokens import office_headers

NOW = datetime(2026, 6, 1, 4, tzinfo=UTC)
AREA = {
    "name": "莲亭城中村",
    "kind": "urban_village",
    "township": "玉泉镇",
    "village": "莲亭村",
    "villages": ["莲亭村", "金家庄村"],
    "designated_by": "区综治办",
    "business_date": "2026-03-10",
}

pytestmark = pytest.mark.usefixtures("fixed_clock", "campaigns_clock")


@pytest.fixture
async def both(
    hazards: ServiceRuntime[HazardsApplication],
    campaigns: ServiceRuntime[CampaignsApplication],
    workers: asyncio.Event,
    campaigns_workers: asyncio.Event,
    auth: AuthRuntime,
    settings: Settings,
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_root_app([hazards, campaigns], auth, start_runtimes=False)
    headers = {"Accept-Language": "en", **office_headers(settings)}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://pingan.test", headers=headers
    ) as http:
        yield http


async def post(client: httpx.AsyncClient, path: str, body: Any, status: int = 200) -> Any:
    response = await client.post(path, json=body)
    assert response.status_code == status, response.text
    return response.json()


async def case(client: httpx.AsyncClient, day: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "kind": "theft",
        "township": "玉泉镇",
        "village": "莲亭村",
        "place": "莲亭村三巷",
        "happened_at": f"{day}T08:00:00+08:00",
        "registered_on": day,
        "registered_by": "玉泉派出所",
        **overrides,
    }
    created: dict[str, Any] = await post(client, "/api/campaigns/cases", body, 201)
    return created


async def test_an_areas_progress_shows_the_cases_of_its_villages_month_by_month(
    both: httpx.AsyncClient,
) -> None:
    client = both
    area = await post(client, "/api/hazards/key-areas", AREA, 201)
    await case(client, "2025-04-02")
    await case(client, "2026-03-15")
    await case(client, "2026-03-20", village="金家庄村")
    await case(client, "2026-03-21", kind="drug_use")
    await case(client, "2026-04-03", township="太京镇", village="窝驼村")
    gone = await case(client, "2026-05-06")
    last = await post(
        client,
        f"/api/campaigns/cases/{gone['id']}/withdraw",
        {"withdrawn_on": "2026-05-08", "reason": "不构成犯罪"},
    )

    response = await client.get(
        "/api/hazards/key-areas/progress",
        params={"min_position": area["position"], "cases_position": last["position"]},
    )

    assert response.status_code == 200, response.text
    (progress,) = response.json()
    series = {m["month"]: (m["criminal"], m["public_order"]) for m in progress["cases"]}
    assert next(iter(series)) == "2025-03" and list(series)[-1] == "2026-06"
    assert len(series) == 16
    assert series["2025-04"] == (1, 0)
    assert series["2026-03"] == (2, 1)
    assert series["2026-04"] == (0, 0)
    assert series["2026-05"] == (0, 0)
