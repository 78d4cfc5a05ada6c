"""The accident clock check on a real store: onward reports and investigations that ran out,
marked once however often and however many checkers run, and shown in the register."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest

from hazards.application import HazardsApplication
from hazards.clocks import AccidentClockCheck
from pingan.run.clock import FixedClock
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings

API = "/api/hazards/accidents"
NOW = datetime(2026, 5, 18, 8, tzinfo=UTC)  # 16:00 in Qinzhou
REPORT: dict[str, Any] = {
    "happened_at": "2026-05-18T14:30:00+08:00",
    "received_at": "2026-05-18T15:00:00+08:00",
    "township": "玉泉镇",
    "village": "莲亭村",
    "place": "莲亭批发市场二号仓库",
    "kind": "fire",
    "deaths": 0,
    "serious_injuries": 1,
    "direct_loss_yuan": "80000",
    "reported_by": "玉泉镇安监站",
}
ONWARD_DUE = datetime(2026, 5, 18, 9, tzinfo=UTC)  # received 15:00 + 2 hours

pytestmark = pytest.mark.usefixtures("fixed_clock")


def event_counts(app: HazardsApplication, accident_id: UUID) -> Counter[str]:
    return Counter(type(e).__name__ for e in app.repository.event_store.get(accident_id))


async def reported(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    response = await client.post(API, json={**REPORT, **overrides})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    # The check nominates from the register: let it see the report.
    assert (
        await client.get(f"{API}/{created['id']}", params={"min_position": created["position"]})
    ).status_code == 200
    return created


async def register(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication], **params: Any
) -> Any:
    last = hazards.application.recorder.max_notification_id()
    response = await client.get(API, params={**params, "min_position": last})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_clock_check_runs_on_its_own_interval_setting() -> None:
    settings = Settings(accident_check_interval_s=90, job_interval_s=3600)

    assert AccidentClockCheck().interval_s(settings) == 90


async def test_a_report_received_late_shows_as_late(client: httpx.AsyncClient) -> None:
    created = await reported(client, received_at="2026-05-18T15:31:00+08:00")

    accident = (
        await client.get(f"{API}/{created['id']}", params={"min_position": created["position"]})
    ).json()

    assert accident["report_late"] is True


async def test_two_checkers_mark_an_onward_report_overdue_once_and_the_register_shows_it(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    created = await reported(client)
    on_time = await reported(client)
    onward = await client.post(
        f"{API}/{on_time['id']}/onward-reports",
        json={"level": "city", "reported_at": "2026-05-18T15:20:00+08:00"},
    )
    assert onward.status_code == 200, onward.text
    hazards.clock = FixedClock(ONWARD_DUE)
    assert await AccidentClockCheck().run_once(hazards) == 0, "at 2 hours it is not yet late"

    hazards.clock = FixedClock(ONWARD_DUE + timedelta(minutes=3))
    await asyncio.gather(
        AccidentClockCheck().run_once(hazards), AccidentClockCheck().run_once(hazards)
    )
    await AccidentClockCheck().run_once(hazards)

    app = hazards.application
    assert event_counts(app, UUID(created["id"]))["OnwardReportOverdue"] == 1
    assert event_counts(app, UUID(on_time["id"]))["OnwardReportOverdue"] == 0
    overdue = await register(client, hazards, overdue=True)
    assert [item["id"] for item in overdue["items"]] == [created["id"]]
    assert overdue["items"][0]["onward_overdue"] is True


async def test_an_investigation_past_60_days_is_marked_once(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    created = await reported(client)
    onward = await client.post(
        f"{API}/{created['id']}/onward-reports",
        json={"level": "city", "reported_at": "2026-05-18T15:20:00+08:00"},
    )
    assert onward.status_code == 200, onward.text
    await register(client, hazards)
    hazards.clock = FixedClock(datetime(2026, 7, 17, 6, 31, tzinfo=UTC))  # 60 days + 1 minute

    assert await AccidentClockCheck().run_once(hazards) == 1
    await register(client, hazards)
    assert await AccidentClockCheck().run_once(hazards) == 0

    assert event_counts(hazards.application, UUID(created["id"]))["InvestigationOverdue"] == 1
    item = (await register(client, hazards, overdue=True))["items"][0]
    assert (item["investigation_overdue"], item["investigated_by"]) == (True, "district")
