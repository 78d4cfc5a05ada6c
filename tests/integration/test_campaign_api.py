"""Campaigns, cases and mass incidents over HTTP, in one process, on a real NATS and
PostgreSQL: commands through the relay and the bus into the ledger and the dashboards."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from campaigns.application import CampaignsApplication
from pingan.auth.principal import Role
from pingan.privacy import WITHHELD
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.problems import assert_problem
from tests.tokens import bearer, mint

API = "/api/campaigns"
NOW = datetime(2026, 6, 20, 4, tzinfo=UTC)
SPRING = {"starts_on": "2026-03-01", "ends_on": "2026-05-31"}
CASE: dict[str, Any] = {
    "kind": "theft",
    "township": "玉泉镇",
    "village": "莲亭村",
    "place": "莲亭批发市场",
    "happened_at": "2026-03-02T21:00:00+08:00",
    "registered_on": "2026-03-03",
    "registered_by": "玉泉派出所",
}

pytestmark = pytest.mark.usefixtures("campaigns_clock")


async def post(
    client: httpx.AsyncClient, path: str, body: Any, status: int = 200, **kw: Any
) -> Any:
    response = await client.post(f"{API}{path}", json=body, **kw)
    assert response.status_code == status, response.text
    return response.json()


async def get(client: httpx.AsyncClient, path: str, position: int, **params: Any) -> Any:
    response = await client.get(f"{API}{path}", params={**params, "min_position": position})
    assert response.status_code == 200, response.text
    return response.json()


async def plan(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    body = {
        "kind": "两抢一盗",
        "name": "2026 春季两抢一盗专项行动",
        "lead_unit": "秦州公安分局",
        "planned_by": "区委政法委",
        "business_date": "2026-02-20",
        **SPRING,
        **overrides,
    }
    created: dict[str, Any] = await post(client, "/campaigns", body, 201)
    return created


async def register(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    created: dict[str, Any] = await post(client, "/cases", {**CASE, **overrides}, 201)
    return created


async def board(client: httpx.AsyncClient, campaign: dict[str, Any], position: int) -> Any:
    return await get(client, f"/campaigns/{campaign['id']}/dashboard", position)


async def test_a_campaign_runs_from_planned_to_concluded_keeping_its_adjustments(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    created = await plan(client, kind="打黑除恶", targets={"cases_solved": 10, "arrests": 30})
    path = f"/campaigns/{created['id']}"
    await post(client, f"{path}/launch", {"launched_on": "2026-03-01"})
    await post(
        client,
        f"{path}/adjustments",
        {
            "reason": "上级部署延长至年底",
            "ends_on": "2026-12-31",
            "targets": {"cases_solved": 20},
            "business_date": "2026-04-01",
        },
    )
    done = await post(
        client, f"{path}/conclude", {"concluded_on": "2026-06-19", "summary": "共破案 12 起"}
    )

    campaign = await get(client, path, done["position"])
    history = await get(client, f"{path}/history", 0)
    listed = await get(client, "/campaigns", done["position"], kind="打黑除恶")

    assert (campaign["kind"], campaign["kind_name"]) == ("organised_crime", "常态化扫黑除恶")
    assert campaign["status"] == "concluded"
    assert campaign["ends_on"] == "2026-12-31"
    assert campaign["targets"]["cases_solved"] == 20
    assert campaign["targets"]["arrests"] is None
    assert (campaign["adjustments"], campaign["adjustment_reason"]) == (1, "上级部署延长至年底")
    assert campaign["summary"] == "共破案 12 起"
    assert [c["id"] for c in listed["items"]] == [created["id"]]
    assert [e["event"] for e in history["entries"]] == [
        "Planned",
        "Launched",
        "Adjusted",
        "Concluded",
    ]


async def test_an_illegal_step_is_a_409_problem_in_chinese_by_default(
    campaigns_client: httpx.AsyncClient,
) -> None:
    created = await plan(campaigns_client)
    path = f"{API}/campaigns/{created['id']}/conclude"
    body = {"concluded_on": "2026-06-01", "summary": "x"}

    english = await campaigns_client.post(path, json=body)
    chinese = await campaigns_client.post(path, json=body, headers={"Accept-Language": "zh-CN"})

    assert assert_problem(english, 409)["allowed_commands"] == ["/adjustments", "/launch", "/links"]
    assert "专项行动" in assert_problem(chinese, 409)["detail"]


async def test_an_unknown_kind_is_refused_with_a_problem(
    campaigns_client: httpx.AsyncClient,
) -> None:
    response = await campaigns_client.post(
        f"{API}/cases", json={**CASE, "kind": "偷菜"}, headers={"Accept-Language": "zh-CN"}
    )

    assert assert_problem(response, 422)["detail"] == "未知的案件类别:偷菜"


async def test_a_case_counts_toward_every_campaign_whose_kind_jurisdiction_and_period_match(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    district = await plan(client)
    yuquan = await plan(client, name="玉泉镇两抢一盗", townships=["玉泉镇"])
    campus = await plan(client, kind="校园周边治安整治", name="校园周边整治")
    drugs = await plan(client, kind="禁毒", name="禁毒专项")
    await register(client, township="太京镇", village="窝驼村", registered_on="2026-04-02")
    await register(client, place_tags=["campus"], registered_on="2026-05-06")
    await register(client, registered_on="2026-02-27", happened_at="2026-02-26T10:00:00+08:00")
    last = await register(client, kind="吸毒", registered_on="2026-04-10")

    counts = {
        name: (await board(client, c, last["position"]))
        for name, c in (("district", district), ("yuquan", yuquan), ("campus", campus))
    }
    drug_board = await board(client, drugs, last["position"])

    assert counts["district"]["criminal"]["registered"] == 2
    assert [m["month"] for m in counts["district"]["months"]] == ["2026-04", "2026-05"]
    assert counts["yuquan"]["criminal"]["registered"] == 1
    assert counts["campus"]["criminal"]["registered"] == 1
    assert drug_board["criminal"]["registered"] == 0
    assert drug_board["public_order"]["registered"] == 1


async def test_clearance_counts_cases_solved_in_the_period_even_if_registered_before(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    campaign = await plan(client, targets={"cases_solved": 4, "clearance_rate": "80"})
    old = await register(
        client, registered_on="2026-02-10", happened_at="2026-02-09T08:00:00+08:00"
    )
    older = await register(
        client,
        kind="robbery",
        deaths=1,
        registered_on="2026-01-05",
        happened_at="2026-01-04T23:00:00+08:00",
    )
    current = await register(client)
    await register(client, registered_on="2026-03-10")
    await post(client, f"/cases/{old['id']}/solve", {"solved_on": "2026-03-05"})
    await post(client, f"/cases/{older['id']}/solve", {"solved_on": "2026-03-07"})
    done = await post(client, f"/cases/{current['id']}/solve", {"solved_on": "2026-03-20"})

    figures = await board(client, campaign, done["position"])

    criminal = figures["criminal"]
    assert (criminal["registered"], criminal["solved"]) == (2, 3)
    assert criminal["solved_registered_in_period"] == 1
    assert criminal["old_cases_solved"] == 2
    assert criminal["clearance_rate"] == "150.0"
    assert criminal["current_clearance_rate"] == "50.0"
    homicide = figures["homicide"]
    assert (homicide["registered"], homicide["solved"], homicide["old_cases_solved"]) == (0, 1, 1)
    assert homicide["current_clearance_rate"] is None
    progress = {t["measure"]: t for t in figures["targets"]}
    assert progress["cases_solved"]["attained"] == "75.0"
    assert progress["clearance_rate"]["actual"] == "150.0"


async def test_results_are_summed_by_type_against_the_targets(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    campaign = await plan(
        client,
        kind="禁毒",
        targets={"arrests": 4, "gangs": 1, "seizures": {"drugs": "1000", "guns": 2}},
    )
    case = await register(client, kind="贩毒")
    path = f"/cases/{case['id']}"
    await post(client, f"{path}/apprehensions", {"count": 3, "apprehended_on": "2026-03-04"})
    await post(client, f"{path}/gangs", {"count": 1, "dismantled_on": "2026-03-04"})
    seized = {
        "seized_on": "2026-03-04",
        "seizures": [
            {"type": "drugs", "drug": "海洛因", "quantity": "250.5"},
            {"type": "drugs", "drug": "冰毒", "quantity": "100"},
            {"type": "guns", "quantity": "1"},
        ],
    }
    await post(client, f"{path}/seizures", seized)
    late = {"seized_on": "2026-06-02", "seizures": [{"type": "guns", "quantity": "1"}]}
    done = await post(client, f"{path}/seizures", late)

    figures = await board(client, campaign, done["position"])
    ledger = await get(client, path, done["position"])

    assert (figures["arrests"], figures["gangs"]) == (3, 1)
    assert figures["seizures"] == {"drugs": "350.5", "guns": "1"}
    assert figures["drugs_by_drug"] == {"海洛因": "250.5", "冰毒": "100"}
    progress = {t["measure"]: t["attained"] for t in figures["targets"]}
    assert progress == {"arrests": "75.0", "gangs": "100.0", "drugs": "35.1", "guns": "50.0"}
    assert ledger["seizures"]["guns"] == "2"
    assert ledger["suspects_apprehended"] == 3


async def test_withdrawal_and_reclassification_move_what_a_case_counted(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    theft = await plan(client)
    drugs = await plan(client, kind="禁毒", name="禁毒专项")
    withdrawn = await register(client)
    moved = await register(client)
    await post(
        client, f"/cases/{moved['id']}/apprehensions", {"count": 2, "apprehended_on": "2026-03-05"}
    )
    await post(
        client,
        f"/cases/{withdrawn['id']}/withdraw",
        {"withdrawn_on": "2026-03-09", "reason": "不构成犯罪"},
    )
    done = await post(
        client, f"/cases/{moved['id']}/reclassification", {"kind": "贩毒", "reason": "查明系贩毒"}
    )

    theft_board = await board(client, theft, done["position"])
    drugs_board = await board(client, drugs, done["position"])
    ledger = await get(client, "/cases", done["position"], status="withdrawn", kind="盗窃")

    assert (theft_board["criminal"]["registered"], theft_board["arrests"]) == (0, 0)
    assert (drugs_board["criminal"]["registered"], drugs_board["arrests"]) == (1, 2)
    assert [c["id"] for c in ledger["items"]] == [withdrawn["id"]]


async def test_a_case_linked_by_hand_counts_though_it_does_not_match(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    campaign = await plan(client)
    case = await register(client, kind="诈骗")
    done = await post(
        client,
        f"/campaigns/{campaign['id']}/links",
        {"case_id": case["id"], "reason": "专项行动中破获"},
    )

    figures = await board(client, campaign, done["position"])

    assert (figures["criminal"]["registered"], figures["linked_cases"]) == (1, 1)


async def test_the_ledger_keeps_criminal_and_public_order_cases_apart_and_pages(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    await register(client)
    await register(client, registered_on="2026-03-04")
    last = await register(client, kind="殴打他人", registered_on="2026-03-05")

    criminal = await get(client, "/cases", last["position"], category="criminal", limit=1)
    public = await get(client, "/cases", last["position"], category="public_order")

    assert (criminal["total"], len(criminal["items"])) == (2, 1)
    assert criminal["items"][0]["registered_on"] == "2026-03-04"
    assert [c["kind_name"] for c in public["items"]] == ["殴打他人"]


async def test_a_major_case_by_rule_or_by_flag_carries_its_basis(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    by_rule = await register(client, serious_injuries=3, unit_id="unit-lianting-market")
    flagged = await register(client)
    done = await post(client, f"/cases/{flagged['id']}/major", {"reason": "社会影响恶劣"})

    rule_case = await get(client, f"/cases/{by_rule['id']}", done["position"])
    flag_case = await get(client, f"/cases/{flagged['id']}", done["position"])
    majors = await get(client, "/cases", done["position"], major="true")

    assert (rule_case["major"], rule_case["major_basis"]) == (True, "injuries")
    assert (flag_case["major_basis"], flag_case["major_reason"]) == ("officer", "社会影响恶劣")
    assert majors["total"] == 2


async def test_suspects_are_sealed_and_shown_only_to_whom_may_see_them(
    campaigns_client: httpx.AsyncClient,
    campaigns: ServiceRuntime[CampaignsApplication],
    settings: Settings,
) -> None:
    client = campaigns_client
    case = await register(client)
    done = await post(
        client,
        f"/cases/{case['id']}/apprehensions",
        {"count": 2, "apprehended_on": "2026-03-04", "suspects": [{"name": "王五"}]},
    )
    police = bearer(mint(settings, Role.POLICE, subject="police-li", station="玉泉镇"))

    office_view = await get(client, f"/cases/{case['id']}", done["position"])
    police_view = await client.get(f"{API}/cases/{case['id']}", headers=police)
    history = await get(client, f"/cases/{case['id']}/history", 0)

    assert [s["name"] for s in office_view["suspects"]] == ["王五"]
    assert [s["name"] for s in police_view.json()["suspects"]] == [WITHHELD]
    assert "王五" not in str(history)


async def test_a_police_station_acts_and_reads_in_its_own_township_only(
    campaigns_client: httpx.AsyncClient, settings: Settings
) -> None:
    police = bearer(mint(settings, Role.POLICE, subject="police-li", station="玉泉镇"))
    client = campaigns_client
    own = await post(client, "/cases", CASE, 201, headers=police)
    other = {**CASE, "township": "太京镇", "village": "窝驼村"}
    refused = await client.post(f"{API}/cases", json=other, headers=police)
    await register(client, **{k: v for k, v in other.items() if k != "kind"})

    listed = await client.get(
        f"{API}/cases", params={"min_position": own["position"]}, headers=police
    )
    planning = await client.post(f"{API}/campaigns", json={}, headers=police)

    assert assert_problem(refused, 403)["type"].endswith("other-township")
    assert [c["township"] for c in listed.json()["items"]] == ["玉泉镇"]
    assert_problem(planning, 403)


async def test_a_retried_registration_with_its_key_makes_one_case(
    campaigns_client: httpx.AsyncClient,
) -> None:
    headers = {"Idempotency-Key": "case-2026-0001"}
    first = await campaigns_client.post(f"{API}/cases", json=CASE, headers=headers)
    again = await campaigns_client.post(f"{API}/cases", json=CASE, headers=headers)

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"


async def test_a_mass_incident_is_reported_and_resolved(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    report = {
        "happened_at": "2026-06-18T09:00:00+08:00",
        "township": "玉泉镇",
        "village": "莲亭村",
        "place": "莲亭村委会门前",
        "unit_id": "unit-lianting-village",
        "participants": 60,
        "cause": "征地补偿纠纷",
        "handling": "镇党委书记现场接访,派出所维持秩序",
        "reported_by": "玉泉镇综治办",
    }
    created = await post(client, "/mass-incidents", report, 201)
    path = f"/mass-incidents/{created['id']}"
    done = await post(
        client, f"{path}/resolve", {"resolved_on": "2026-06-19", "outcome": "达成补偿协议"}
    )

    incident = await get(client, path, done["position"])
    listed = await get(client, "/mass-incidents", done["position"], unit_id="unit-lianting-village")
    again = await client.post(
        f"{API}{path}/resolve", json={"resolved_on": "2026-06-19", "outcome": "x"}
    )

    assert (incident["status"], incident["participants"]) == ("resolved", 60)
    assert incident["outcome"] == "达成补偿协议"
    assert listed["total"] == 1
    assert_problem(again, 409)


async def test_the_kinds_list_the_shipped_names_with_the_sources_as_aliases(
    campaigns_client: httpx.AsyncClient,
) -> None:
    response = await campaigns_client.get(f"{API}/kinds")

    kinds = {k["code"]: k for k in response.json()["campaign_kinds"]}
    assert kinds["organised_crime"]["name"] == "常态化扫黑除恶"
    assert "打黑除恶" in kinds["organised_crime"]["aliases"]
    assert kinds["telecom_fraud"]["name"] == "电信网络诈骗"
    assert kinds["campus_surroundings"]["place_tag"] == "campus"
    assert len(kinds) == 10


async def test_a_case_solved_in_the_next_period_counts_there_and_not_in_its_own(
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    march = await plan(client, name="三月", starts_on="2026-03-01", ends_on="2026-03-31")
    april = await plan(client, name="四月", starts_on="2026-04-01", ends_on="2026-04-30")
    late = await register(client)
    await register(client, registered_on="2026-04-02")
    done = await post(client, f"/cases/{late['id']}/solve", {"solved_on": "2026-04-03"})

    in_march = (await board(client, march, done["position"]))["criminal"]
    in_april = (await board(client, april, done["position"]))["criminal"]

    assert (in_march["registered"], in_march["solved"], in_march["clearance_rate"]) == (1, 0, "0.0")
    assert (in_april["registered"], in_april["solved"], in_april["old_cases_solved"]) == (1, 1, 1)
    assert (in_april["clearance_rate"], in_april["current_clearance_rate"]) == ("100.0", "0.0")
