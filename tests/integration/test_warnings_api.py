"""Early warnings on a real NATS and PostgreSQL: past figures over HTTP, cases through the
relay into the warning watch, the warning register and its workflow; and the watch given its
events again, raising each warning once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import httpx
import pytest

from campaigns.application import CampaignsApplication
from campaigns.application.warnings import Figure
from campaigns.domain.warning import CountedCase, EarlyWarning
from campaigns.domain.warning_rule import shift
from pingan.auth.principal import Role
from pingan.consume import tracking
from pingan.consume.core import StaleTracking
from pingan.run.embedded import EmbeddedNats
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.write.metadata import EventMetadata
from tests.conftest import as_tester
from tests.problems import assert_problem
from tests.seeding import eventually, relay_until, stream_last_seq
from tests.tokens import bearer, mint

API = "/api/campaigns"
NOW = datetime(2026, 6, 20, 4, tzinfo=UTC)
TOWNSHIP = "玉泉镇"
META = EventMetadata.new("test")

pytestmark = pytest.mark.usefixtures("campaigns_clock")


@pytest.fixture
def settings(settings: Settings, nats_server: EmbeddedNats) -> Settings:
    """The replay is a consumer no service declares."""
    return as_tester(settings, nats_server)


def stored(app: CampaignsApplication) -> list[Any]:
    notifications = app.recorder.select_notifications(start=1, limit=1_000_000)
    return [app.mapper.to_domain_event(n) for n in notifications]


def raised(app: CampaignsApplication) -> Counter[UUID]:
    """How many times each warning was raised."""
    return Counter(e.originator_id for e in stored(app) if isinstance(e, EarlyWarning.Raised))


async def watch_seq(runtime: ServiceRuntime[CampaignsApplication]) -> int:
    async with runtime.pool.acquire() as conn:
        return (await tracking.read_tracking(conn, "warnings", "CAMPAIGNS")).stream_seq


async def test_a_rise_over_loaded_figures_is_raised_answered_and_closed_over_http(
    campaigns: ServiceRuntime[CampaignsApplication],
    campaigns_client: httpx.AsyncClient,
    settings: Settings,
) -> None:
    client = campaigns_client
    body: dict[str, Any]
    for k in range(12, 0, -1):
        month = shift("2026-06", -k)
        body = {"figures": [{"township": TOWNSHIP, "kind": "盗窃", "count": 1}]}
        loaded = await client.put(f"{API}/warnings/figures/{month}", json=body)
        assert loaded.status_code == 200, loaded.text
    refused = await client.put(f"{API}/warnings/figures/2026-06", json={"figures": []})
    assert_problem(refused, 422)

    stop = asyncio.Event()
    (watch,) = campaigns.reactors()
    task = asyncio.create_task(watch.run(stop))
    try:
        for day in range(1, 8):
            case = {
                "kind": "theft",
                "township": TOWNSHIP,
                "village": "莲亭村",
                "place": "莲亭批发市场",
                "happened_at": f"2026-06-{day:02d}T21:00:00+08:00",
                "registered_on": f"2026-06-{day:02d}",
                "registered_by": "玉泉派出所",
            }
            created = await client.post(f"{API}/cases", json=case)
            assert created.status_code == 201, created.text

        async def listed() -> Any:
            found = await client.get(f"{API}/warnings", params={"area": TOWNSHIP, "kind": "theft"})
            return found.json()["items"] if found.status_code == 200 else None

        (warning,) = await eventually(listed, timeout_s=30, what="the warning")
    finally:
        stop.set()
        await task

    # Baseline 1 (twelve months of one): (1 + 1.5)² = 6.25, so the seventh case warns.
    assert (warning["count"], warning["baseline"], warning["threshold"]) == (7, 1.0, 7)
    assert (warning["level"], warning["month"], warning["status"]) == ("cell", "2026-06", "raised")
    path = f"{API}/warnings/{warning['id']}"

    analysis = await client.get(f"{API}/situation/monthly", params={"month": "2026-06"})
    assert analysis.status_code == 200, analysis.text
    ours = [w for w in analysis.json()["warnings"] if w["township"] == TOWNSHIP]
    assert (warning["kind_name"], "raised") in [(w["kind"], w["status"]) for w in ours]
    page = await client.get(f"{API}/situation/monthly.html", params={"month": "2026-06"})
    assert warning["kind_name"] in page.text and "本月 7 起" in page.text

    elsewhere = bearer(mint(settings, Role.TOWNSHIP_OFFICER, subject="o2", township="太京镇"))
    body = {"acknowledged_by": "太京镇综治办"}
    assert_problem(await client.post(f"{path}/acknowledge", json=body, headers=elsewhere), 403)
    early = await client.post(f"{path}/close", json={"summary": "x", "closed_by": "区委政法委"})
    assert_problem(early, 409)

    officer = bearer(mint(settings, Role.TOWNSHIP_OFFICER, subject="o1", township=TOWNSHIP))
    body = {"acknowledged_by": "玉泉镇综治办", "note": "已部署排查"}
    acked = await client.post(f"{path}/acknowledge", json=body, headers=officer)
    assert acked.status_code == 200, acked.text
    body = {"response": "加强莲亭市场夜间巡逻", "recorded_by": "玉泉派出所"}
    answered = await client.post(f"{path}/response", json=body, headers=officer)
    assert answered.status_code == 200, answered.text
    refused_close = await client.post(
        f"{path}/close", json={"summary": "x", "closed_by": "玉泉镇"}, headers=officer
    )
    assert_problem(refused_close, 403)
    closed = await client.post(
        f"{path}/close", json={"summary": "发案回落", "closed_by": "区委政法委"}
    )
    assert closed.status_code == 200, closed.text

    shown = await client.get(path, params={"min_position": closed.json()["position"]})
    history = await client.get(f"{path}/history")
    assert shown.json()["status"] == "closed"
    assert [r["response"] for r in shown.json()["responses"]] == ["加强莲亭市场夜间巡逻"]
    assert [e["event"] for e in history.json()["entries"]] == [
        "Raised",
        "Acknowledged",
        "ResponseRecorded",
        "Closed",
    ]


async def test_the_case_that_raises_a_warning_reads_it_by_its_after_token(
    campaigns: ServiceRuntime[CampaignsApplication],
    campaigns_client: httpx.AsyncClient,
) -> None:
    client = campaigns_client
    for k in range(12, 0, -1):
        body = {"figures": [{"township": TOWNSHIP, "kind": "盗窃", "count": 1}]}
        loaded = await client.put(f"{API}/warnings/figures/{shift('2026-06', -k)}", json=body)
        assert loaded.status_code == 200, loaded.text
    stop = asyncio.Event()
    (watch,) = campaigns.reactors()
    task = asyncio.create_task(watch.run(stop))
    try:
        for day in range(1, 8):
            case = {
                "kind": "theft",
                "township": TOWNSHIP,
                "village": "莲亭村",
                "place": "莲亭批发市场",
                "happened_at": f"2026-06-{day:02d}T21:00:00+08:00",
                "registered_on": f"2026-06-{day:02d}",
                "registered_by": "玉泉派出所",
            }
            created = await client.post(f"{API}/cases", json=case)
            assert created.status_code == 201, created.text
        # The seventh case raises the warning: its token waits for the watch and its writes.
        after = {"after": created.json()["after"], "wait": 30}
        listed = await client.get(
            f"{API}/warnings", params={"area": TOWNSHIP, "kind": "theft", **after}
        )
        assert listed.status_code == 200, listed.text
        (warning,) = listed.json()["items"]
        one = await client.get(f"{API}/warnings/{warning['id']}", params=after)
    finally:
        stop.set()
        await task

    assert (warning["count"], warning["month"]) == (7, "2026-06")
    assert one.status_code == 200 and one.json()["count"] == 7


def _seed(app: CampaignsApplication, cases: int) -> None:
    for k in range(12, 0, -1):
        figures = [Figure(t, "theft", 1) for t in ("玉泉镇", "太京镇", "皂郊镇")]
        app.load_figures(
            month=shift("2026-06", -k), figures=figures, metadata=META, today=NOW.date()
        )
    for n in range(cases):
        township = ("玉泉镇", "太京镇", "皂郊镇")[n % 3]
        on = date(2026, 6, 1 + n % 19)
        app.register_case(
            kind="theft",
            township=township,
            village="v",
            place="p",
            happened_at=datetime(2026, 6, on.day, tzinfo=UTC),
            registered_on=on,
            registered_by="test",
            metadata=META,
            today=NOW.date(),
        )


async def test_case_events_given_again_raise_no_second_warning(
    campaigns: ServiceRuntime[CampaignsApplication],
) -> None:
    app = campaigns.application
    await asyncio.to_thread(_seed, app, 60)
    await relay_until(campaigns, 60)
    end = await stream_last_seq(campaigns.js, "CAMPAIGNS")
    stop = asyncio.Event()
    (watch,) = campaigns.reactors()
    task = asyncio.create_task(watch.run(stop))

    async def caught_up() -> bool:
        return await watch_seq(campaigns) >= end

    await eventually(caught_up, timeout_s=60, what="the watch to catch up")
    stop.set()
    await task
    first = raised(app)
    written = app.recorder.max_notification_id()
    # Every township's cell and total, the district's theft and criminal total.
    assert len(first) == 8 and set(first.values()) == {1}

    replay = await campaigns.js.pull_subscribe("campaigns.>", durable="replay", stream="CAMPAIGNS")
    batch = await replay.fetch(end, timeout=5)
    assert await watch.step("CAMPAIGNS", batch) == "ok"
    with pytest.raises(StaleTracking):
        await watch.sink.apply("CAMPAIGNS", batch[:10])

    assert app.recorder.max_notification_id() == written
    assert raised(app) == first
    counted = Counter(e.case_id for e in stored(app) if isinstance(e, CountedCase.Counted))
    assert len(counted) == 60 and set(counted.values()) == {1}
