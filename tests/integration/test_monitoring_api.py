"""Food and drug risk monitoring over HTTP, in one process, on a real NATS and PostgreSQL:
commands through the relay and the bus into the monitoring views."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
import pytest

from hazards.application import HazardsApplication
from pingan.run.clock import FixedClock
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.problems import assert_problem, store_position

API = "/api/hazards"
NOW = datetime(2026, 5, 20, 4, tzinfo=UTC)
TASK: dict[str, Any] = {
    "product_kind": "food",
    "product_category": "蔬菜",
    "township": "玉泉镇",
    "place": "玉泉农贸市场",
    "starts_on": "2026-05-01",
    "ends_on": "2026-05-31",
    "organiser": "区市场监管局",
}
PASSED: dict[str, Any] = {
    "sample_number": "S-001",
    "product": "菠菜",
    "taken_on": "2026-05-10",
    "passed": True,
    "lab": "区食品检验检测中心",
}
FAILED: dict[str, Any] = {
    **PASSED,
    "sample_number": "S-002",
    "passed": False,
    "indicator": "毒死蜱",
    "measured_value": "0.8 mg/kg",
    "limit": "≤0.02 mg/kg",
}
ASSESS: dict[str, Any] = {"level": "high", "assessor": "区风险评估专家组", "basis": "农残超标"}
WARN: dict[str, Any] = {
    "level": "orange",
    "message": "叶菜类农药残留超标, 请暂停销售",
    "scope": "全区",
    "issued_by": "区食安办",
}
LIFT: dict[str, Any] = {"lifted_by": "区食安办", "reason": "跟踪抽检全部合格"}


pytestmark = pytest.mark.usefixtures("fixed_clock")


async def post(client: httpx.AsyncClient, path: str, body: Any, status: int = 200) -> Any:
    response = await client.post(f"{API}/monitoring{path}", json=body)
    assert response.status_code == status, response.text
    return response.json()


async def start(client: httpx.AsyncClient, **overrides: Any) -> str:
    created: dict[str, Any] = await post(client, "", {**TASK, **overrides}, 201)
    return str(created["id"])


DISPOSE: dict[str, Any] = {
    "measures": "同批次菠菜下架封存 120 kg, 责令召回",
    "disposed_on": "2026-05-20",
    "recorded_by": "玉泉市场监管所",
}
CLOSE_FOLLOW_UP: dict[str, Any] = {
    "outcome": "召回销毁完毕, 已立案查处",
    "closed_by": "区市场监管局",
    "closed_on": "2026-05-20",
}


async def settle(client: httpx.AsyncClient, monitoring_id: str, number: str = "S-002") -> int:
    await post(client, f"/{monitoring_id}/follow-ups/{number}/disposal", DISPOSE)
    closed = await post(client, f"/{monitoring_id}/follow-ups/{number}/close", CLOSE_FOLLOW_UP)
    return int(closed["position"])


async def under_warning(client: httpx.AsyncClient, **overrides: Any) -> tuple[str, int]:
    monitoring_id = await start(client, **overrides)
    await post(client, f"/{monitoring_id}/samples", PASSED)
    await post(client, f"/{monitoring_id}/samples", FAILED)
    await post(client, f"/{monitoring_id}/assessment", ASSESS)
    warned = await post(client, f"/{monitoring_id}/warning", WARN)
    return monitoring_id, int(warned["position"])


async def get(client: httpx.AsyncClient, path: str, position: int, **params: Any) -> Any:
    response = await client.get(
        f"{API}/monitoring{path}", params={**params, "min_position": position}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_monitoring_assessment_and_warning_show_in_the_task(
    client: httpx.AsyncClient,
) -> None:
    monitoring_id, position = await under_warning(client)

    task = await get(client, f"/{monitoring_id}", position)

    assert task["status"] == "warning"
    assert (task["samples"], task["failed"]) == (2, 1)
    assert task["risk_level"] == "high"
    assert task["warning_active"] is True
    assert task["warning_level"] == "orange"
    assert [s["sample_number"] for s in task["results"]] == ["S-001", "S-002"]
    assert task["results"][1]["indicator"] == "毒死蜱"
    assert task["results"][1]["limit"] == "≤0.02 mg/kg"
    assert [(w["warning_no"], w["level"], w["lifted_at"]) for w in task["warnings"]] == [
        (1, "orange", None)
    ]


async def test_active_warnings_list_the_warned_tasks_most_severe_first(
    client: httpx.AsyncClient,
) -> None:
    orange_id, _ = await under_warning(client)
    yellow_id = await start(
        client, township="太京镇", product_kind="drug", product_category="感冒药"
    )
    await post(client, f"/{yellow_id}/samples", FAILED)
    await post(client, f"/{yellow_id}/assessment", {**ASSESS, "level": "medium"})
    position = (await post(client, f"/{yellow_id}/warning", {**WARN, "level": "yellow"}))[
        "position"
    ]

    everywhere = await get(client, "/warnings", position)
    in_taijing = await get(client, "/warnings", position, township="太京镇")
    drugs = await get(client, "/warnings", position, product_kind="drug")

    assert [(w["monitoring_id"], w["level"]) for w in everywhere] == [
        (orange_id, "orange"),
        (yellow_id, "yellow"),
    ]
    assert [w["monitoring_id"] for w in in_taijing] == [yellow_id]
    assert [w["product_category"] for w in drugs] == ["感冒药"]


async def test_a_lifted_warning_leaves_the_active_list_and_the_task_can_close(
    client: httpx.AsyncClient,
) -> None:
    monitoring_id, _ = await under_warning(client)
    await post(client, f"/{monitoring_id}/warning/lift", LIFT)
    await settle(client, monitoring_id)
    closed = await post(client, f"/{monitoring_id}/close", {"closed_by": "区市场监管局"})

    task = await get(client, f"/{monitoring_id}", closed["position"])
    active = await get(client, "/warnings", closed["position"])

    assert task["status"] == "closed"
    assert task["warning_active"] is False
    assert task["warnings"][0]["lifted_by"] == "区食安办"
    assert task["closed_at"] is not None
    assert active == []


async def test_the_task_list_filters_by_township_kind_status_and_warning(
    client: httpx.AsyncClient,
) -> None:
    warned_id, _ = await under_warning(client)
    drug_id = await start(client, township="太京镇", product_kind="drug")
    position = (await post(client, f"/{drug_id}/samples", PASSED))["position"]

    everything = await get(client, "", position)
    warned = await get(client, "", position, warning_active=True)
    quiet = await get(client, "", position, warning_active=False)
    drugs = await get(client, "", position, product_kind="drug", township="太京镇")
    monitoring = await get(client, "", position, status="monitoring")

    assert everything["total"] == 2
    assert [t["id"] for t in everything["items"]] == [warned_id, drug_id]
    assert [t["id"] for t in warned["items"]] == [warned_id]
    assert [t["id"] for t in quiet["items"]] == [drug_id]
    assert [t["id"] for t in drugs["items"]] == [drug_id]
    assert [(t["id"], t["samples"]) for t in monitoring["items"]] == [(drug_id, 1)]


@pytest.mark.parametrize(
    ("body", "bad_field"),
    [
        ({k: v for k, v in TASK.items() if k != "township"}, "township"),
        ({**TASK, "product_kind": "cosmetics"}, "product_kind"),
        ({**TASK, "starts_on": "May Day"}, "starts_on"),
        ({**TASK, "organiser": "  "}, "organiser"),
        ({**TASK, "budget": 1}, "budget"),
    ],
)
async def test_a_bad_task_is_422_problem_and_writes_nothing(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    body: dict[str, Any],
    bad_field: str,
) -> None:
    before = await store_position(hazards)

    response = await client.post(f"{API}/monitoring", json=body)

    problem = assert_problem(response, 422)
    assert any(bad_field in error["loc"] for error in problem["errors"])
    assert await store_position(hazards) == before


@pytest.mark.parametrize(
    ("path", "body", "reason"),
    [
        ("/samples", {**PASSED, "taken_on": "2026-05-21"}, "future"),
        ("/samples", {**PASSED, "taken_on": "2026-04-30"}, "within the monitoring period"),
        ("/samples", {**FAILED, "indicator": None}, "indicator"),
        ("/samples", {**PASSED, "sample_number": "S-000"}, "already recorded"),
        ("/assessment", ASSESS, None),
    ],
)
async def test_a_command_that_breaks_a_rule_is_422_and_writes_nothing(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    path: str,
    body: dict[str, Any],
    reason: str | None,
) -> None:
    monitoring_id = await start(client)
    if reason is not None:
        await post(client, f"/{monitoring_id}/samples", {**PASSED, "sample_number": "S-000"})
    before = await store_position(hazards)

    response = await client.post(f"{API}/monitoring/{monitoring_id}{path}", json=body)

    problem = assert_problem(response, 422)
    assert problem["type"].endswith("rule-violation")
    assert reason is None or reason in problem["detail"]
    assert await store_position(hazards) == before


async def test_a_period_ending_before_it_starts_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{API}/monitoring", json={**TASK, "ends_on": "2026-04-30"})

    assert "cannot end before it starts" in assert_problem(response, 422)["detail"]


async def test_a_warning_louder_than_the_assessed_risk_is_422(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    monitoring_id = await start(client)
    await post(client, f"/{monitoring_id}/samples", FAILED)
    await post(client, f"/{monitoring_id}/assessment", {**ASSESS, "level": "medium"})
    before = await store_position(hazards)

    response = await client.post(f"{API}/monitoring/{monitoring_id}/warning", json=WARN)

    assert "up to yellow, not orange" in assert_problem(response, 422)["detail"]
    assert await store_position(hazards) == before


async def test_a_warning_before_an_assessment_is_409_naming_state_and_allowed_commands(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    monitoring_id = await start(client)
    before = await store_position(hazards)

    response = await client.post(f"{API}/monitoring/{monitoring_id}/warning", json=WARN)

    problem = assert_problem(response, 409)
    assert problem["current_state"] == "monitoring"
    assert problem["command"] == "/warning"
    assert problem["allowed_commands"] == [
        "/assessment",
        "/follow-ups/close",
        "/follow-ups/disposal",
        "/samples",
    ]
    assert await store_position(hazards) == before


async def test_closing_under_an_active_warning_is_409(client: httpx.AsyncClient) -> None:
    monitoring_id, _ = await under_warning(client)

    response = await client.post(
        f"{API}/monitoring/{monitoring_id}/close", json={"closed_by": "区市场监管局"}
    )

    assert assert_problem(response, 409)["current_state"] == "warning"


async def test_an_unknown_task_is_404_problem(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    before = await store_position(hazards)
    missing = uuid.uuid4()

    read = await client.get(f"{API}/monitoring/{missing}")
    command = await client.post(f"{API}/monitoring/{missing}/samples", json=PASSED)

    for response in (read, command):
        assert_problem(response, 404)
    assert await store_position(hazards) == before


async def test_another_records_id_is_not_a_monitoring_task(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    accident = await client.post(
        f"{API}/accidents",
        json={
            "happened_at": "2026-05-18T14:30:00+08:00",
            "township": "玉泉镇",
            "village": "莲亭村",
            "place": "仓库",
            "kind": "fire",
            "severity": "general",
            "deaths": 0,
            "serious_injuries": 0,
            "direct_loss_yuan": "1000",
            "reported_by": "镇安监站",
        },
    )
    before = await store_position(hazards)

    response = await client.post(f"{API}/monitoring/{accident.json()['id']}/samples", json=PASSED)

    assert_problem(response, 404)
    assert await store_position(hazards) == before


async def test_a_failed_sample_is_followed_up_to_its_end_and_shows_overdue_meanwhile(
    client: httpx.AsyncClient, fixed_clock: FixedClock, settings: Settings
) -> None:
    monitoring_id = await start(client)
    recorded = await post(
        client, f"/{monitoring_id}/samples", {**FAILED, "result_on": "2026-05-12"}
    )
    due = date(2026, 5, 12) + timedelta(days=settings.monitoring_follow_up_days)

    fixed_clock.set(datetime.combine(due + timedelta(days=1), time(4), UTC))
    overdue = await get(client, "/follow-ups", recorded["position"], overdue="true")
    task = await get(client, f"/{monitoring_id}", recorded["position"])
    position = await settle(client, monitoring_id)
    closed = await get(client, "/follow-ups", position, status="closed")

    assert [(f["sample_number"], f["due_on"]) for f in overdue["items"]] == [
        ("S-002", due.isoformat())
    ]
    assert overdue["items"][0]["days_to_due"] == -1
    assert task["follow_ups_open"] == 1
    assert task["follow_ups"][0]["overdue"] is True
    item = closed["items"][0]
    assert (item["status"], item["disposals"], item["overdue"]) == ("closed", 1, False)
    assert item["outcome"] == CLOSE_FOLLOW_UP["outcome"]
    assert item["on_time"] is True


async def test_closing_a_task_with_an_open_follow_up_is_422(client: httpx.AsyncClient) -> None:
    monitoring_id = await start(client)
    await post(client, f"/{monitoring_id}/samples", FAILED)
    await post(client, f"/{monitoring_id}/assessment", ASSESS)

    response = await client.post(
        f"{API}/monitoring/{monitoring_id}/close", json={"closed_by": "区市场监管局"}
    )

    assert "S-002 are still open" in assert_problem(response, 422)["detail"]


async def test_when_the_office_so_configures_a_failed_sample_reports_a_hazard(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(hazards.settings, "monitoring_failed_sample", "hazard")
    monitoring_id = await start(client)
    before = await store_position(hazards)

    refused = await client.post(f"{API}/monitoring/{monitoring_id}/samples", json=FAILED)
    assert "needs the village" in assert_problem(refused, 422)["detail"]
    assert await store_position(hazards) == before
    recorded = await post(client, f"/{monitoring_id}/samples", {**FAILED, "village": "莲亭村"})

    task = await get(client, f"/{monitoring_id}", recorded["position"])
    hazard_id = task["results"][0]["hazard_id"]
    response = await client.get(
        f"{API}/hazards/{hazard_id}", params={"min_position": recorded["position"]}
    )
    assert response.status_code == 200, response.text
    hazard = response.json()
    assert (hazard["category"], hazard["source"], hazard["village"]) == (
        "food_drug",
        "inspection",
        "莲亭村",
    )
    assert task["follow_ups"] == []
    assert task["follow_ups_open"] == 0
