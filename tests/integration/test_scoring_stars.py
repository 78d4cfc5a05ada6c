"""A family's ten stars over the real API: stars awarded and withdrawn with problems for a
bad step, the family list by tier and township, a township officer kept to their township,
and the bar a revoked community title puts on new stars until an upheld appeal restores it."""

from __future__ import annotations

from typing import Any

import httpx

from pingan.auth.principal import Role
from pingan.run.settings import Settings
from tests.integration.test_scoring_api import (
    TOWN,
    get,
    hierarchy,
    name_community,
    post,
    scoring_clock,
    unit,
)
from tests.problems import assert_problem
from tests.tokens import bearer, mint

__all__ = ["scoring_clock"]
ZH = {"Accept-Language": "zh-CN"}


async def family(client: httpx.AsyncClient) -> tuple[str, dict[str, dict[str, Any]]]:
    units = await hierarchy(client)
    found = await unit(client, "family", "王家", township=TOWN, village="莲亭", address="莲亭1号")
    return found["id"], units


async def award(client: httpx.AsyncClient, family_id: str, star: str, status: int = 200) -> Any:
    body = {"star": star, "reason": "村民评议通过", "awarded_on": "2026-06-20"}
    return await post(client, f"/families/{family_id}/stars", body, status)


async def test_stars_are_awarded_withdrawn_and_listed_by_tier(
    scoring_client: httpx.AsyncClient,
) -> None:
    client = scoring_client
    family_id, units = await family(client)
    for star in ("law", "团结星", "safety"):
        await award(client, family_id, star)
    withdrawn = await post(
        client,
        f"/families/{family_id}/stars/safety/withdrawal",
        {"reason": "发生火灾", "withdrawn_on": "2026-06-20"},
    )

    shown = await get(client, f"/families/{family_id}/stars", withdrawn["position"])
    assert (shown["year"], shown["stars"], shown["tier"]) == (2026, ["law", "unity"], 2)
    assert shown["tier_label"] == "二星级平安家庭"
    assert [(c["star"], c["change"]) for c in shown["changes"]][:2] == [
        ("safety", "withdrawn"),
        ("safety", "awarded"),
    ]
    listed = await get(client, "/families", withdrawn["position"], tier=2, township=TOWN)
    assert [f["id"] for f in listed["items"]] == [family_id] and listed["total"] == 1
    assert (await get(client, "/families", tier=3))["total"] == 0
    lapsed = await get(client, f"/families/{family_id}/stars", year=2027)
    assert (lapsed["tier"], lapsed["lapsed"]) == (0, ["law", "unity"])

    again = await client.post(
        f"/api/scoring/families/{family_id}/stars",
        json={"star": "法纪", "reason": "-"},
        headers=ZH,
    )
    assert "2026 年度已评定法纪星" in assert_problem(again, 422)["detail"]
    unknown = await client.post(
        f"/api/scoring/families/{family_id}/stars", json={"star": "wealth", "reason": "-"}
    )
    assert "unknown star wealth" in assert_problem(unknown, 422)["detail"]
    missing = await client.post(
        f"/api/scoring/families/{family_id}/stars/care/withdrawal", json={"reason": "-"}
    )
    assert "not awarded" in assert_problem(missing, 422)["detail"]
    community = units["community"]["id"]
    not_family = await client.post(
        f"/api/scoring/families/{community}/stars", json={"star": "law", "reason": "-"}, headers=ZH
    )
    assert "不是家庭" in assert_problem(not_family, 422)["detail"]


async def test_a_township_officer_rates_only_families_of_their_township(
    scoring_client: httpx.AsyncClient, settings: Settings
) -> None:
    family_id, _ = await family(scoring_client)

    def officer(township: str) -> dict[str, str]:
        token = mint(settings, Role.TOWNSHIP_OFFICER, subject=f"o-{township}", township=township)
        return bearer(token)

    body = {"star": "law", "reason": "村民评议"}
    path = f"/api/scoring/families/{family_id}/stars"
    away = await scoring_client.post(path, json=body, headers=officer("太京镇"))
    assert assert_problem(away, 403)["type"].endswith("other-township")
    retry = {**officer(TOWN), "Idempotency-Key": "award-law-1"}
    home = await scoring_client.post(path, json=body, headers=retry)
    assert home.status_code == 200, home.text
    again = await scoring_client.post(path, json=body, headers=retry)
    assert again.status_code == 200 and again.json() == home.json()


async def test_a_revoked_community_bars_its_families_until_an_appeal_restores_it(
    scoring_client: httpx.AsyncClient,
) -> None:
    client = scoring_client
    family_id, units = await family(client)
    community = units["community"]["id"]
    await name_community(client, community)
    await post(
        client,
        f"/units/{community}/revocation",
        {"reason": "创建工作弄虚作假", "revoked_on": "2026-06-19"},
    )

    barred = await client.post(
        f"/api/scoring/families/{family_id}/stars",
        json={"star": "law", "reason": "村民评议"},
        headers=ZH,
    )
    detail = assert_problem(barred, 422)["detail"]
    assert "莲亭社区 于 2026-06-19 被摘牌" in detail and "2027-06-19 前不得评星" in detail
    await post(client, f"/units/{community}/appeals", {"reason": "举报不实"})
    await post(
        client,
        f"/units/{community}/appeals/decision",
        {"number": 1, "upheld": True, "reason": "成立"},
    )
    awarded = await award(client, family_id, "law")
    shown = await get(client, f"/families/{family_id}/stars", awarded["position"])
    assert shown["stars"] == ["law"]
