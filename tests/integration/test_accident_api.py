"""Safety accidents over HTTP, in one process, on a real NATS and PostgreSQL: commands through
the relay and the bus into the accident register, and the events scoring consumes."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from hazards.application import HazardsApplication
from hazards.contracts.accident import AccidentReclassifiedV1, AccidentReportedV1
from hazards.domain.accident import AccidentKind, InvestigatingBody, Severity
from hazards.projections import accidents as accidents_view
from hazards.projections.accidents import AccidentRegister
from pingan.bus.contracts import IntegrationEvent
from pingan.bus.envelope import Envelope, Header
from pingan.consume.rows import ViewWriter
from pingan.run.runtime import ServiceRuntime
from tests.problems import assert_problem, store_position
from tests.tokens import OFFICE_SUBJECT

API = "/api/hazards"
NOW = datetime(2026, 5, 20, 4, tzinfo=UTC)
REPORT: dict[str, Any] = {
    "happened_at": "2026-05-18T14:30:00+08:00",
    "received_at": "2026-05-18T15:00:00+08:00",
    "township": "玉泉镇",
    "village": "莲亭村",
    "place": "莲亭批发市场二号仓库",
    "unit_id": "unit-lianting-market",
    "unit_name": "莲亭批发市场",
    "kind": "fire",
    "severity": "larger",
    "deaths": 3,
    "serious_injuries": 2,
    "direct_loss_yuan": "1250000.50",
    "description": "仓库电气线路短路引发火灾",
    "reported_by": "玉泉镇安监站",
}
CONCLUDE: dict[str, Any] = {
    "cause": "电气线路老化短路",
    "responsibility": "市场经营者未落实消防安全主体责任",
    "conclusion_on": "2026-05-19",
}


pytestmark = pytest.mark.usefixtures("fixed_clock")


async def post(client: httpx.AsyncClient, path: str, body: Any, status: int = 200) -> Any:
    response = await client.post(f"{API}/accidents{path}", json=body)
    assert response.status_code == status, response.text
    return response.json()


async def report(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    created: dict[str, Any] = await post(client, "", {**REPORT, **overrides}, 201)
    return created


async def get(client: httpx.AsyncClient, path: str, position: int, **params: Any) -> Any:
    response = await client.get(
        f"{API}/accidents{path}", params={**params, "min_position": position}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_reported_accident_is_visible_in_the_register(client: httpx.AsyncClient) -> None:
    created = await report(client)

    accident = await get(client, f"/{created['id']}", created["position"])

    assert accident["status"] == "reported"
    assert accident["severity"] == "larger"
    assert accident["investigated_by"] == "city", "条例 art. 19: 较大 goes to the city"
    assert accident["report_late"] is False
    assert accident["onward_next_level"] == "city"
    assert datetime.fromisoformat(accident["onward_due_at"]) == datetime.fromisoformat(
        "2026-05-18T17:00:00+08:00"
    )
    assert datetime.fromisoformat(accident["casualties_final_at"]) == datetime.fromisoformat(
        "2026-05-25T14:30:00+08:00"
    ), "a fire: 7 days (art. 13)"
    assert datetime.fromisoformat(accident["investigation_due_at"]) == datetime.fromisoformat(
        "2026-07-17T14:30:00+08:00"
    )
    assert accident["major"] is False
    assert accident["unit_id"] == "unit-lianting-market"
    assert accident["direct_loss_yuan"] == "1250000.50"
    assert datetime.fromisoformat(accident["happened_at"]) == datetime.fromisoformat(
        REPORT["happened_at"]
    )


@pytest.mark.parametrize(
    "happened_at",
    ["2026-05-18T14:30:00", "2026-05-18T06:30:00Z", "2026-05-18T14:30:00+08:00"],
    ids=["naive", "utc", "office-offset"],
)
async def test_a_time_without_a_zone_is_office_time_and_times_are_answered_in_it(
    client: httpx.AsyncClient, happened_at: str
) -> None:
    created = await report(client, happened_at=happened_at)

    accident = await get(client, f"/{created['id']}", created["position"])

    assert accident["happened_at"] == "2026-05-18T14:30:00+08:00"
    assert accident["reported_at"].endswith("+08:00")
    history = await client.get(f"{API}/accidents/{created['id']}/history")
    assert history.json()["entries"][0]["recorded_at"].endswith("+08:00")


async def test_revised_figures_investigation_and_closing_show_in_the_register(
    client: httpx.AsyncClient,
) -> None:
    created = await report(client)
    accident_id = created["id"]
    await post(
        client,
        f"/{accident_id}/figures",
        {"reason": "七名重伤者经抢救无效死亡 (补报)", "deaths": 10},
    )
    await post(client, f"/{accident_id}/investigation", CONCLUDE)
    closed = await post(client, f"/{accident_id}/close", {"closed_by": "区安委会"})

    accident = await get(client, f"/{accident_id}", closed["position"])

    assert accident["status"] == "closed"
    assert (accident["severity"], accident["major"], accident["deaths"]) == ("major", True, 10)
    assert accident["investigated_by"] == "province"
    assert accident["reclassifications"] == 1
    assert accident["reclassification_reason"].startswith("七名重伤者")
    assert accident["cause"] == CONCLUDE["cause"]
    assert accident["conclusion_on"] == "2026-05-19"
    assert accident["closed_by"] == "区安委会"


async def test_the_register_filters_by_township_severity_major_unit_and_dates(
    client: httpx.AsyncClient,
) -> None:
    larger = await report(client)
    major = await report(
        client,
        township="太京镇",
        village="窝驼村",
        unit_id="unit-taijing-school",
        severity="major",
        deaths=10,
        # 07:00 in Qinzhou on 1 May is still 30 April in UTC: the filter takes local dates.
        happened_at="2026-05-01T07:00:00+08:00",
        received_at="2026-05-01T07:30:00+08:00",
    )
    general = await report(
        client,
        unit_id=None,
        severity="general",
        deaths=0,
        serious_injuries=0,
        happened_at="2026-04-30T10:00:00+08:00",
        received_at="2026-04-30T10:30:00+08:00",
    )
    position = general["position"]

    async def ids(**params: Any) -> list[str]:
        page = await get(client, "", position, **params)
        return [item["id"] for item in page["items"]]

    assert await ids() == [larger["id"], major["id"], general["id"]]
    assert await ids(township="太京镇") == [major["id"]]
    assert await ids(severity="general") == [general["id"]]
    assert await ids(major=True) == [major["id"]]
    assert await ids(major=False) == [larger["id"], general["id"]]
    assert await ids(unit_id="unit-lianting-market") == [larger["id"]]
    assert await ids(occurred_from="2026-05-01") == [larger["id"], major["id"]]
    assert await ids(occurred_to="2026-04-30") == [general["id"]]
    assert await ids(occurred_from="2026-05-01", occurred_to="2026-05-17") == [major["id"]]
    assert (await get(client, "", position, limit=1, offset=1))["total"] == 3


async def test_the_published_accident_events_carry_major_severity_unit_and_correlation(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    reported = await client.post(f"{API}/accidents", json=REPORT, headers={"X-Request-ID": "acc-7"})
    reclassified = await client.post(
        f"{API}/accidents/{reported.json()['id']}/figures",
        json={"reason": "死亡人数上升", "deaths": 30},
        headers={"X-Request-ID": "acc-8"},
    )
    await get(client, "", reclassified.json()["position"])

    first = await hazards.js.get_msg("HAZARDS", seq=1)
    second = await hazards.js.get_msg("HAZARDS", seq=2)

    assert first.headers is not None and second.headers is not None
    assert first.headers[Header.TYPE] == "pingan.hazards.accident.reported.v2"
    assert first.headers[Header.CORRELATION_ID] == "acc-7"
    assert first.headers[Header.ACTOR] == OFFICE_SUBJECT
    assert first.subject == "hazards.accident.reported"
    body = json.loads(first.data or b"{}")
    assert body["accident_id"] == reported.json()["id"]
    assert (body["severity"], body["major"], body["unit_id"]) == (
        "larger",
        False,
        "unit-lianting-market",
    )
    assert second.headers[Header.TYPE] == "pingan.hazards.accident.figures_revised.v1"
    assert second.headers[Header.CORRELATION_ID] == "acc-8"
    assert second.subject == "hazards.accident.figures_revised"
    body = json.loads(second.data or b"{}")
    assert (body["severity"], body["previous_severity"], body["major"], body["unit_id"]) == (
        "especially_major",
        "larger",
        True,
        "unit-lianting-market",
    )


async def test_a_grade_other_than_the_figures_make_is_422_naming_theirs_and_writes_nothing(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    before = await store_position(hazards)

    response = await client.post(
        f"{API}/accidents", json={**REPORT, "severity": "general", "serious_injuries": 10}
    )

    above = await client.post(f"{API}/accidents", json={**REPORT, "severity": "major"})

    for refused, theirs in ((response, "a larger accident"), (above, "a larger accident")):
        problem = assert_problem(refused, 422)
        assert problem["type"].endswith("rule-violation")
        assert theirs in problem["detail"]
    assert await store_position(hazards) == before


@pytest.mark.parametrize(
    ("body", "bad_field"),
    [
        ({k: v for k, v in REPORT.items() if k != "deaths"}, "deaths"),
        ({**REPORT, "severity": "catastrophic"}, "severity"),
        ({**REPORT, "kind": "ufo"}, "kind"),
        ({**REPORT, "deaths": -1}, "deaths"),
        ({**REPORT, "direct_loss_yuan": "-5"}, "direct_loss_yuan"),
        ({**REPORT, "direct_loss_yuan": "10.555"}, "direct_loss_yuan"),
        ({**REPORT, "happened_at": "yesterday"}, "happened_at"),
        ({**REPORT, "major": True}, "major"),
    ],
)
async def test_a_bad_report_is_422_problem_and_writes_nothing(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    body: dict[str, Any],
    bad_field: str,
) -> None:
    before = await store_position(hazards)

    response = await client.post(f"{API}/accidents", json=body)

    problem = assert_problem(response, 422)
    assert any(bad_field in error["loc"] for error in problem["errors"])
    assert await store_position(hazards) == before


async def test_an_accident_in_the_future_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/accidents", json={**REPORT, "happened_at": "2026-05-20T12:01:00+08:00"}
    )

    assert "before it happens" in assert_problem(response, 422)["detail"]


async def test_a_revision_that_changes_no_figure_is_422(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    created = await report(client)
    before = await store_position(hazards)

    response = await client.post(
        f"{API}/accidents/{created['id']}/figures", json={"deaths": 3, "reason": "重新核定"}
    )

    assert "changes none of the figures" in assert_problem(response, 422)["detail"]
    assert await store_position(hazards) == before


async def test_closing_before_the_investigation_is_409_naming_state_and_allowed_commands(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    created = await report(client)
    before = await store_position(hazards)

    response = await client.post(
        f"{API}/accidents/{created['id']}/close", json={"closed_by": "区安委会"}
    )

    problem = assert_problem(response, 409)
    assert problem["current_state"] == "reported"
    assert problem["command"] == "/close"
    assert problem["allowed_commands"] == [
        "/figures",
        "/investigation",
        "/investigation/extension",
        "/onward-reports",
    ]
    assert await store_position(hazards) == before


async def test_a_refused_command_is_named_in_words_in_either_language(
    client: httpx.AsyncClient,
) -> None:
    created = await report(client)
    path = f"{API}/accidents/{created['id']}/close"

    chinese = await client.post(
        path, json={"closed_by": "区安委会"}, headers={"Accept-Language": "zh-CN"}
    )
    english = await client.post(path, json={"closed_by": "区安委会"})

    assert assert_problem(chinese, 409)["detail"] == (
        "事故当前状态为「已报告」,不能执行「结案」(/close);"
        "当前可执行:「补报伤亡和损失」(/figures)、「作出调查结论」(/investigation)、"
        "「延长调查期限」(/investigation/extension)、「逐级上报」(/onward-reports)"
    )
    assert assert_problem(english, 409)["detail"] == (
        "“close” (/close) is not allowed on an accident that is reported; allowed now: "
        "“revise the figures” (/figures), “conclude the investigation” (/investigation), "
        "“extend the investigation” (/investigation/extension), “report onward” "
        "(/onward-reports)"
    )


async def test_an_unknown_accident_is_404_problem(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    before = await store_position(hazards)
    missing = uuid.uuid4()

    read = await client.get(f"{API}/accidents/{missing}")
    command = await client.post(f"{API}/accidents/{missing}/investigation", json=CONCLUDE)

    for response in (read, command):
        assert_problem(response, 404)
    assert await store_position(hazards) == before


async def test_a_reversed_date_range_is_422(client: httpx.AsyncClient) -> None:
    response = await client.get(
        f"{API}/accidents", params={"occurred_from": "2026-05-02", "occurred_to": "2026-05-01"}
    )

    problem = assert_problem(response, 422)
    assert problem["errors"][0]["loc"] == ["query", "occurred_from"]


def envelope(contract: type[IntegrationEvent], position: int) -> Envelope:
    return Envelope(
        id=f"hazards:{position}",
        source="hazards",
        type=contract.event_type,
        subject=contract.subject,
        time=NOW,
        position=position,
        correlation_id="old-ledger",
        causation_id="old-ledger",
        actor="office",
    )


async def test_messages_graded_up_for_impact_before_the_rule_read_with_their_figures_grade(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    accident_id = uuid.uuid4()
    old_report = AccidentReportedV1(
        accident_id=accident_id,
        occurred_at=NOW,
        happened_at=datetime.fromisoformat(REPORT["happened_at"]),
        township="玉泉镇",
        village="莲亭村",
        place="莲亭批发市场",
        kind=AccidentKind.FIRE,
        severity=Severity.MAJOR,
        major=True,
        deaths=1,
        serious_injuries=0,
        direct_loss_yuan=Decimal(30000),
        reported_by="玉泉镇安监站",
    )
    old_regrade = AccidentReclassifiedV1(
        accident_id=accident_id,
        occurred_at=NOW,
        severity=Severity.ESPECIALLY_MAJOR,
        previous_severity=Severity.MAJOR,
        major=True,
        reason="社会影响恶劣",
        deaths=3,
        serious_injuries=0,
        direct_loss_yuan=Decimal(30000),
        township="玉泉镇",
    )
    view = AccidentRegister()
    async with hazards.pool.acquire() as conn:
        tx = conn.transaction()
        await tx.start()
        try:
            writer = ViewWriter(conn)
            await view.apply(
                writer, envelope(AccidentReportedV1, 10**9), old_report.model_dump_json().encode()
            )
            await writer.flush()
            first = await accidents_view.get_accident(conn, accident_id)
            await view.apply(
                writer,
                envelope(AccidentReclassifiedV1, 10**9 + 1),
                old_regrade.model_dump_json().encode(),
            )
            await writer.flush()
            second = await accidents_view.get_accident(conn, accident_id)
        finally:
            await tx.rollback()

    assert first is not None and second is not None
    assert (first.severity, first.major, first.investigated_by) == (
        Severity.GENERAL,
        False,
        InvestigatingBody.DISTRICT,
    )
    assert first.received_at is None and first.onward_due_at is None
    assert (second.severity, second.major, second.deaths) == (Severity.LARGER, False, 3)
    assert second.investigated_by is InvestigatingBody.CITY
