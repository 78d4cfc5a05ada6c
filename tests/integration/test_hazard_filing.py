"""Filing over HTTP on the real store: a file number held once in the district, however two
filings race for it; the office's series; and what the register shows of the ledger (挂账)
and of a major hazard's regulator, suspension and resumption."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest

from hazards.application import HazardsApplication
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.write.application import Recorded
from tests.integration.test_hazard_api import API, report
from tests.problems import assert_problem, store_position
from tests.tokens import inspector_headers

GENERAL = {"category": "fire", "grade": "general", "likelihood": 2, "severity": 3}
MAJOR = {
    "category": "safe_production",
    "grade": "major",
    "likelihood": 4,
    "severity": 5,
    "determination_basis": "《工贸行业重大生产安全事故隐患判定标准》第四条",
}


async def file(client: httpx.AsyncClient, hazard_id: str, **body: Any) -> httpx.Response:
    return await client.post(f"{API}/hazards/{hazard_id}/file", json={**GENERAL, **body})


async def read(client: httpx.AsyncClient, hazard_id: str, position: int) -> dict[str, Any]:
    response = await client.get(f"{API}/hazards/{hazard_id}", params={"min_position": position})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def saves_meet(monkeypatch: pytest.MonkeyPatch, app: HazardsApplication) -> None:
    """Hold the first two saves until both are ready: both filings have read the store before
    either commits, the race a busy office would run."""
    barrier = threading.Barrier(2, timeout=20)
    calls = iter(range(2))
    record = app.record

    def meeting(*aggregates: Any, **options: Any) -> Recorded:
        if next(calls, None) is not None:
            barrier.wait()
        return record(*aggregates, **options)

    monkeypatch.setattr(app, "record", meeting)


async def test_a_number_already_held_is_a_409_naming_the_hazard_that_holds_it(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    holder, second = await report(client), await report(client)
    assert (await file(client, holder["id"], file_number="QZ-2026-0042")).status_code == 200
    before = await store_position(hazards)

    refused = await file(client, second["id"], file_number=" qz-2026-0042")
    chinese = await client.post(
        f"{API}/hazards/{second['id']}/file",
        json={**GENERAL, "file_number": "QZ-2026-0042"},
        headers={"Accept-Language": "zh-CN"},
    )

    problem = assert_problem(refused, 409)
    assert problem["type"].endswith("file-number-taken")
    assert problem["held_by"] == holder["id"]
    assert holder["id"] in problem["detail"]
    assert assert_problem(chinese, 409)["detail"] == (
        f"档案编号 QZ-2026-0042 已由隐患 {holder['id']} 使用"
    )
    assert await store_position(hazards) == before


async def test_two_filings_racing_for_one_number_file_one_and_refuse_the_other(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = await report(client), await report(client)
    saves_meet(monkeypatch, hazards.application)

    answers = await asyncio.gather(
        file(client, first["id"], file_number="QZ-2026-0007"),
        file(client, second["id"], file_number="QZ-2026-0007"),
    )

    assert sorted(a.status_code for a in answers) == [200, 409]
    won, lost = sorted(answers, key=lambda a: a.status_code)
    winner = first if won.request.url.path.endswith(f"{first['id']}/file") else second
    loser = second if winner is first else first
    assert assert_problem(lost, 409)["held_by"] == winner["id"]
    app = hazards.application
    assert app.get_hazard(winner["id"]).file_number == "QZ-2026-0007"
    assert app.get_hazard(loser["id"]).file_number is None


async def test_two_filings_racing_for_the_next_number_are_issued_two(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = await report(client), await report(client)
    saves_meet(monkeypatch, hazards.application)

    answers = await asyncio.gather(file(client, first["id"]), file(client, second["id"]))

    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    position = max(a.json()["position"] for a in answers)
    numbers = {(await read(client, h["id"], position))["file_number"] for h in (first, second)}
    year = (await read(client, first["id"], position))["filed_on"][:4]
    assert numbers == {f"QZ-{year}-0001", f"QZ-{year}-0002"}


async def test_a_general_hazard_rated_red_without_a_reason_is_refused(
    client: httpx.AsyncClient,
) -> None:
    created = await report(client)

    refused = await file(client, created["id"], likelihood=5, severity=5)
    filed = await file(client, created["id"], likelihood=5, severity=5, grade_reason="已撤离人员")

    assert assert_problem(refused, 422)["type"].endswith("rule-violation")
    assert filed.status_code == 200, filed.text
    hazard = await read(client, created["id"], filed.json()["position"])
    assert (hazard["colour"], hazard["grade_reason"]) == ("red", "已撤离人员")


async def test_the_register_keeps_a_hazard_on_the_ledger_until_struck_off(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    created = await report(client)
    hazard = f"{API}/hazards/{created['id']}"
    reported = await read(client, created["id"], created["position"])
    filed = await file(client, created["id"])
    filed_view = await read(client, created["id"], filed.json()["position"])
    on_spot = {"summary": "cleared the exit", "on_the_spot": True}
    await client.post(f"{hazard}/rectification", json=on_spot)
    today = reported["found_on"]
    failed = await client.post(
        f"{hazard}/verification",
        json={"inspector": "Zhao", "verified_on": today, "passed": False}
        | {"notes": "exit still blocked at night"},
        headers=inspector_headers(settings),
    )
    returned = await read(client, created["id"], failed.json()["position"])
    await client.post(f"{hazard}/rectification", json=on_spot)
    verify = {"inspector": "Zhao", "verified_on": today, "passed": True}
    await client.post(f"{hazard}/verification", json=verify, headers=inspector_headers(settings))
    closed = await client.post(f"{hazard}/close", json={"closed_by": "office"})
    struck_off = await read(client, created["id"], closed.json()["position"])

    assert (reported["on_ledger"], reported["returned_for_rectification"]) == (False, 0)
    assert (filed_view["on_ledger"], filed_view["returned_for_rectification"]) == (True, 0)
    assert (returned["status"], returned["on_ledger"]) == ("filed", True)
    assert returned["returned_for_rectification"] == 1
    assert (struck_off["status"], struck_off["on_ledger"]) == ("closed", False)
    assert struck_off["returned_for_rectification"] == 1
    assert "on_books" not in struck_off


async def test_a_major_hazard_shows_its_regulator_suspension_and_resumption(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    created = await report(client)
    hazard = f"{API}/hazards/{created['id']}"
    assert (await file(client, created["id"], **MAJOR)).status_code == 200
    regulator = {"regulator": "区应急管理局", "reference": "秦应急字第12号"}
    assert (await client.post(f"{hazard}/regulator-report", json=regulator)).status_code == 200
    order = {"ordered_by": "区应急管理局", "scope": "二车间"}
    ordered = await client.post(f"{hazard}/suspension", json=order)
    early = await client.post(f"{hazard}/resumption", json={"lifted_by": "区应急管理局"})
    suspended = await read(client, created["id"], ordered.json()["position"])
    assessment = {"experts": "专家组", "passed": True, "opinion": "符合复产条件"}
    assessed = await client.post(
        f"{hazard}/resumption-assessment", json=assessment, headers=inspector_headers(settings)
    )
    resumed = await client.post(f"{hazard}/resumption", json={"lifted_by": "区应急管理局"})
    after = await read(client, created["id"], resumed.json()["position"])

    assert assessed.status_code == 200, assessed.text
    assert "expert assessment" in assert_problem(early, 422)["detail"]
    assert suspended["determination_basis"] == MAJOR["determination_basis"]
    assert suspended["regulator"] == "区应急管理局"
    assert suspended["regulator_reported_on"] == suspended["filed_on"]
    assert (suspended["suspended"], suspended["suspension_ordered_on"]) == (
        True,
        suspended["filed_on"],
    )
    assert (after["suspended"], after["resumption_passed"]) == (False, True)
    assert after["resumed_on"] == after["filed_on"]
