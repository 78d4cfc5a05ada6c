"""The monthly analysis and the quarterly report over HTTP, on a real NATS and PostgreSQL:
their figures are the situation view's, moved by withdrawal and reclassification."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from campaigns.domain.comparison import compare
from pingan.auth.principal import Role
from pingan.run.settings import Settings
from tests.problems import assert_problem
from tests.tokens import bearer, mint

API = "/api/campaigns"
NOW = datetime(2026, 6, 20, 4, tzinfo=UTC)
YUQUAN = {"township": "玉泉镇", "village": "莲亭村"}
TAIJING = {"township": "太京镇", "village": "窝驼村"}

pytestmark = pytest.mark.usefixtures("campaigns_clock")


async def post(client: httpx.AsyncClient, path: str, body: Any, status: int = 200) -> Any:
    response = await client.post(f"{API}{path}", json=body)
    assert response.status_code == status, response.text
    return response.json()


async def register(
    client: httpx.AsyncClient, day: str, kind: str = "theft", **overrides: Any
) -> dict[str, Any]:
    body = {
        "kind": kind,
        **YUQUAN,
        "place": "莲亭批发市场",
        "happened_at": f"{day}T08:00:00+08:00",
        "registered_on": day,
        "registered_by": "玉泉派出所",
        **overrides,
    }
    created: dict[str, Any] = await post(client, "/cases", body, 201)
    return created


CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


async def read(client: httpx.AsyncClient, path: str, position: int, **params: Any) -> Any:
    """Chinese first, as the office reads it (the client asks for English by default)."""
    response = await client.get(
        f"{API}{path}", params={**params, "min_position": position}, headers=CHINESE
    )
    assert response.status_code == 200, response.text
    return response


def row(analysis: dict[str, Any], level: str, township: Any, kind: Any, cat: str) -> Any:
    (found,) = [
        r
        for r in analysis["rows"]
        if (r["level"], r["township"], r["kind"], r["category"]) == (level, township, kind, cat)
    ]
    return found


def expect(comparison: dict[str, Any], current: int, base: int) -> None:
    c = compare(current, base)
    assert comparison["base"] == base
    assert comparison["difference"] == current - base
    assert comparison["p_value"] == c.p_value
    assert comparison["significant"] is c.significant
    assert (
        comparison["percent"] is None
        if c.percent is None
        else comparison["percent"] == str(c.percent)
    )


async def history(client: httpx.AsyncClient) -> int:
    """玉泉镇 thefts: May 2026 three (one solved), April one, January two; May 2025 one,
    February 2025 one. 太京镇: one theft in May 2026. One public-order case in May."""
    for day in ("2026-01-05", "2026-01-20", "2026-04-11", "2025-05-03", "2025-02-14"):
        await register(client, day)
    solved = await register(client, "2026-05-02")
    await register(client, "2026-05-09")
    await register(client, "2026-05-21")
    await register(client, "2026-05-12", **TAIJING)
    await register(client, "2026-05-15", kind="drug_use")
    done = await post(client, f"/cases/{solved['id']}/solve", {"solved_on": "2026-05-30"})
    position: int = done["position"]
    return position


async def test_the_monthly_analysis_compares_cells_and_totals_with_significance(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    position = await history(client)

    found = (await read(client, "/situation/monthly", position, month="2026-05")).json()

    cell = row(found, "cell", "玉泉镇", "theft", "criminal")
    assert (cell["registered"], cell["solved"], cell["kind_name"]) == (3, 1, "盗窃")
    expect(cell["month_on_month"], 3, 1)
    expect(cell["year_on_year"], 3, 1)
    assert cell["year_to_date"] == 6
    expect(cell["year_to_date_on_last_year"], 6, 2)
    district = row(found, "district", None, None, "criminal")
    assert district["registered"] == 4
    expect(district["month_on_month"], 4, 1)
    kind = row(found, "kind", None, "theft", "criminal")
    assert kind["registered"] == 4
    town = row(found, "township", "太京镇", None, "criminal")
    expect(town["year_on_year"], 1, 0)
    public = row(found, "district", None, None, "public_order")
    assert public["registered"] == 1
    assert found["warnings"] == []


async def test_the_monthly_csv_and_page_carry_the_same_figures(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    position = await history(client)

    chinese = await read(
        client, "/situation/monthly.csv", position, month="2026-05", township="玉泉镇"
    )
    english = await client.get(
        f"{API}/situation/monthly.csv", params={"month": "2026-05", "township": "玉泉镇"}
    )
    page = await read(
        client, "/situation/monthly.html", position, month="2026-05", township="玉泉镇"
    )

    assert chinese.content.startswith("\ufeff".encode())
    lines = chinese.content.decode("utf-8-sig").splitlines()
    heads = lines[0].split(",")
    assert heads[:6] == ["层级", "乡镇(街道)", "类别", "案别", "本月立案数", "其中已破"]
    theft = next(line.split(",") for line in lines if ",盗窃," in line and "玉泉镇" in line)
    assert theft[4:8] == ["3", "1", "1", "2"]
    assert english.text.lstrip("\ufeff").startswith("level,township,category,kind,registered")
    html = page.text
    assert "玉泉镇2026年5月治安形势分析" in html
    assert "@media print" in html and "http" not in html.split("</style>")[0]
    assert "<td>3</td><td>1</td><td>1</td><td>+2</td>" in html
    assert "本期无预警" in html


async def test_withdrawal_and_reclassification_move_the_months_counts(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    gone = await register(client, "2026-05-03")
    moved = await register(client, "2026-05-04")
    await register(client, "2026-05-05")
    await post(
        client,
        f"/cases/{gone['id']}/withdraw",
        {"withdrawn_on": "2026-05-10", "reason": "不构成犯罪"},
    )
    done = await post(
        client, f"/cases/{moved['id']}/reclassification", {"kind": "抢劫", "reason": "查明系抢劫"}
    )

    found = (await read(client, "/situation/monthly", done["position"], month="2026-05")).json()

    assert row(found, "cell", "玉泉镇", "theft", "criminal")["registered"] == 1
    assert row(found, "cell", "玉泉镇", "robbery", "criminal")["registered"] == 1
    assert row(found, "district", None, None, "criminal")["registered"] == 2


async def test_a_township_officer_sees_only_their_township(
    campaigns_client: httpx.AsyncClient, settings: Settings
) -> None:
    client = campaigns_client
    position = await history(client)
    police = bearer(mint(settings, Role.POLICE, subject="police-li", station="玉泉镇"))
    params: dict[str, Any] = {"month": "2026-05", "min_position": position}

    own = await client.get(f"{API}/situation/monthly", params=params, headers=police)
    other = await client.get(
        f"{API}/situation/monthly", params={**params, "township": "太京镇"}, headers=police
    )
    report = await client.get(
        f"{API}/reports/quarterly", params={"year": 2026, "quarter": 2}, headers=police
    )

    assert own.status_code == 200, own.text
    assert {r["township"] for r in own.json()["rows"]} == {"玉泉镇", None}
    assert row(own.json(), "district", None, None, "criminal")["registered"] == 3
    assert_problem(other, 403)
    assert [r["township"] for r in report.json()["rows"]] == ["玉泉镇"]


async def test_a_bad_month_is_a_problem(campaigns_client: httpx.AsyncClient) -> None:
    response = await campaigns_client.get(f"{API}/situation/monthly", params={"month": "2026-13"})

    assert_problem(response, 422)


async def test_the_quarterly_report_shows_clearance_and_homicides_apart_with_totals(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    campaign = await post(
        client,
        "/campaigns",
        {
            "kind": "两抢一盗",
            "name": "2026 夏季两抢一盗专项行动",
            "lead_unit": "秦州公安分局",
            "planned_by": "区委政法委",
            "business_date": "2026-03-20",
            "starts_on": "2026-04-01",
            "ends_on": "2026-06-30",
        },
        201,
    )
    await register(client, "2025-05-06")
    old = await register(client, "2026-01-10", kind="robbery", deaths=1)
    new = await register(client, "2026-04-15", kind="robbery", deaths=1)
    theft = await register(client, "2026-05-20", **TAIJING)
    await register(client, "2026-06-02", kind="drug_use")
    await post(client, f"/cases/{old['id']}/solve", {"solved_on": "2026-04-20"})
    await post(client, f"/cases/{new['id']}/solve", {"solved_on": "2026-04-25"})
    done = await post(client, f"/cases/{theft['id']}/solve", {"solved_on": "2026-06-01"})
    params = {"year": 2026, "quarter": 2}

    report = (await read(client, "/reports/quarterly", done["position"], **params)).json()
    table = await read(client, "/reports/quarterly.csv", done["position"], **params)
    page = await read(client, "/reports/quarterly.html", done["position"], **params)

    taijing, yuquan = report["rows"]
    assert (taijing["township"], yuquan["township"]) == ("太京镇", "玉泉镇")
    assert (yuquan["criminal_registered"], yuquan["criminal_registered_last_year"]) == (1, 1)
    assert (yuquan["criminal_solved"], yuquan["criminal_current_solved"]) == (2, 1)
    assert yuquan["criminal_clearance_rate"] == "200.0"
    assert (yuquan["homicide_registered"], yuquan["homicide_current_solved"]) == (1, 1)
    assert yuquan["homicide_old_solved"] == 1
    assert yuquan["public_order_registered"] == 1
    total = report["total"]
    assert (total["township"], total["criminal_registered"], total["criminal_solved"]) == (
        "合计",
        2,
        3,
    )
    assert total["criminal_current_clearance_rate"] == "100.0"
    assert total["homicide_current_clearance_rate"] == "100.0"
    (progress,) = report["campaigns"]
    assert progress["id"] == campaign["id"]
    assert (progress["registered"], progress["solved"]) == (2, 3)
    lines = table.content.decode("utf-8-sig").splitlines()
    assert table.content.startswith("\ufeff".encode())
    assert lines[0].startswith("乡镇(街道),刑事案件立案数,去年同期")
    assert lines[-1].startswith("合计,2,1,")
    assert "2026年第2季度治安形势报告" in page.text
    assert "破命案积案 1 起" in page.text
    assert "2026 夏季两抢一盗专项行动" in page.text
