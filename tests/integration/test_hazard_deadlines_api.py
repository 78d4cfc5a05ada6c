"""Deadlines, listings and the quarterly report on the real servers, through the API: the
reminder before a deadline, on-time against the deadline missed, the deadline and listing
histories, listing raised and lifted, the deadline check listing an overdue major hazard, and
the quarterly report issued, reissued and read as of its end."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from hazards.application import HazardsApplication
from hazards.jobs import DeadlineCheck
from hazards.projections.register import reports
from pingan.run.clock import FixedClock
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.tokens import inspector_headers

API = "/api/hazards"
ZONE = ZoneInfo("Asia/Shanghai")
#: The real quarter now: facts recorded in this test are recorded before its end.
REAL_TODAY = datetime.now(ZONE).date()
YEAR, QUARTER = REAL_TODAY.year, (REAL_TODAY.month - 1) // 3 + 1
FIRST, LAST = reports.quarter_bounds(YEAR, QUARTER)
AFTER = LAST + timedelta(days=1)


def at(day: date) -> FixedClock:
    return FixedClock(datetime(day.year, day.month, day.day, 4, tzinfo=UTC))


async def post(
    client: httpx.AsyncClient,
    path: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    expect: int = 200,
) -> dict[str, Any]:
    response = await client.post(f"{API}{path}", json=body or {}, headers=headers)
    assert response.status_code == expect, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def get(client: httpx.AsyncClient, path: str, **params: Any) -> Any:
    response = await client.get(f"{API}{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def planned(
    client: httpx.AsyncClient, grade: str, deadline: date, **stated: Any
) -> tuple[str, int]:
    response = await client.post(
        f"{API}/hazards",
        json={
            "title": "Blocked fire exit",
            "category": "fire",
            "source": "inspection",
            "township": "玉泉镇",
            "village": "莲亭村",
            "address": "Market hall",
            "reporter": "r",
            **stated,
        },
    )
    assert response.status_code == 201, response.text
    hazard: str = response.json()["id"]
    filing = {"category": "fire", "grade": grade, "likelihood": 3, "severity": 3}
    if grade == "major":
        filing["determination_basis"] = "《重大火灾隐患判定方法》GB 35181-2017"
    await post(client, f"/hazards/{hazard}/file", {**filing, "file_number": hazard[:8], **stated})
    plan = {
        "measures": "clear the exit",
        "deadline": deadline.isoformat(),
        "responsible_person": "Wang",
        "funds_yuan": "100",
        "contingency_plan": "marshals",
        **stated,
    }
    position = (await post(client, f"/hazards/{hazard}/plan", plan))["position"]
    return hazard, position


async def rectifying(client: httpx.AsyncClient, hazard: str, starts_on: date) -> int:
    await post(
        client,
        f"/hazards/{hazard}/responsibility",
        {"responsible_unit": "u", "responsible_person": "p"},
    )
    await post(
        client, f"/hazards/{hazard}/schedule", {"batch": "b", "starts_on": starts_on.isoformat()}
    )
    return int((await post(client, f"/hazards/{hazard}/start"))["position"])


async def verified(client: httpx.AsyncClient, settings: Settings, hazard: str, on: date) -> int:
    await post(client, f"/hazards/{hazard}/rectification", {"summary": "cleared"})
    body = {"inspector": "Zhao", "verified_on": on.isoformat(), "passed": True}
    return int(
        (await post(client, f"/hazards/{hazard}/verification", body, inspector_headers(settings)))[
            "position"
        ]
    )


def last(hazards: ServiceRuntime[HazardsApplication]) -> int:
    return int(hazards.application.recorder.max_notification_id() or 0)


async def check(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication], hazard: str, seen: int
) -> int:
    """The check takes its candidates from the register, so it runs once the register has
    seen the hazard's last step."""
    await get(client, f"/hazards/{hazard}", min_position=seen)
    return await DeadlineCheck().run_once(hazards)


async def test_the_reminder_is_set_through_the_rules_given_once_and_shown_in_the_register(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    today = date(2026, 3, 2)
    hazards.clock = at(today)
    rules = {
        "reminder_after_days": 1,
        "supervision_letter_after_days": 7,
        "public_notice_after_days": 15,
        "extension_lead_days": 3,
        "approaching_days": 5,
    }
    assert (await client.put(f"{API}/deadline-rules", json=rules)).status_code == 200
    hazard, _ = await planned(client, "general", today + timedelta(days=5))
    later, planned_at = await planned(client, "general", today + timedelta(days=6))  # not yet due

    first = await check(client, hazards, later, planned_at)
    again = await DeadlineCheck().run_once(hazards)

    assert (await get(client, "/deadline-rules"))["approaching_days"] == 5
    # Hazards left open by other tests may be checked too; the second round finds nothing.
    assert first >= 1
    assert again == 0
    seen = last(hazards)
    row = await get(client, f"/hazards/{hazard}", min_position=seen)
    assert row["deadline_reminded_on"] == today.isoformat()
    assert (await get(client, f"/hazards/{later}", min_position=seen))[
        "deadline_reminded_on"
    ] is None
    history = await get(client, f"/hazards/{hazard}/deadlines", min_position=seen)
    assert [(d["fact"], d["deadline"]) for d in history["deadlines"]] == [
        ("planned", "2026-03-07"),
        ("approaching", "2026-03-07"),
    ]


async def test_an_extension_approved_after_the_deadline_counts_the_closure_as_late(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication], settings: Settings
) -> None:
    start = date(2026, 4, 1)
    hazards.clock = at(start)
    hazard, _ = await planned(client, "general", start + timedelta(days=5))
    await post(
        client,
        f"/hazards/{hazard}/extension-request",
        {"requested_deadline": "2026-05-01", "reason": "materials late"},
    )
    started = await rectifying(client, hazard, start)
    hazards.clock = at(start + timedelta(days=8))
    await check(client, hazards, hazard, started)  # overdue while the request waits
    await post(
        client, f"/hazards/{hazard}/extension-decision", {"approve": True, "approver": "office"}
    )
    hazards.clock = at(start + timedelta(days=10))
    await verified(client, settings, hazard, start + timedelta(days=10))  # by the new deadline
    seen = (await post(client, f"/hazards/{hazard}/close", {"closed_by": "office"}))["position"]

    row = await get(client, f"/hazards/{hazard}", min_position=seen)
    history = await get(client, f"/hazards/{hazard}/deadlines", min_position=seen)
    [table] = await get(client, "/reports/quarterly", year=2026, quarter=2, min_position=seen)
    months = await get(client, "/reports/township-months", year=2026, min_position=seen)
    april = next(m for m in months if m["month"] == "2026-04")

    assert (row["deadline"], row["original_deadline"], row["missed_deadline"]) == (
        "2026-05-01",
        "2026-04-06",
        "2026-04-06",
    )
    assert row["on_time"] is False
    assert [(d["fact"], d["deadline"], d["dated_on"]) for d in history["deadlines"]] == [
        ("planned", "2026-04-06", "2026-04-01"),
        ("overdue", "2026-04-06", "2026-04-07"),
        ("extended", "2026-05-01", "2026-04-09"),
    ]
    assert (table["closed"], table["closed_on_time"], table["on_time_rate"]) == (1, 0, 0.0)
    assert (april["closed"], april["closed_on_time"], april["on_time_rate"]) == (1, 0, 0.0)


async def test_a_listing_is_made_by_the_check_raised_with_a_reason_and_lifted_after_verification(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication], settings: Settings
) -> None:
    start = date(2026, 7, 1)
    hazards.clock = at(start)
    rules = {
        "reminder_after_days": 1,
        "supervision_letter_after_days": 7,
        "public_notice_after_days": 15,
        "extension_lead_days": 3,
        "list_overdue_major": True,
        "listing_unit": "区安委办",
    }
    assert (await client.put(f"{API}/deadline-rules", json=rules)).status_code == 200
    hazard, _ = await planned(client, "major", start + timedelta(days=3))
    started = await rectifying(client, hazard, start)
    hazards.clock = at(start + timedelta(days=4))
    await check(client, hazards, hazard, started)
    raised = {
        "level": "city",
        "supervising_unit": "市安委办",
        "reason": "no progress",
        "raised_by": "Ma",
    }
    await post(client, f"/hazards/{hazard}/listing/raise", raised)
    lowered = {**raised, "level": "district"}
    refused = await post(client, f"/hazards/{hazard}/listing/raise", lowered, expect=422)
    early = await post(
        client, f"/hazards/{hazard}/listing/lift", {"reason": "r", "lifted_by": "Ma"}, expect=409
    )
    hazards.clock = at(start + timedelta(days=5))
    await verified(client, settings, hazard, start + timedelta(days=5))
    await post(client, f"/hazards/{hazard}/listing/lift", {"reason": "verified", "lifted_by": "Ma"})
    seen = (await post(client, f"/hazards/{hazard}/close", {"closed_by": "office"}))["position"]

    row = await get(client, f"/hazards/{hazard}", min_position=seen)
    history = await get(client, f"/hazards/{hazard}/deadlines", min_position=seen)

    assert "higher level" in refused["detail"]
    assert "/listing/lift" in early["detail"]
    assert (row["listing_level"], row["status"]) == (None, "closed")
    assert [(x["act"], x["level"], x["by"]) for x in history["listings"]] == [
        ("listed", "district", "deadline-check"),
        ("raised", "city", "Ma"),
        ("lifted", None, "Ma"),
    ]
    assert history["listings"][0]["supervising_unit"] == "区安委办"
    assert history["listings"][1]["reason"] == "no progress"


async def test_an_issued_quarter_keeps_its_figures_and_as_of_its_end_equals_them(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    hazards.clock = at(FIRST)
    await planned(client, "general", FIRST + timedelta(days=20))
    await planned(client, "major", FIRST + timedelta(days=20))
    early = await post(client, f"/reports/quarterly/{YEAR}/{QUARTER}/issue", expect=422)
    hazards.clock = at(AFTER)
    seen = last(hazards)
    await post(client, f"/reports/quarterly/{YEAR}/{QUARTER}/issue?min_position={seen}", {})
    issued_at = datetime.now(UTC)
    params = {"year": YEAR, "quarter": QUARTER, "min_position": seen}
    live_then = await get(client, "/reports/quarterly", **params)
    as_of_end = await get(client, "/reports/quarterly", **params, as_of_end=True)
    [first] = await get(client, f"/reports/quarterly/{YEAR}/{QUARTER}/issues")

    # A fact found inside the quarter, entered after the issue (a backdated ledger entry).
    _, later = await planned(
        client, "general", AFTER + timedelta(days=30), business_date=FIRST.isoformat()
    )
    live_now = await get(client, "/reports/quarterly", **{**params, "min_position": later})
    [unchanged] = await get(client, f"/reports/quarterly/{YEAR}/{QUARTER}/issues")
    async with hazards.pool.acquire() as conn:
        as_of_issue = await reports.quarterly(conn, YEAR, QUARTER, issued_at)
    no_reason = await post(client, f"/reports/quarterly/{YEAR}/{QUARTER}/issue", {}, expect=422)
    await post(
        client,
        f"/reports/quarterly/{YEAR}/{QUARTER}/issue?min_position={later}",
        {"reason": "a hazard of the quarter entered from the paper ledger"},
    )
    versions = await get(client, f"/reports/quarterly/{YEAR}/{QUARTER}/issues")

    assert "after the quarter has ended" in early["detail"]
    assert first["rows"] == live_then == as_of_end
    assert (first["version"], first["reissue"], first["total"]["found"]) == (1, False, 2)
    assert live_now[0]["found"] == 3
    assert unchanged == first
    assert [row.model_dump() for row in as_of_issue] == first["rows"]
    assert "reason" in no_reason["detail"]
    assert [(v["version"], v["reissue"], v["total"]["found"]) for v in versions] == [
        (1, False, 2),
        (2, True, 3),
    ]
    assert versions[0] == first
    assert versions[1]["reason"] == "a hazard of the quarter entered from the paper ledger"
