"""Read-your-writes across services: a campaigns command's `after` token makes a scoring query
wait until scoring's reaction has processed that event and the queried view shows what the
reaction wrote, with the relays, the projections and the reaction each in a process of its
own; and every way such a token can be refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from typing import Any
from uuid import UUID

import httpx
import pytest

from campaigns.application import CampaignsApplication
from pingan.auth.runtime import AuthRuntime
from pingan.consume import tracking
from pingan.consume.consistency import MAX_AFTER
from pingan.consume.reactions import ReactionSink
from pingan.consume.tracking import Tracked
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.write.metadata import EventMetadata
from scoring.application import ScoringApplication
from scoring.domain.kinds import UnitKind
from tests.conftest import Spawn, office_client
from tests.problems import assert_problem
from tests.seeding import eventually, relay_until

META = EventMetadata.new("test")
TOWN = "玉泉镇"
LIANTING = "莲亭居民委员会"
TODAY = date(2026, 6, 20)
PAIRS = 100
CASE: dict[str, Any] = {
    "kind": "theft",
    "township": TOWN,
    "village": "莲亭村",
    "place": "莲亭小学门口",
    "happened_at": "2026-06-18T21:00:00+08:00",
    "registered_on": "2026-06-19",
    "registered_by": "玉泉派出所",
    "deaths": 1,
}

Campaigns = ServiceRuntime[CampaignsApplication]
Scoring = ServiceRuntime[ScoringApplication]


def named_schools(app: ScoringApplication, count: int) -> list[UUID]:
    """`count` schools in 莲亭社区, each holding its 平安校园 title."""

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
    reg(UnitKind.COMMUNITY, "莲亭社区", village=LIANTING)
    full = {c.code: c.max_points for c in app.standards.current("school").criteria}
    schools = []
    for number in range(count):
        unit_id = reg(UnitKind.SCHOOL, f"莲亭第{number + 1}小学", village=LIANTING)
        app.apply_for_title(
            unit_id,
            standard="school",
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
            metadata=META,
            today=TODAY,
        )
        app.publicise_result(unit_id, starts_on=date(2025, 5, 11), metadata=META, today=TODAY)
        app.confer_title(unit_id, named_on=date(2025, 6, 1), metadata=META, today=TODAY)
        schools.append(unit_id)
    return schools


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The office registers a case per pair, faster than its command rate allows."""
    return settings.model_copy(
        update={"rate_commands_burst": 10_000, "rate_commands_per_minute": 600_000}
    )


@pytest.fixture
async def clients(
    campaigns: Campaigns, scoring: Scoring, auth: AuthRuntime, settings: Settings
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    async with (
        office_client(campaigns, auth, settings) as to_campaigns,
        office_client(scoring, auth, settings) as to_scoring,
    ):
        yield to_campaigns, to_scoring


async def register_major_case(client: httpx.AsyncClient, unit_id: UUID) -> str:
    created = await client.post("/api/campaigns/cases", json={**CASE, "unit_id": str(unit_id)})
    assert created.status_code == 201, created.text
    answer = created.json()
    assert answer["after"] == f"CAMPAIGNS:{answer['position']}"
    return str(answer["after"])


async def test_a_unit_read_with_the_cases_token_always_shows_its_title_revoked(
    campaigns: Campaigns,
    scoring: Scoring,
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
    spawn: Spawn,
) -> None:
    to_campaigns, to_scoring = clients
    schools = await asyncio.to_thread(named_schools, scoring.application, PAIRS)
    for proc in (
        spawn("relay", "campaigns", "scoring", name="relay"),
        spawn("project", "scoring", name="project"),
        spawn("react", "scoring", name="react"),
    ):
        assert proc.pid
    last = schools[-1]

    async def all_named() -> bool:
        shown = await to_scoring.get(f"/api/scoring/units/{last}")
        return shown.status_code == 200 and shown.json()["status"] == "named"

    await eventually(all_named, 60, "the schools named in the register")

    stale = []
    for unit_id in schools:
        after = await register_major_case(to_campaigns, unit_id)
        shown = await to_scoring.get(
            f"/api/scoring/units/{unit_id}", params={"after": after, "wait": 20}
        )
        assert shown.status_code == 200, shown.text
        if shown.json()["status"] != "revoked":
            stale.append((after, shown.json()["status"]))

    assert stale == []
    log = await to_scoring.get("/api/scoring/revocations", params={"after": after, "limit": 1})
    assert log.json()["total"] == PAIRS


@pytest.mark.parametrize(
    "token", ["campaigns:1", "CAMPAIGNS", "CAMPAIGNS:-1", "CAMPAIGNS:x", ":1", "CAMPAIGNS:01"]
)
async def test_a_malformed_token_is_a_400(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient], token: str
) -> None:
    _, to_scoring = clients
    answer = await to_scoring.get("/api/scoring/units", params={"after": token})

    assert assert_problem(answer, 400)["type"].endswith("after-malformed")


async def test_more_tokens_than_allowed_are_a_400(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    _, to_scoring = clients
    tokens = [f"CAMPAIGNS:{n}" for n in range(MAX_AFTER + 1)]

    answer = await to_scoring.get("/api/scoring/revocations", params={"after": tokens})
    in_chinese = await to_scoring.get(
        "/api/scoring/revocations", params={"after": tokens}, headers={"Accept-Language": "zh"}
    )

    problem = assert_problem(answer, 400)
    assert problem["type"].endswith("too-many-after")
    assert problem["max_after"] == MAX_AFTER
    assert assert_problem(in_chinese, 400)["title"] == "after 参数过多"


async def test_a_stream_no_reaction_or_view_reads_is_a_400(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    _, to_scoring = clients
    answer = await to_scoring.get("/api/scoring/incidents", params={"after": "WARNINGS:3"})

    problem = assert_problem(answer, 400)
    assert problem["type"].endswith("stream-not-followed")
    assert problem["followed"] == ["CAMPAIGNS", "HAZARDS", "SCORING"]


async def test_a_token_the_reaction_has_not_reached_is_503_upstream_behind(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    _, to_scoring = clients
    answer = await to_scoring.get(
        "/api/scoring/units", params={"after": ["HAZARDS:0", "CAMPAIGNS:7"], "wait": 0.2}
    )

    problem = assert_problem(answer, 503)
    assert problem["type"].endswith("upstream-behind")
    assert (problem["reaction"], problem["stream"]) == ("plaque_removal", "CAMPAIGNS")
    assert (problem["wanted_position"], problem["reached_position"]) == (7, 0)
    assert answer.headers["Retry-After"]


async def test_a_token_the_reaction_met_waits_for_the_view_to_reach_what_it_wrote(
    scoring: Scoring, clients: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    _, to_scoring = clients
    await asyncio.to_thread(named_schools, scoring.application, 1)
    wrote = await asyncio.to_thread(scoring.application.recorder.max_notification_id)
    assert wrote
    async with scoring.pool.acquire() as conn:
        await tracking.write_tracking(
            conn, "plaque_removal", "CAMPAIGNS", Tracked(3, 7), wrote=wrote
        )
    await eventually(
        lambda: asyncio.sleep(0, scoring.hub.wrote("plaque_removal", "CAMPAIGNS") == wrote),
        10,
        "the hub to learn what the reaction wrote",
    )

    answer = await to_scoring.get(
        "/api/scoring/units", params={"after": "CAMPAIGNS:7", "wait": 0.2}
    )

    problem = assert_problem(answer, 503)
    assert problem["type"].endswith("view-behind")
    assert problem["wanted_position"] == wrote
    assert answer.headers["Retry-After"]


async def test_an_own_stream_token_is_a_min_position(
    scoring: Scoring, clients: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    _, to_scoring = clients
    answer = await to_scoring.get("/api/scoring/units", params={"after": "SCORING:50"})

    assert assert_problem(answer, 400)["type"].endswith("position-ahead")


async def test_a_tracking_table_from_before_wrote_gains_it_and_keeps_its_rows(
    scoring: Scoring,
) -> None:
    async with scoring.pool.acquire() as conn, conn.transaction():
        await conn.execute("ALTER TABLE consumer_tracking DROP COLUMN wrote")
        await conn.execute(
            "INSERT INTO consumer_tracking (consumer, source, stream_seq, position)"
            " VALUES ('plaque_removal', 'CAMPAIGNS', 4, 9)"
        )

        await tracking.setup_tracking(conn)
        await tracking.setup_tracking(conn)

        row = await conn.fetchrow(
            "SELECT position, wrote FROM consumer_tracking WHERE consumer = 'plaque_removal'"
        )
        assert (row["position"], row["wrote"]) == (9, None)
        await tracking.write_tracking(conn, "plaque_removal", "CAMPAIGNS", Tracked(5, 10), 3)
        await tracking.write_tracking(conn, "plaque_removal", "CAMPAIGNS", Tracked(6, 11), None)
        wrote = await conn.fetchval(
            "SELECT wrote FROM consumer_tracking WHERE consumer = 'plaque_removal'"
        )
        assert wrote == 3


async def test_a_reaction_that_died_before_its_mirror_counts_all_its_store_as_written(
    campaigns: Campaigns, scoring: Scoring, clients: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    to_campaigns, _ = clients
    (school,) = await asyncio.to_thread(named_schools, scoring.application, 1)
    after = await register_major_case(to_campaigns, school)
    await relay_until(campaigns, 1)
    sink = ReactionSink(scoring.reactions[0], scoring.application, scoring.pool, scoring.js)
    # Committed with its upstream tracking, then the process died before the mirror's update.
    await asyncio.to_thread(sink._record, "CAMPAIGNS", 1, [])

    await sink.tracked("CAMPAIGNS")

    stored = await asyncio.to_thread(scoring.application.recorder.max_notification_id)
    async with scoring.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT position, wrote FROM consumer_tracking WHERE consumer = 'plaque_removal'"
        )
    assert f"CAMPAIGNS:{row['position']}" == after
    assert row["wrote"] == stored
