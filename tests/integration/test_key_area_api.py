"""Key areas over HTTP, in one process, on a real NATS and PostgreSQL: commands through the
relay and the bus into the key-area view, and progress joined with the hazard register."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import httpx
import pytest
from eventsourcing.persistence import IntegrityError

from hazards.application import HazardsApplication
from hazards.domain.key_area import KeyAreaKind, KeyAreaStatus
from hazards.domain.vocabulary import Category, Source
from pingan.run.clock import FixedClock
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.write.domain import RuleViolation
from pingan.write.metadata import EventMetadata
from tests.problems import assert_problem, store_position
from tests.tokens import inspector_headers

API = "/api/hazards"
NOW = datetime(2026, 6, 1, 4, tzinfo=UTC)
TODAY = date(2026, 6, 1)
AREA: dict[str, Any] = {
    "name": "火车站城乡结合部",
    "kind": "urban_rural_fringe",
    "township": "天水郡街道",
    "village": "红山社区",
    "description": "盗窃案件易发",
    "designated_by": "区综治办",
}
PLAN: dict[str, Any] = {
    "measures": "增设监控, 清理出租房屋",
    "responsible_unit": "天水郡派出所",
    "deadline": "2026-12-31",
    "combined_with": "城中村改造",
}
REPORT: dict[str, Any] = {
    "title": "电动车楼道充电",
    "category": "fire",
    "source": "grid_worker",
    "township": "玉泉镇",
    "village": "莲亭村",
    "address": "莲亭村三巷",
    "reporter": "网格员 李",
}


pytestmark = pytest.mark.usefixtures("fixed_clock")


async def post(
    client: httpx.AsyncClient,
    path: str,
    body: Any,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Any:
    response = await client.post(f"{API}{path}", json=body, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


async def designate(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    created: dict[str, Any] = await post(client, "/key-areas", {**AREA, **overrides}, 201)
    return created


async def review(client: httpx.AsyncClient, key_area_id: str, improved: bool) -> int:
    body = {
        "reviewer": "区综治办 张",
        "reviewed_on": TODAY.isoformat(),
        "findings": "发案明显下降" if improved else "仍有聚赌",
        "public_order_improved": improved,
    }
    position: int = (await post(client, f"/key-areas/{key_area_id}/reviews", body))["position"]
    return position


async def test_a_key_area_goes_from_designated_to_delisted_in_the_view(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(f"{API}/key-areas", json=AREA)
    assert response.status_code == 201, response.text
    key_area_id = response.json()["id"]
    assert response.headers["Location"].endswith(f"/key-areas/{key_area_id}")

    await post(client, f"/key-areas/{key_area_id}/plan", PLAN)
    await review(client, key_area_id, improved=False)
    await review(client, key_area_id, improved=True)
    delisted = await post(
        client,
        f"/key-areas/{key_area_id}/delist",
        {"delisted_by": "区委政法委", "reason": "治安面貌根本改变"},
    )

    view = await client.get(
        f"{API}/key-areas/{key_area_id}", params={"min_position": delisted["position"]}
    )
    assert view.status_code == 200, view.text
    area = view.json()
    assert area["status"] == "delisted"
    assert area["kind"] == "urban_rural_fringe"
    assert area["measures"] == PLAN["measures"]
    assert area["combined_with"] == "城中村改造"
    assert area["deadline"] == "2026-12-31"
    assert area["reviews"] == 2
    assert area["public_order_improved"] is True
    assert area["last_findings"] == "发案明显下降"
    assert area["delisting_reason"] == "治安面貌根本改变"
    assert area["position"] == delisted["position"]


async def test_key_areas_list_filters_and_paginates(client: httpx.AsyncClient) -> None:
    fringe = await designate(client)
    mine = await designate(
        client, name="矿区", kind="industrial_mining", township="太京镇", village="窝驼村"
    )
    rental = await designate(client, name="出租屋片区", kind="rental_housing")
    planned = await post(client, f"/key-areas/{rental['id']}/plan", PLAN)
    at = {"min_position": planned["position"]}

    by_township = await client.get(f"{API}/key-areas", params={**at, "township": "天水郡街道"})
    by_kind = await client.get(f"{API}/key-areas", params={**at, "kind": "industrial_mining"})
    by_status = await client.get(f"{API}/key-areas", params={**at, "status": "under_rectification"})
    first_page = await client.get(f"{API}/key-areas", params={**at, "limit": 2})
    second_page = await client.get(f"{API}/key-areas", params={**at, "limit": 2, "offset": 2})

    assert {a["id"] for a in by_township.json()["items"]} == {fringe["id"], rental["id"]}
    assert [a["id"] for a in by_kind.json()["items"]] == [mine["id"]]
    assert [a["id"] for a in by_status.json()["items"]] == [rental["id"]]
    assert first_page.json()["total"] == 3
    assert len(first_page.json()["items"]) == 2
    assert (second_page.json()["limit"], second_page.json()["offset"]) == (2, 2)
    paged = first_page.json()["items"] + second_page.json()["items"]
    assert {a["id"] for a in paged} == {fringe["id"], mine["id"], rental["id"]}


async def report(client: httpx.AsyncClient, key_area_id: str | None, **where: str) -> str:
    body = {**REPORT, "key_area_id": key_area_id, **where}
    hazard_id: str = (await post(client, "/hazards", body, 201))["id"]
    return hazard_id


async def file_general(client: httpx.AsyncClient, hazard_id: str) -> int:
    body = {
        "category": "fire",
        "grade": "general",
        "file_number": f"QZ-{hazard_id[:8]}",
        "likelihood": 2,
        "severity": 2,
    }
    position: int = (await post(client, f"/hazards/{hazard_id}/file", body))["position"]
    return position


async def close_on_the_spot(
    client: httpx.AsyncClient, hazard_id: str, verifier: dict[str, str]
) -> int:
    await file_general(client, hazard_id)
    await post(
        client,
        f"/hazards/{hazard_id}/rectification",
        {"summary": "当场清理", "evidence": [], "on_the_spot": True},
    )
    await post(
        client,
        f"/hazards/{hazard_id}/verification",
        {"inspector": "验收组", "verified_on": TODAY.isoformat(), "passed": True},
        headers=verifier,
    )
    position: int = (await post(client, f"/hazards/{hazard_id}/close", {"closed_by": "区综治办"}))[
        "position"
    ]
    return position


async def test_progress_counts_the_hazards_found_closed_open_and_overdue_in_each_key_area(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    fixed_clock: FixedClock,
    settings: Settings,
) -> None:
    urban_village = {"kind": "urban_village", "township": "玉泉镇"}
    lianting = (await designate(client, name="莲亭村", village="莲亭村", **urban_village))["id"]
    tianshuijun = (await designate(client, name="天水郡村", village="天水郡村", **urban_village))[
        "id"
    ]
    await designate(client, name="闫新村", village="闫新村", **urban_village)  # nothing found there
    await post(client, f"/key-areas/{lianting}/plan", PLAN)
    for _ in range(2):
        await close_on_the_spot(client, await report(client, lianting), inspector_headers(settings))
    late = await report(client, lianting)
    await file_general(client, late)
    await post(
        client,
        f"/hazards/{late}/plan",
        {"measures": "更换线路", "deadline": (TODAY + timedelta(days=5)).isoformat()},
    )
    await report(client, lianting)  # only reported: open, with no deadline to miss
    rejected = await report(client, lianting)
    await post(
        client,
        f"/hazards/{rejected}/reject",
        {"reason": "not_a_hazard", "explanation": "已拆除的旧线路"},
    )
    await report(client, None)  # in 莲亭村, though not linked to its key area
    await report(client, None, township="太京镇", village="窝驼村")  # in no key area
    await report(client, tianshuijun, village="天水郡村")
    fixed_clock.set(NOW + timedelta(days=10))

    response = await client.get(
        f"{API}/key-areas/progress",
        params={"township": "玉泉镇", "min_position": await store_position(hazards)},
    )

    assert response.status_code == 200, response.text
    progress = {p["id"]: p for p in response.json()}
    assert len(progress) == 3

    def counts(key_area_id: str) -> tuple[str, int, int, int, int]:
        p = progress[key_area_id]
        return (
            p["status"],
            p["hazards_found"],
            p["hazards_closed"],
            p["open_hazards"],
            p["overdue_hazards"],
        )

    assert counts(lianting) == ("under_rectification", 5, 2, 3, 1)
    assert counts(tianshuijun) == ("designated", 1, 0, 1, 0)
    others = {counts(i) for i in progress if i not in (lianting, tianshuijun)}
    assert others == {("designated", 0, 0, 0, 0)}


async def test_progress_is_not_mistaken_for_a_key_area_id(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/key-areas/progress")

    assert response.status_code == 200, response.text
    assert response.json() == []


@pytest.mark.parametrize(
    ("body", "bad_field"),
    [
        ({k: v for k, v in AREA.items() if k != "name"}, "name"),
        ({**AREA, "kind": "downtown"}, "kind"),
        ({**AREA, "township": "  "}, "township"),
        ({**AREA, "status": "delisted"}, "status"),
    ],
)
async def test_a_bad_designation_is_422_and_writes_nothing(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    body: dict[str, Any],
    bad_field: str,
) -> None:
    before = await store_position(hazards)

    response = await client.post(f"{API}/key-areas", json=body)

    problem = assert_problem(response, 422)
    assert any(bad_field in error["loc"] for error in problem["errors"])
    assert await store_position(hazards) == before


async def test_commands_on_an_unknown_key_area_are_404_and_write_nothing(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    missing = uuid.uuid4()
    before = await store_position(hazards)

    responses = [
        await client.post(f"{API}/key-areas/{missing}/plan", json=PLAN),
        await client.post(
            f"{API}/key-areas/{missing}/delist", json={"delisted_by": "x", "reason": "y"}
        ),
        await client.get(f"{API}/key-areas/{missing}"),
    ]

    for response in responses:
        problem = assert_problem(response, 404)
        assert str(missing) in problem["detail"]
    assert await store_position(hazards) == before


async def test_a_hazard_id_is_not_a_key_area(client: httpx.AsyncClient) -> None:
    hazard_id = await report(client, None)

    response = await client.post(f"{API}/key-areas/{hazard_id}/plan", json=PLAN)

    assert_problem(response, 404)


async def test_reviewing_an_unplanned_area_is_409_naming_its_state(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    created = await designate(client)
    before = await store_position(hazards)

    response = await client.post(
        f"{API}/key-areas/{created['id']}/reviews",
        json={
            "reviewer": "r",
            "reviewed_on": TODAY.isoformat(),
            "findings": "f",
            "public_order_improved": True,
        },
    )

    problem = assert_problem(response, 409)
    assert problem["current_state"] == "designated"
    assert problem["command"] == "/reviews"
    assert problem["allowed_commands"] == ["/plan"]
    assert await store_position(hazards) == before


async def test_delisting_while_public_order_has_not_improved_is_422(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    created = await designate(client)
    await post(client, f"/key-areas/{created['id']}/plan", PLAN)
    await review(client, created["id"], improved=False)
    before = await store_position(hazards)

    response = await client.post(
        f"{API}/key-areas/{created['id']}/delist",
        json={"delisted_by": "区委政法委", "reason": "到期"},
    )

    problem = assert_problem(response, 422)
    assert problem["type"].endswith("rule-violation")
    assert "improved" in problem["detail"]
    assert await store_position(hazards) == before


async def test_a_plan_with_a_past_deadline_is_422(client: httpx.AsyncClient) -> None:
    created = await designate(client)

    response = await client.post(
        f"{API}/key-areas/{created['id']}/plan",
        json={**PLAN, "deadline": (TODAY - timedelta(days=1)).isoformat()},
    )

    assert "past" in assert_problem(response, 422)["detail"]


# -- the name, the villages and the open hazards of an area ----------------------------------


async def delist(client: httpx.AsyncClient, key_area_id: str, **extra: str) -> httpx.Response:
    body = {"delisted_by": "区委政法委", "reason": "治安面貌根本改变", **extra}
    return await client.post(f"{API}/key-areas/{key_area_id}/delist", json=body)


async def reviewed(client: httpx.AsyncClient, **overrides: Any) -> str:
    key_area_id: str = (await designate(client, **overrides))["id"]
    await post(client, f"/key-areas/{key_area_id}/plan", PLAN)
    await review(client, key_area_id, improved=True)
    return key_area_id


async def test_a_second_key_area_of_the_same_name_in_the_township_is_409_naming_the_first(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    first = await designate(client)
    before = await store_position(hazards)

    response = await client.post(
        f"{API}/key-areas", json={**AREA, "name": f" {AREA['name']} ", "kind": "rental_housing"}
    )

    problem = assert_problem(response, 409)
    assert problem["type"].endswith("already-taken")
    assert problem["existing_id"] == first["id"]
    assert first["id"] in problem["detail"]
    assert await store_position(hazards) == before
    elsewhere = await client.post(
        f"{API}/key-areas", json={**AREA, "township": "玉泉镇", "village": "莲亭村"}
    )
    assert elsewhere.status_code == 201, elsewhere.text


async def test_racing_designations_of_one_name_make_one_key_area(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    before = await store_position(hazards)

    answers = await asyncio.gather(*(client.post(f"{API}/key-areas", json=AREA) for _ in range(6)))

    assert sorted(a.status_code for a in answers) == [201] + [409] * 5, [a.text for a in answers]
    winner = next(a.json()["id"] for a in answers if a.status_code == 201)
    for loser in (a for a in answers if a.status_code == 409):
        assert assert_problem(loser, 409)["existing_id"] == winner
    # One area and its name's reservation.
    assert await store_position(hazards) == before + 2


async def test_a_key_area_covers_its_villages_and_a_hazard_outside_them_is_422(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    created = await designate(client, villages=["西十里社区"])
    area = await client.get(
        f"{API}/key-areas/{created['id']}", params={"min_position": created["position"]}
    )
    assert area.json()["villages"] == ["红山社区居民委员会", "西十里社区居委会"]
    await report(client, created["id"], township="天水郡街道", village="西十里社区")
    before = await store_position(hazards)

    response = await client.post(f"{API}/hazards", json={**REPORT, "key_area_id": created["id"]})

    problem = assert_problem(response, 422)
    assert "outside the key area 火车站城乡结合部" in problem["detail"]
    assert await store_position(hazards) == before


async def test_a_delisted_key_area_takes_no_new_hazards(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    key_area_id = await reviewed(client)
    assert (await delist(client, key_area_id)).status_code == 200
    before = await store_position(hazards)

    response = await client.post(
        f"{API}/hazards",
        json={
            **REPORT,
            "township": "天水郡街道",
            "village": "红山社区",
            "key_area_id": key_area_id,
        },
    )

    assert "delisted and takes no new hazards" in assert_problem(response, 422)["detail"]
    assert await store_position(hazards) == before


async def test_delisting_a_key_area_with_open_hazards_needs_an_override_reason(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    settings: Settings,
) -> None:
    key_area_id = await reviewed(client)
    where = {"township": "天水郡街道", "village": "红山社区"}
    closed = await report(client, key_area_id, **where)
    await report(client, key_area_id, **where)
    await close_on_the_spot(client, closed, inspector_headers(settings))
    before = await store_position(hazards)

    refused = await delist(client, key_area_id)

    assert "1 open hazards" in assert_problem(refused, 422)["detail"]
    assert await store_position(hazards) == before
    delisted = await delist(client, key_area_id, override_reason="剩余隐患移交街道跟踪")
    assert delisted.status_code == 200, delisted.text
    view = await client.get(
        f"{API}/key-areas/{key_area_id}", params={"min_position": delisted.json()["position"]}
    )
    assert view.json()["status"] == "delisted"
    assert view.json()["delisting_override"] == "剩余隐患移交街道跟踪"


def test_a_report_racing_a_delisting_never_slips_into_the_delisted_area(
    hazards: ServiceRuntime[HazardsApplication],
) -> None:
    app: HazardsApplication = hazards.application
    for attempt in range(6):
        key_area_id = reviewed_in(app, f"竞争片区 {attempt}")

        report_ok, delist_ok = race(
            partial(
                app.report_hazard,
                title="t",
                category=Category.FIRE,
                source=Source.GRID_WORKER,
                township="天水郡街道",
                village="红山社区",
                address="a",
                reporter="r",
                key_area_id=key_area_id,
                metadata=META,
            ),
            partial(app.delist_key_area, key_area_id, delisted_by="d", reason="r", metadata=META),
        )

        assert report_ok != delist_ok
        area = app.get_key_area(key_area_id)
        assert (area.status is KeyAreaStatus.DELISTED) == delist_ok
        assert len(area.open_hazards) == int(report_ok)


META = EventMetadata.new()


def reviewed_in(app: HazardsApplication, name: str) -> uuid.UUID:
    """A stored key area whose review found public order improved: ready to delist."""
    key_area_id = app.designate_key_area(
        name=name,
        kind=KeyAreaKind.RENTAL_HOUSING,
        township="天水郡街道",
        village="红山社区",
        designated_by="区综治办",
        metadata=META,
    ).id
    app.plan_key_area_rectification(
        key_area_id, measures="m", responsible_unit="u", deadline=TODAY, today=TODAY, metadata=META
    )
    app.record_key_area_review(
        key_area_id,
        reviewer="r",
        reviewed_on=TODAY,
        findings="f",
        public_order_improved=True,
        today=TODAY,
        metadata=META,
    )
    return key_area_id


def race(*commands: Callable[[], object]) -> list[bool]:
    """Run the commands at once, each in its own thread: which of them committed."""
    start = threading.Barrier(len(commands))

    def run(command: Callable[[], object]) -> bool:
        start.wait(timeout=10)
        return succeeded(command)

    with ThreadPoolExecutor(len(commands)) as pool:
        return list(pool.map(run, commands))


def succeeded(command: Callable[[], object]) -> bool:
    """Whether a command committed; refused by a rule or by a concurrent write, it did not."""
    try:
        command()
    except (RuleViolation, IntegrityError):
        return False
    return True
