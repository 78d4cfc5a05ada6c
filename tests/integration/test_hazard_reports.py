"""Reports over the register: the quarterly table (JSON and CSV) and township by month."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from hazards.application import HazardsApplication
from pingan.run.clock import FixedClock
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.tokens import inspector_headers

API = "/api/hazards"
#: Mid-month, so that the ledger's day before still lies in the same month and quarter.
NOW = datetime.now(UTC).replace(day=15, hour=4)
YEAR, QUARTER = NOW.year, (NOW.month - 1) // 3 + 1
#: The 10th of the first month of the quarter before: a fact from a past ledger.
PAST = date(YEAR, 3 * QUARTER - 5, 10) if QUARTER > 1 else date(YEAR - 1, 10, 10)
PAST_QUARTER = (PAST.year, (PAST.month - 1) // 3 + 1)


async def post(
    client: httpx.AsyncClient,
    path: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    response = await client.post(f"{API}{path}", json=body or {}, headers=headers)
    assert response.status_code in (200, 201), response.text
    position: int = response.json()["position"]
    return position


async def report(client: httpx.AsyncClient, township: str, **stated: Any) -> str:
    response = await client.post(
        f"{API}/hazards",
        json={
            "title": "t",
            "category": "fire",
            "source": "inspection",
            "township": township,
            "village": {"玉泉镇": "莲亭村", "太京镇": "窝驼村"}[township],
            "address": "a",
            "reporter": "r",
            **stated,
        },
    )
    assert response.status_code == 201, response.text
    hazard_id: str = response.json()["id"]
    return hazard_id


def filing(grade: str) -> dict[str, Any]:
    # No file number: the office's series issues one to each.
    return {
        "category": "fire",
        "grade": grade,
        "likelihood": 2,
        "severity": 2,
        "determination_basis": "《重大事故隐患判定标准》",
    }


@pytest.fixture
async def ledger(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication], settings: Settings
) -> int:
    """Township A: one closed on time, one closed late, one rejected; B: one open major."""
    hazards.clock = FixedClock(NOW)
    today = hazards.clock.today()
    on_time = await report(client, "玉泉镇")
    await post(client, f"/hazards/{on_time}/file", filing("general"))
    await post(client, f"/hazards/{on_time}/rectification", {"summary": "s", "on_the_spot": True})
    await post(
        client,
        f"/hazards/{on_time}/verification",
        {"inspector": "i", "verified_on": today.isoformat(), "passed": True},
        inspector_headers(settings),
    )
    await post(client, f"/hazards/{on_time}/close", {"closed_by": "c"})

    deadline = today - timedelta(days=1)
    hazards.clock = FixedClock(NOW - timedelta(days=1))  # found, planned and due yesterday
    late = await report(client, "玉泉镇")
    await post(client, f"/hazards/{late}/file", filing("general"))
    await post(client, f"/hazards/{late}/plan", {"measures": "m", "deadline": deadline.isoformat()})
    await post(
        client,
        f"/hazards/{late}/responsibility",
        {"responsible_unit": "u", "responsible_person": "p"},
    )
    # Its batch starts the day it is scheduled, not before.
    await post(
        client, f"/hazards/{late}/schedule", {"batch": "b", "starts_on": deadline.isoformat()}
    )
    hazards.clock = FixedClock(NOW)
    await post(client, f"/hazards/{late}/start")
    await post(client, f"/hazards/{late}/rectification", {"summary": "s"})
    await post(
        client,
        f"/hazards/{late}/verification",
        {
            "inspector": "i",
            "verified_on": today.isoformat(),
            "passed": True,
        },
        inspector_headers(settings),
    )
    await post(client, f"/hazards/{late}/close", {"closed_by": "c"})

    rejected = await report(client, "玉泉镇")
    await post(
        client,
        f"/hazards/{rejected}/reject",
        {"reason": "not_a_hazard", "explanation": "a parked car"},
    )

    major = await report(client, "太京镇")
    return await post(client, f"/hazards/{major}/file", filing("major"))


async def test_quarterly_table_counts_by_township(client: httpx.AsyncClient, ledger: int) -> None:
    response = await client.get(
        f"{API}/reports/quarterly",
        params={"year": YEAR, "quarter": QUARTER, "min_position": ledger},
    )

    rows = {row["township"]: row for row in response.json()}
    assert rows["玉泉镇"]["found"] == 3
    assert rows["玉泉镇"]["closed"] == 2
    assert rows["玉泉镇"]["closed_on_time"] == 1
    assert rows["玉泉镇"]["on_time_rate"] == 0.5
    assert rows["玉泉镇"]["rejected"] == 1
    assert rows["玉泉镇"]["open_at_end"] == 0
    assert rows["太京镇"]["major_found"] == 1
    assert rows["太京镇"]["open_at_end"] == 1
    assert rows["太京镇"]["on_time_rate"] is None


async def test_quarterly_csv_matches_the_table(client: httpx.AsyncClient, ledger: int) -> None:
    params = {"year": YEAR, "quarter": QUARTER, "min_position": ledger}
    table = (await client.get(f"{API}/reports/quarterly", params=params)).json()
    download = await client.get(f"{API}/reports/quarterly.csv", params=params)

    assert download.headers["content-type"].startswith("text/csv")
    assert f"hazards-{YEAR}-Q{QUARTER}.csv" in download.headers["content-disposition"]
    text = download.content.decode("utf-8-sig")
    header, *rows, total = list(csv.reader(io.StringIO(text)))
    assert header[0] == "乡镇(街道)" and header[7] == "按期整改率"
    assert len(rows) == len(table)
    for row, expected in zip(rows, table, strict=True):
        rate = expected["on_time_rate"]
        shown = {**expected, "on_time_rate": "" if rate is None else f"{rate * 100:.1f}%"}
        assert row == ["" if v is None else str(v) for v in shown.values()]
    sums = [sum(t[k] for t in table) for k in ("found", "major_found", "filed", "rejected")]
    assert total[:5] == ["合计", *map(str, sums)]
    closed = sum(t["closed"] for t in table)
    on_time = sum(t["closed_on_time"] for t in table)
    assert total[7] == (f"{on_time / closed * 100:.1f}%" if closed else "")


async def test_township_months_count_this_month(client: httpx.AsyncClient, ledger: int) -> None:
    response = await client.get(
        f"{API}/reports/township-months", params={"year": YEAR, "min_position": ledger}
    )

    month = NOW.strftime("%Y-%m")
    rows = {(r["township"], r["month"]): r for r in response.json()}
    assert len(rows) == 2 * 12
    assert rows[("玉泉镇", month)]["found"] == 3
    assert rows[("玉泉镇", month)]["closed"] == 2
    assert rows[("玉泉镇", month)]["on_time_rate"] == 0.5
    assert rows[("太京镇", month)]["open_major"] == 1


async def test_a_hazard_from_a_past_ledger_counts_when_found_not_when_entered(
    client: httpx.AsyncClient, fixed_clock: FixedClock
) -> None:
    today, entered = fixed_clock.today(), datetime.now(UTC)
    hazard = await report(client, "太京镇", business_date=PAST.isoformat())
    filed = {**filing("major"), "business_date": (PAST + timedelta(days=5)).isoformat()}
    await post(client, f"/hazards/{hazard}/file", filed)
    listing = {"supervising_unit": "区安委办", "level": "district", "listed_by": "l"}
    last = await post(client, f"/hazards/{hazard}/listing", listing)
    seen = {"min_position": last}

    one = (await client.get(f"{API}/hazards/{hazard}", params=seen)).json()
    then = await client.get(f"{API}/reports/quarterly", params={**seen, **quarter(*PAST_QUARTER)})
    now = await client.get(f"{API}/reports/quarterly", params={**seen, **quarter(YEAR, QUARTER)})
    csv_then = await client.get(
        f"{API}/reports/quarterly.csv", params={**seen, **quarter(*PAST_QUARTER)}
    )
    months = await client.get(f"{API}/reports/township-months", params={**seen, "year": PAST.year})
    ageing = (await client.get(f"{API}/reports/ageing", params=seen)).json()["items"]

    assert one["found_on"] == PAST.isoformat()
    assert one["filed_on"] == (PAST + timedelta(days=5)).isoformat()
    assert datetime.fromisoformat(one["reported_at"]) >= entered
    assert one["days_open"] == (today - PAST).days
    assert one["listed_on"] == today.isoformat()
    [past_row] = then.json()
    assert (past_row["found"], past_row["major_found"], past_row["filed"]) == (1, 1, 1)
    assert (past_row["open_at_end"], past_row["listed_at_end"]) == (1, 0)
    [now_row] = now.json()
    assert (now_row["found"], now_row["filed"], now_row["open_at_end"]) == (0, 0, 1)
    assert now_row["listed_at_end"] == 1
    rows = list(csv.reader(io.StringIO(csv_then.content.decode("utf-8-sig"))))
    assert rows[1][:4] == ["太京镇", "1", "1", "1"]
    by_month = {r["month"]: r for r in months.json()}
    assert by_month[PAST.strftime("%Y-%m")]["found"] == 1
    assert by_month[PAST.strftime("%Y-%m")]["open_major"] == 1
    assert sum(r["found"] for r in by_month.values()) == 1
    assert [(a["id"], a["found_on"], a["days_open"]) for a in ageing] == [
        (hazard, PAST.isoformat(), (today - PAST).days)
    ]


def quarter(year: int, number: int) -> dict[str, int]:
    return {"year": year, "quarter": number}


async def test_a_ledger_brought_in_counts_every_step_on_its_own_past_dates(
    client: httpx.AsyncClient, fixed_clock: FixedClock, settings: Settings
) -> None:
    def on(days: int) -> str:
        return (PAST + timedelta(days=days)).isoformat()

    hazard = await report(client, "玉泉镇", business_date=on(0))
    steps: list[tuple[str, dict[str, Any]]] = [
        ("file", {**filing("general"), "business_date": on(1)}),
        # The deadline had not passed on the day the plan was made, though it has by now.
        ("plan", {"measures": "m", "deadline": on(20), "business_date": on(2)}),
        (
            "responsibility",
            {"responsible_unit": "u", "responsible_person": "p"} | {"business_date": on(3)},
        ),
        ("schedule", {"batch": "第一批", "starts_on": on(4), "business_date": on(3)}),
        ("start", {"business_date": on(4)}),
        ("rectification", {"summary": "s", "business_date": on(10)}),
    ]
    for action, body in steps:
        await post(client, f"/hazards/{hazard}/{action}", body)
    verify = {"inspector": "i", "verified_on": on(15), "passed": True}
    await post(client, f"/hazards/{hazard}/verification", verify, inspector_headers(settings))
    last = await post(
        client, f"/hazards/{hazard}/close", {"closed_by": "c", "business_date": on(16)}
    )
    seen = {"min_position": last}

    one = (await client.get(f"{API}/hazards/{hazard}", params=seen)).json()
    then = await client.get(f"{API}/reports/quarterly", params={**seen, **quarter(*PAST_QUARTER)})
    now = await client.get(f"{API}/reports/quarterly", params={**seen, **quarter(YEAR, QUARTER)})
    months = await client.get(f"{API}/reports/township-months", params={**seen, "year": PAST.year})

    assert (one["status"], one["on_time"], one["on_ledger"]) == ("closed", True, False)
    assert (one["found_on"], one["filed_on"], one["closed_on"]) == (on(0), on(1), on(16))
    assert one["days_open"] == 16
    [past_row] = then.json()
    assert (past_row["found"], past_row["filed"], past_row["closed"]) == (1, 1, 1)
    assert (past_row["closed_on_time"], past_row["on_time_rate"]) == (1, 1.0)
    assert (past_row["open_at_end"], past_row["overdue_at_end"]) == (0, 0)
    [now_row] = now.json()
    assert (now_row["found"], now_row["filed"], now_row["closed"], now_row["open_at_end"]) == (
        0,
        0,
        0,
        0,
    )
    month = {r["month"]: r for r in months.json()}[PAST.strftime("%Y-%m")]
    assert (month["found"], month["filed"], month["closed"], month["closed_on_time"]) == (
        1,
        1,
        1,
        1,
    )


async def test_a_quarter_out_of_range_is_422(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/reports/quarterly.csv", params={"year": 2026, "quarter": 5})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
