"""Plaque removal across services on real servers: campaigns' major cases and mass incidents
and hazards' accidents strip titles in scoring once, with their cause, also when the upstream
messages are delivered again; what matches no unit is listed, never guessed."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import pytest

from campaigns.application import CampaignsApplication
from hazards.application import HazardsApplication
from hazards.domain.accident import AccidentKind
from pingan.bus.envelope import Header
from pingan.consume.core import StaleTracking
from pingan.run.embedded import EmbeddedNats
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.write.metadata import EventMetadata
from scoring.application import ScoringApplication
from scoring.domain.kinds import UnitKind
from scoring.domain.unit import Unit
from tests.conftest import as_tester
from tests.consultation import consultation
from tests.seeding import eventually, relay_until

API = "/api/scoring"
META = EventMetadata.new("test")
TOWN = "玉泉镇"
LIANTING = "莲亭居民委员会"
TODAY = date(2026, 6, 20)
HAPPENED = datetime(2026, 6, 18, 12, tzinfo=UTC)


@pytest.fixture
def settings(settings: Settings, nats_server: EmbeddedNats) -> Settings:
    """The redelivery test replays a stream through a consumer no service declares."""
    return as_tester(settings, nats_server)


def named_units(app: ScoringApplication) -> dict[str, UUID]:
    """The district, 玉泉镇, 莲亭社区 and a school in it; the community and the school named."""

    def reg(kind: UnitKind, name: str, **kw: Any) -> UUID:
        fields: dict[str, Any] = {"township": TOWN, "village": None, **kw}
        return app.register_unit(
            kind=kind,
            name=name,
            address="-",
            registered_by="综治办",
            metadata=META,
            today=TODAY,
            registered_on=date(2025, 1, 5),
            **fields,
        ).id

    reg(UnitKind.DISTRICT, "秦州区", township=None)
    reg(UnitKind.TOWNSHIP, TOWN)
    units = {
        "community": reg(UnitKind.COMMUNITY, "莲亭社区", village=LIANTING),
        "school": reg(UnitKind.SCHOOL, "莲亭小学", village=LIANTING),
    }
    for key, standard in (("community", "community"), ("school", "school")):
        unit_id = units[key]
        full = {c.code: c.max_points for c in app.standards.current(standard).criteria}
        app.apply_for_title(
            unit_id,
            standard=standard,
            level=1,
            applied_on=date(2025, 5, 1),
            metadata=META,
            today=TODAY,
        )
        app.assess_unit(
            unit_id,
            assessed_on=date(2025, 5, 10),
            scores=full,
            deductions={},
            vetoes=[],
            survey=(100, 99, 99),
            assessors=["考评组"],
            **consultation(app.standards.current(standard)),
            metadata=META,
            today=TODAY,
        )
        app.publicise_result(unit_id, starts_on=date(2025, 5, 11), metadata=META, today=TODAY)
        app.confer_title(unit_id, named_on=date(2025, 6, 1), metadata=META, today=TODAY)
    return units


def register_case(app: CampaignsApplication, *, loss: int, **kw: Any) -> UUID:
    fields: dict[str, Any] = {"village": "莲亭村", **kw}
    return app.register_case(
        kind="robbery",
        township=TOWN,
        place="莲亭市场",
        happened_at=HAPPENED,
        registered_on=date(2026, 6, 19),
        registered_by="玉泉派出所",
        metadata=META,
        loss_yuan=Decimal(loss),
        **fields,
    ).id


def report_accident(app: HazardsApplication, unit_id: UUID, deaths: int) -> UUID:
    return app.report_accident(
        happened_at=HAPPENED,
        township=TOWN,
        village="莲亭村",
        place="莲亭小学实验楼",
        kind=AccidentKind.FIRE,
        deaths=deaths,
        serious_injuries=0,
        direct_loss_yuan=Decimal(10_000),
        reported_by="玉泉镇安监站",
        now=datetime(2026, 6, 18, 13, tzinfo=UTC),
        metadata=META,
        unit_id=str(unit_id),
    ).id


def revocations_in(app: ScoringApplication, unit_id: UUID) -> list[Unit.TitleRevoked]:
    return [e for e in app.events.get(unit_id) if isinstance(e, Unit.TitleRevoked)]


async def get(client: httpx.AsyncClient, path: str, **params: Any) -> Any:
    response = await client.get(f"{API}{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_upstream_incidents_strip_titles_once_with_their_causes(
    campaigns: ServiceRuntime[CampaignsApplication],
    hazards: ServiceRuntime[HazardsApplication],
    scoring: ServiceRuntime[ScoringApplication],
    scoring_client: httpx.AsyncClient,
) -> None:
    units = await asyncio.to_thread(named_units, scoring.application)
    await asyncio.to_thread(register_case, campaigns.application, loss=1_000)
    case = await asyncio.to_thread(register_case, campaigns.application, loss=600_000)
    await asyncio.to_thread(register_case, campaigns.application, loss=900_000, unit_id="LT-404")
    await asyncio.to_thread(register_case, campaigns.application, loss=700_000, village="不存在村")
    await asyncio.to_thread(report_accident, hazards.application, units["school"], 1)
    accident = await asyncio.to_thread(report_accident, hazards.application, units["school"], 3)
    await relay_until(campaigns, 4)
    await relay_until(hazards, 2)

    stop = asyncio.Event()
    (runner,) = scoring.reactors()
    task = asyncio.create_task(runner.run(stop))
    try:

        async def logged() -> Any:
            log = await get(scoring_client, "/revocations")
            unmatched = await get(scoring_client, "/incidents/unmatched")
            noted = await get(scoring_client, "/incidents")
            return (log["total"], unmatched["total"], noted["total"]) == (2, 2, 6) and (
                log,
                unmatched,
            )

        log, unmatched = await eventually(logged, what="the titles to be stripped")
    finally:
        stop.set()
        await task

    major = await campaigns.js.get_msg("CAMPAIGNS", seq=2)
    larger = await hazards.js.get_msg("HAZARDS", seq=2)
    assert major.headers is not None and larger.headers is not None
    by_unit = {entry["unit_id"]: entry for entry in log["items"]}
    community, school = by_unit[str(units["community"])], by_unit[str(units["school"])]
    assert (community["cause"], community["cause_event_id"]) == (
        "major_case",
        major.headers[Header.ID],
    )
    assert community["cause_event_type"] == "pingan.campaigns.case.registered.v1"
    assert (school["cause"], school["cause_event_id"]) == (
        "safety_accident",
        larger.headers[Header.ID],
    )
    reasons = sorted(i["unmatched_reason"] for i in unmatched["items"])
    assert [i["unit_id"] for i in unmatched["items"] if i["unit_id"]] == ["LT-404"]
    assert any("not in the reference areas" in r for r in reasons)
    shown = await get(scoring_client, f"/units/{units['community']}")
    assert shown["status"] == "revoked" and shown["revocations"] == 1
    everything = await get(scoring_client, "/incidents")
    assert everything["total"] == 6
    (title,) = await get(scoring_client, f"/units/{units['community']}/titles")
    assert (title["title"], title["revocation"]) == ("平安社区", "incident")
    assert title["revoked_on"] is not None
    matched = await get(scoring_client, f"/units/{units['community']}/incidents")
    assert sorted(i["strips"] for i in matched["items"]) == [False, True]

    # The month's report names the case and the accident upstream behind each revocation.
    month = community["revoked_on"][:7]

    async def reported() -> Any:
        report = await get(scoring_client, "/reports/monthly", month=month)
        return len(report["revoked"]) == 2 and report["revoked"]

    revoked = {r["unit_id"]: r for r in await eventually(reported, what="the month's report")}
    assert (
        revoked[str(units["community"])]["source"],
        revoked[str(units["community"])]["upstream_id"],
    ) == ("CAMPAIGNS", str(case))
    assert (
        revoked[str(units["school"])]["source"],
        revoked[str(units["school"])]["upstream_id"],
    ) == ("HAZARDS", str(accident))

    (lt404,) = [i for i in unmatched["items"] if i["unit_id"] == "LT-404"]
    resolved = await scoring_client.post(
        f"{API}/incidents/{lt404['id']}/match",
        json={"unit_id": str(units["community"]), "reason": "LT-404 是莲亭社区的旧编号"},
    )
    assert resolved.status_code == 200, resolved.text
    left = await get(
        scoring_client, "/incidents/unmatched", min_position=resolved.json()["position"]
    )
    assert left["total"] == 1


async def test_redelivered_upstream_messages_strip_nothing_twice(
    campaigns: ServiceRuntime[CampaignsApplication],
    hazards: ServiceRuntime[HazardsApplication],
    scoring: ServiceRuntime[ScoringApplication],
) -> None:
    await relay_until(hazards, 0)  # the reaction reads both streams: both exist
    units = await asyncio.to_thread(named_units, scoring.application)
    await asyncio.to_thread(register_case, campaigns.application, loss=600_000)
    incident = await asyncio.to_thread(
        lambda: campaigns.application.report_incident(
            happened_at=HAPPENED,
            township=TOWN,
            village="莲亭村",
            place="莲亭广场",
            participants=60,
            cause="征地补偿",
            handling="劝离",
            reported_by="玉泉镇",
            now=datetime(2026, 6, 19, tzinfo=UTC),
            metadata=META,
            unit_id=str(units["school"]),
        )
    )
    assert incident.position > 0
    await relay_until(campaigns, 2)
    stop = asyncio.Event()
    (runner,) = scoring.reactors()
    task = asyncio.create_task(runner.run(stop))

    try:
        await eventually(
            lambda: asyncio.to_thread(
                lambda: (
                    scoring.application.recorder.max_tracking_id("plaque_removal:CAMPAIGNS") == 2
                )
            ),
            what="the reaction to catch up",
        )
    finally:
        stop.set()
        await task
    written = scoring.application.recorder.max_notification_id()

    replay = await campaigns.js.pull_subscribe("campaigns.>", durable="replay", stream="CAMPAIGNS")
    batch = await replay.fetch(2, timeout=5)
    assert await runner.step("CAMPAIGNS", batch) == "ok"
    with pytest.raises(StaleTracking):
        await runner.sink.apply("CAMPAIGNS", batch)

    assert scoring.application.recorder.max_notification_id() == written
    assert len(revocations_in(scoring.application, units["community"])) == 1
    (school,) = revocations_in(scoring.application, units["school"])
    assert school.cause == "mass_incident"
