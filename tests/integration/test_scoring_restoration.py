"""Restoring revoked titles on real servers: a major case registered in campaigns strips a
unit's title in scoring, its withdrawal (撤案) marks the revocation restorable, the district
office restores it once, and a replayed stream neither revokes nor restores again; appeals are
lodged and decided through the API; the reaction waits for an upstream stream that does not
exist yet instead of restarting."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import httpx
import pytest
from nats.js.errors import NotFoundError

from campaigns.application import CampaignsApplication
from pingan.consume.core import StaleTracking
from pingan.run.embedded import EmbeddedNats
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.service import get_service
from scoring.application import ScoringApplication
from scoring.domain.unit import Unit
from tests.conftest import as_tester, started
from tests.integration.test_scoring_api import hierarchy, name_community
from tests.integration.test_scoring_reactions import META, named_units, register_case
from tests.seeding import eventually, relay_until

API = "/api/scoring"


@pytest.fixture
def settings(settings: Settings, nats_server: EmbeddedNats) -> Settings:
    """The redelivery test replays a stream through a consumer no service declares."""
    return as_tester(settings, nats_server)


async def get(client: httpx.AsyncClient, path: str, **params: Any) -> Any:
    response = await client.get(f"{API}{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def post(client: httpx.AsyncClient, path: str, body: Any, status: int = 200) -> Any:
    response = await client.post(f"{API}{path}", json=body)
    assert response.status_code == status, response.text
    return response.json()


def count(app: ScoringApplication, unit_id: Any, kind: type[object]) -> int:
    return sum(isinstance(e, kind) for e in app.events.get(unit_id))


async def test_a_withdrawn_major_case_lets_the_office_restore_the_title_once(
    campaigns: ServiceRuntime[CampaignsApplication],
    scoring: ServiceRuntime[ScoringApplication],
    scoring_client: httpx.AsyncClient,
) -> None:
    units = await asyncio.to_thread(named_units, scoring.application)
    community = units["community"]
    case_id = await asyncio.to_thread(
        register_case, campaigns.application, loss=600_000, unit_id=str(community)
    )
    await relay_until(campaigns, 1)
    stop = asyncio.Event()
    (runner,) = scoring.reactors()
    task = asyncio.create_task(runner.run(stop))
    try:

        async def revocation(restorable: bool) -> Any:
            log = await get(scoring_client, "/revocations")
            return (
                log["total"] == 1 and log["items"][0]["restorable"] is restorable and log["items"]
            )

        await eventually(lambda: revocation(False), what="the title to be stripped")
        await asyncio.to_thread(
            lambda: campaigns.application.withdraw_case(
                case_id, withdrawn_on=date(2026, 6, 21), reason="经查不构成案件", metadata=META
            )
        )
        await relay_until(campaigns, 2)
        (entry,) = await eventually(lambda: revocation(True), what="the revocation restorable")
    finally:
        stop.set()
        await task

    withdrawal = await campaigns.js.get_msg("CAMPAIGNS", seq=2)
    assert withdrawal.headers is not None
    assert (entry["correction"], entry["correction_event_id"]) == (
        "withdrawn",
        withdrawal.headers["ce-id"],
    )
    shown = await get(scoring_client, f"/units/{community}")
    assert shown["status"] == "revoked" and shown["restorable"] is True
    restored = await post(
        scoring_client, f"/units/{community}/restoration", {"reason": "撤案, 恢复平安社区称号"}
    )
    again = await scoring_client.post(
        f"{API}/units/{community}/restoration", json={"reason": "again"}
    )
    assert again.status_code == 409, again.text

    shown = await get(scoring_client, f"/units/{community}", min_position=restored["position"])
    assert (shown["status"], shown["title"], shown["level"]) == ("named", "平安社区", 1)
    assert (shown["named_on"], shown["reinspection_due"]) == ("2025-06-01", "2026-06-01")
    assert shown["barred_until"] is None and shown["revocations"] == 1
    (logged,) = (await get(scoring_client, "/revocations"))["items"]
    assert (logged["restoration_grounds"], logged["restorable"]) == ("correction", False)
    assert logged["restored_on"] is not None
    titles = await get(scoring_client, f"/units/{community}/titles")
    assert [(t["revocation"], t["restored_on"] is not None) for t in titles] == [
        (None, True),
        ("incident", False),
    ]

    written = scoring.application.recorder.max_notification_id()
    replay = await campaigns.js.pull_subscribe("campaigns.>", durable="replay", stream="CAMPAIGNS")
    batch = await replay.fetch(2, timeout=5)
    assert await runner.step("CAMPAIGNS", batch) == "ok"
    with pytest.raises(StaleTracking):
        await runner.sink.apply("CAMPAIGNS", batch)
    assert scoring.application.recorder.max_notification_id() == written
    app = scoring.application
    assert count(app, community, Unit.TitleRevoked) == 1
    assert count(app, community, Unit.IncidentCorrected) == 1
    assert count(app, community, Unit.TitleRestored) == 1


async def test_an_appeal_is_lodged_once_and_decided_by_the_office(
    scoring_client: httpx.AsyncClient,
) -> None:
    client = scoring_client
    community = (await hierarchy(client))["community"]["id"]
    await name_community(client, community)
    early = await client.post(f"{API}/units/{community}/appeals", json={"reason": "x"})
    assert early.status_code == 409, early.text
    await post(client, f"/units/{community}/revocation", {"reason": "台账不实"})
    refused = await client.post(
        f"{API}/units/{community}/restoration",
        json={"reason": "x"},
        headers={"Accept-Language": "zh-CN"},
    )
    assert refused.status_code == 422, refused.text
    assert "摘牌原因仍然成立" in refused.json()["detail"]

    lodged = await post(client, f"/units/{community}/appeals", {"reason": "台账已补齐"})
    shown = await get(client, f"/units/{community}", min_position=lodged["position"])
    assert shown["open_appeal"] == 1
    blank = await client.post(f"{API}/units/{community}/appeals/decision", json={"number": 1})
    assert blank.status_code == 422
    decided = await post(
        client,
        f"/units/{community}/appeals/decision",
        {"number": 1, "upheld": False, "reason": "补齐不改变摘牌时的事实"},
    )
    (entry,) = (await get(client, "/revocations", min_position=decided["position"]))["items"]
    assert (entry["appeal"], entry["appeal_upheld"], entry["appeal_reason"]) == (
        1,
        False,
        "台账已补齐",
    )
    second = await client.post(f"{API}/units/{community}/appeals", json={"reason": "再申诉"})
    assert second.status_code == 422 and "appealed already" in second.json()["detail"]
    history = await get(client, f"/units/{community}/history")
    assert [e["event"] for e in history["entries"]][-3:] == [
        "TitleRevoked",
        "AppealLodged",
        "AppealDecided",
    ]
    shown = await get(client, f"/units/{community}", min_position=decided["position"])
    assert (shown["status"], shown["open_appeal"]) == ("revoked", None)


async def test_the_reaction_waits_for_an_upstream_stream_that_does_not_exist_yet(
    scoring: ServiceRuntime[ScoringApplication], settings: Settings
) -> None:
    units = await asyncio.to_thread(named_units, scoring.application)
    with pytest.raises(NotFoundError):
        await scoring.js.stream_info("CAMPAIGNS")
    stop = asyncio.Event()
    (runner,) = scoring.reactors()
    task = asyncio.create_task(runner.run(stop))
    try:
        await eventually(lambda: _true(runner.lock_sessions == 1), what="the reaction to start")
        assert not task.done()
        async with started(ServiceRuntime(get_service("campaigns"), settings)) as campaigns:
            await asyncio.to_thread(
                register_case, campaigns.application, loss=600_000, unit_id=str(units["school"])
            )
            await relay_until(campaigns, 1)

            async def stripped() -> bool:
                revoked = await asyncio.to_thread(
                    count, scoring.application, units["school"], Unit.TitleRevoked
                )
                return revoked == 1

            await eventually(stripped, what="the late stream's case to strip the title")
    finally:
        stop.set()
        await task
    assert runner.lock_sessions == 1 and runner.resets == 1  # waited, never restarted


async def _true(value: bool) -> bool:
    return value
