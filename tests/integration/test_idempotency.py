"""Idempotent creation over HTTP on a real PostgreSQL: a retried creating command answers its
first answer and never makes a second aggregate, even when the retries race."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from hazards.application import HazardsApplication
from hazards.domain.vocabulary import Category, Source
from pingan.api.idempotency import HEADER, REPLAYED
from pingan.run.runtime import ServiceRuntime
from pingan.write.application import Recorded
from pingan.write.idempotency import Claim
from pingan.write.metadata import EventMetadata
from tests.problems import assert_problem

API = "/api/hazards"
NOW = datetime(2026, 6, 3, 4, tzinfo=UTC)
HAZARD: dict[str, Any] = {
    "title": "夜市消防通道堵塞",
    "category": "fire",
    "source": "grid_worker",
    "township": "玉泉镇",
    "village": "莲亭村",
    "address": "莲亭村三巷",
    "reporter": "网格员 李",
}
ROUND: dict[str, Any] = {
    "name": "2026 年第二轮滚动排查",
    "areas": ["玉泉镇"],
    "starts_on": "2026-06-01",
    "ends_on": "2026-06-30",
    "organiser": "区综治办",
}
FINDING: dict[str, Any] = {
    "title": "出租屋消防通道堵塞",
    "category": "fire",
    "township": "玉泉镇",
    "village": "闫新村",
    "address": "闫新村二组",
    "reporter": "排查组 王",
}
ACCIDENT: dict[str, Any] = {
    "happened_at": "2026-05-18T14:30:00+08:00",
    "township": "玉泉镇",
    "village": "莲亭村",
    "place": "莲亭批发市场二号仓库",
    "kind": "fire",
    "severity": "general",
    "deaths": 0,
    "serious_injuries": 1,
    "direct_loss_yuan": "12000",
    "reported_by": "玉泉镇安监站",
}
MONITORING: dict[str, Any] = {
    "product_kind": "food",
    "product_category": "蔬菜",
    "township": "玉泉镇",
    "place": "玉泉农贸市场",
    "starts_on": "2026-05-01",
    "ends_on": "2026-05-31",
    "organiser": "区市场监管局",
}
KEY_AREA: dict[str, Any] = {
    "name": "火车站城乡结合部",
    "kind": "urban_rural_fringe",
    "township": "天水郡街道",
    "village": "红山社区",
    "designated_by": "区综治办",
}
#: Every creating route (answering 201) and a body it accepts; "{round}" is an open round.
CREATING = {
    "/hazards": HAZARD,
    "/rounds": ROUND,
    "/rounds/{round}/findings": FINDING,
    "/accidents": ACCIDENT,
    "/monitoring": MONITORING,
    "/key-areas": KEY_AREA,
}

pytestmark = pytest.mark.usefixtures("fixed_clock")


def other_body(body: dict[str, Any]) -> dict[str, Any]:
    """The same request but for one free-text field."""
    field = next(f for f in ("title", "name", "place") if f in body)
    return {**body, field: f"{body[field]} (另一处)"}


def stored(hazards: ServiceRuntime[HazardsApplication]) -> int:
    """The position of the last event stored."""
    position: int = hazards.application.recorder.max_notification_id() or 0
    return position


async def route(client: httpx.AsyncClient, template: str) -> str:
    if "{round}" not in template:
        return f"{API}{template}"
    opened = await client.post(f"{API}/rounds", json=ROUND)
    assert opened.status_code == 201, opened.text
    return f"{API}{template.format(round=opened.json()['id'])}"


@pytest.mark.parametrize("template", list(CREATING))
async def test_a_retry_with_the_same_key_answers_the_first_answer_and_stores_nothing(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication], template: str
) -> None:
    url = await route(client, template)
    body = CREATING[template]

    first = await client.post(url, json=body, headers={HEADER: "retry-1"})
    before_retry = stored(hazards)
    again = await client.post(url, json=dict(reversed(body.items())), headers={HEADER: "retry-1"})

    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers[REPLAYED] == "true"
    assert REPLAYED not in first.headers
    # the command's own last event; the key's claim, stored right after it, is never published
    assert first.json()["position"] == before_retry - 1
    assert stored(hazards) == before_retry


def created_of_kind(
    hazards: ServiceRuntime[HazardsApplication], after: int, aggregate_id: str
) -> int:
    """How many aggregates of the kind of `aggregate_id` were created after the position."""
    notifications = hazards.application.recorder.select_notifications(start=after + 1, limit=1000)
    first = [n for n in notifications if n.originator_version == 1]
    kind = next(n.topic for n in first if str(n.originator_id) == aggregate_id)
    return sum(n.topic == kind for n in first)


@pytest.mark.parametrize("template", list(CREATING))
async def test_every_creating_route_replayed_with_its_key_makes_one_aggregate(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication], template: str
) -> None:
    url = await route(client, template)
    body = CREATING[template]
    before = stored(hazards)

    first = await client.post(url, json=body, headers={HEADER: "once"})
    replays = await asyncio.gather(
        *(client.post(url, json=body, headers={HEADER: "once"}) for _ in range(3))
    )

    assert first.status_code == 201, first.text
    for replay in replays:
        assert replay.status_code == 201, replay.text
        assert replay.json() == first.json()
        assert replay.headers["Location"] == first.headers["Location"]
    assert created_of_kind(hazards, before, first.json()["id"]) == 1


async def test_racing_designations_with_one_key_answer_one_key_area(
    client: httpx.AsyncClient,
) -> None:
    answers = await asyncio.gather(
        *(client.post(f"{API}/key-areas", json=KEY_AREA, headers={HEADER: "r"}) for _ in range(6))
    )

    # The losers meet the name the winner reserved, and answer the winner's answer.
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(REPLAYED not in a.headers for a in answers) == 1


async def test_a_command_with_a_key_answers_a_position_its_view_reaches(
    client: httpx.AsyncClient,
) -> None:
    created = await client.post(f"{API}/hazards", json=HAZARD, headers={HEADER: "ryw-1"})
    assert created.status_code == 201, created.text

    found = await client.get(
        created.headers["Location"], params={"min_position": created.json()["position"]}
    )

    assert found.status_code == 200, found.text


@pytest.mark.parametrize("template", list(CREATING))
async def test_the_same_key_with_another_body_is_a_422_problem_and_stores_nothing(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication], template: str
) -> None:
    url = await route(client, template)
    body = CREATING[template]
    first = await client.post(url, json=body, headers={HEADER: "reused"})
    assert first.status_code == 201, first.text
    before = stored(hazards)

    other = await client.post(url, json=other_body(body), headers={HEADER: "reused"})

    problem = assert_problem(other, 422)
    assert "Idempotency-Key" in problem["detail"]
    assert stored(hazards) == before


async def test_without_a_key_each_request_creates(client: httpx.AsyncClient) -> None:
    one = await client.post(f"{API}/hazards", json=HAZARD)
    two = await client.post(f"{API}/hazards", json=HAZARD)

    assert one.status_code == two.status_code == 201
    assert one.json()["id"] != two.json()["id"]


async def test_a_key_is_scoped_to_its_route(client: httpx.AsyncClient) -> None:
    hazard = await client.post(f"{API}/hazards", json=HAZARD, headers={HEADER: "k"})
    area = await client.post(f"{API}/key-areas", json=KEY_AREA, headers={HEADER: "k"})

    assert hazard.status_code == area.status_code == 201
    assert hazard.json()["id"] != area.json()["id"]


async def test_a_refused_creation_claims_no_key(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    url = await route(client, "/rounds/{round}/findings")
    outside = {**FINDING, "township": "太京镇", "village": "太京村"}
    before = stored(hazards)

    refused = await client.post(url, json=outside, headers={HEADER: "k"})
    assert_problem(refused, 422)
    assert stored(hazards) == before

    # The key was not taken: the same request is decided again, not answered from a record.
    again = await client.post(url, json=outside, headers={HEADER: "k"})
    assert_problem(again, 422)


@pytest.mark.parametrize("key", ["密钥".encode(), b"x" * 256, b"", b"with space"])
async def test_a_malformed_key_is_a_422_problem(client: httpx.AsyncClient, key: bytes) -> None:
    response = await client.post(f"{API}/hazards", json=HAZARD, headers={HEADER.encode(): key})

    assert_problem(response, 422)


async def test_racing_requests_with_one_key_create_one_hazard(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    before = stored(hazards)

    answers = await asyncio.gather(
        *(client.post(f"{API}/hazards", json=HAZARD, headers={HEADER: "race"}) for _ in range(6))
    )

    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert len({a.json()["position"] for a in answers}) == 1
    assert sum(REPLAYED not in a.headers for a in answers) == 1
    # One hazard reported and one key claimed, in one transaction.
    assert stored(hazards) == before + 2


def test_racing_threads_with_one_key_create_one_aggregate(
    hazards: ServiceRuntime[HazardsApplication],
) -> None:
    app: HazardsApplication = hazards.application
    claim = Claim(scope="POST /api/hazards/hazards", key="threads", fingerprint="f")
    start = threading.Barrier(8)
    before = stored(hazards)

    def report() -> Recorded:
        start.wait(timeout=10)
        return app.create_once(
            claim,
            lambda: app.report_hazard(
                title="夜市消防通道堵塞",
                category=Category.FIRE,
                source=Source.GRID_WORKER,
                township="玉泉镇",
                village="莲亭村",
                address="莲亭村三巷",
                reporter="网格员 李",
                metadata=EventMetadata.new(),
            ),
        )

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: report(), range(8)))

    assert len({(a.id, a.position) for a in answers}) == 1
    assert sum(not a.replayed for a in answers) == 1
    assert stored(hazards) == before + 2
