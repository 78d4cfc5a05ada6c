"""The assessment lifecycle over the scoring API on real servers: a village assessed with its
residents consulted, follow-up visits, re-inspections due and overdue by township, an upgrade
that keeps the title meanwhile, and a failed re-inspection that revokes it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pingan.run.clock import FixedClock
from pingan.run.runtime import ServiceRuntime
from scoring.application import ScoringApplication
from tests.consultation import PASSING_CONSULTATION
from tests.integration.test_scoring_api import API, NOW, get, hierarchy, name_community, post

TAIJING = "太京镇"
WOTUO = "窝驼村"
SURVEY = {"households": 120, "feel_safe": 119, "satisfied": 118}
VILLAGE_SCORES = {
    "villagers_council": 12,
    "supervisory_board": 12,
    "mediation_committee": 12,
    "security_committee": 12,
    "joint_defence": 12,
    "four_deliberations": 15,
    "openness": 15,
    "ten_household_defence": 10,
}


@pytest.fixture(autouse=True)
def scoring_clock(scoring: ServiceRuntime[ScoringApplication]) -> FixedClock:
    """Today is 2026-06-20 in the office."""
    clock = FixedClock(NOW)
    scoring.clock = clock
    return clock


def meeting(held_on: str, attending: int, votes_for: int) -> dict[str, Any]:
    return {
        "held_on": held_on,
        "representatives": 30,
        "attending": attending,
        "votes_for": votes_for,
    }


async def named_village(client: httpx.AsyncClient) -> tuple[str, int]:
    """A village named 平安村 on 2025-07-01, and the position of its naming."""
    await post(
        client,
        "/units",
        {
            "kind": "township",
            "name": TAIJING,
            "township": TAIJING,
            "registered_by": "综治办",
            "registered_on": "2025-01-05",
        },
        201,
    )
    village = await post(
        client,
        "/units",
        {
            "kind": "village",
            "name": WOTUO,
            "township": TAIJING,
            "village": WOTUO,
            "registered_by": "综治办",
            "registered_on": "2025-01-05",
        },
        201,
    )
    path = f"/units/{village['id']}"
    await post(client, f"{path}/applications", {"standard": "village", "applied_on": "2025-05-01"})
    await post(
        client,
        f"{path}/assessments",
        {
            "scores": VILLAGE_SCORES,
            "survey": SURVEY,
            **PASSING_CONSULTATION,
            "assessors": ["区考评组"],
            "assessed_on": "2025-05-10",
        },
    )
    await post(client, f"{path}/notice", {"starts_on": "2025-05-11"})
    named = await post(client, f"{path}/naming", {"named_on": "2025-07-01"})
    return str(village["id"]), int(named["position"])


async def test_a_village_is_named_with_its_consultation_and_visited_after(
    scoring_client: httpx.AsyncClient,
) -> None:
    client = scoring_client
    await hierarchy(client)
    village, _ = await named_village(client)
    visit = await post(
        client,
        f"/units/{village}/follow-ups",
        {
            "form": "opinion_poll",
            "findings": "群众满意度较高,无反弹",
            "visitors": ["镇综治办", "区考评组"],
            "visited_on": "2025-12-01",
            "opinion": {"respondents": 50, "in_favour": 45},
        },
    )
    shown = await get(client, f"/units/{village}", visit["position"])
    assert (shown["status"], shown["standard"], shown["title"]) == ("named", "village@2", "平安村")
    assert shown["opinion_share"] > 0.9 and shown["meeting_held_on"] == "2025-05-01"
    assert (shown["follow_ups"], shown["last_follow_up"]) == (1, "2025-12-01")
    (entry,) = await get(client, f"/units/{village}/follow-ups", visit["position"])
    assert (entry["form"], entry["visitors"]) == ("opinion_poll", ["镇综治办", "区考评组"])
    assert entry["opinion_share"] == 0.9 and entry["security_share"] is None
    standards = await get(client, "/standards")
    village_std = next(s for s in standards if s["ref"] == "village@2")
    assert village_std["meeting"] == {"quorum": "2/3", "majority": "1/2", "quorum_exceeded": False}
    assert [x["pass_points"] for x in village_std["level_points"]] == [80, 90]


async def test_a_meeting_short_of_its_quorum_fails_and_a_missing_one_is_refused(
    scoring_client: httpx.AsyncClient,
) -> None:
    client = scoring_client
    community = (await hierarchy(client))["community"]["id"]
    path = f"/units/{community}"
    await post(
        client, f"{path}/applications", {"standard": "community", "applied_on": "2025-05-01"}
    )
    body: dict[str, Any] = {
        "scores": {
            "police_office": 25,
            "migrant_station": 25,
            "dispute_centre": 25,
            "governance_team": 25,
        },
        "survey": SURVEY,
        "opinion": PASSING_CONSULTATION["opinion"],
        "assessors": ["区考评组"],
        "assessed_on": "2025-05-10",
    }
    missing = await client.post(
        f"{API}{path}/assessments", json=body, headers={"Accept-Language": "zh-CN"}
    )
    assert missing.status_code == 422, missing.text
    assert "代表会议" in missing.json()["detail"]
    wrong = await client.post(
        f"{API}{path}/assessments", json={**body, "meeting": meeting("2025-05-02", 31, 10)}
    )
    assert wrong.status_code == 422
    failed = await post(
        client, f"{path}/assessments", {**body, "meeting": meeting("2025-05-02", 15, 15)}
    )
    shown = await get(client, f"/units/{community}", failed["position"])
    assert (shown["status"], shown["verdict"]) == ("failed", "fail")
    history = await get(client, f"/units/{community}/history")
    assert [e["event"] for e in history["entries"]].count("Assessed") == 1


async def test_reinspections_due_and_overdue_by_township(
    scoring_client: httpx.AsyncClient,
) -> None:
    client = scoring_client
    units = await hierarchy(client)
    await name_community(client, units["community"]["id"])  # due 2026-06-01: overdue
    village, position = await named_village(client)  # due 2026-07-01: within 30 days of 06-20

    overdue = await get(client, "/reinspections", position, state="overdue")
    assert [(u["unit_id"], u["days"]) for u in overdue["items"]] == [(units["community"]["id"], 19)]
    due = await get(client, "/reinspections", position, state="due")
    assert [(u["unit_id"], u["days"], u["title"]) for u in due["items"]] == [
        (village, 11, "平安村")
    ]
    assert (await get(client, "/reinspections", position, state="due", within_days=5))["total"] == 0
    assert (await get(client, "/reinspections", position, state="overdue", township=TAIJING))[
        "total"
    ] == 0
    assert (await get(client, "/reinspections", position, state="due", township=TAIJING))[
        "total"
    ] == 1
    bad = await client.get(f"{API}/reinspections", params={"state": "soon"})
    assert bad.status_code == 422

    kept = await post(
        client,
        f"/units/{units['community']['id']}/reinspections",
        {"passed": True, "findings": "四个一运转正常", "inspected_on": "2026-06-19"},
    )
    overdue = await get(client, "/reinspections", kept["position"], state="overdue")
    assert overdue["total"] == 0
    lost = await post(
        client,
        f"/units/{village}/reinspections",
        {"passed": False, "findings": "村调委会未运转", "inspected_on": "2026-06-20"},
    )
    shown = await get(client, f"/units/{village}", lost["position"])
    assert (shown["status"], shown["barred_until"]) == ("revoked", "2027-06-20")
    due = await get(client, "/reinspections", lost["position"], state="due")
    assert due["total"] == 0


async def test_an_upgrade_keeps_the_title_and_raises_the_level_on_a_pass(
    scoring_client: httpx.AsyncClient,
) -> None:
    client = scoring_client
    await hierarchy(client)
    village, _ = await named_village(client)
    short = {**VILLAGE_SCORES, "openness": 0}  # 85: short of the 90 of 平安示范村
    body: dict[str, Any] = {
        "level": 2,
        "survey": SURVEY,
        "opinion": PASSING_CONSULTATION["opinion"],
        "meeting": meeting("2026-06-01", 25, 20),
        "assessors": ["区考评组"],
    }
    failed = await post(
        client, f"/units/{village}/upgrades", {**body, "scores": short, "assessed_on": "2026-06-02"}
    )
    shown = await get(client, f"/units/{village}", failed["position"])
    assert (shown["status"], shown["title"], shown["level"]) == ("named", "平安村", 1)
    assert shown["upgrade_barred_until"] == "2027-06-02"
    again = await client.post(
        f"{API}/units/{village}/upgrades", json={**body, "scores": VILLAGE_SCORES}
    )
    assert again.status_code == 422 and "2027-06-02" in again.json()["detail"]
    titles = await get(client, f"/units/{village}/titles", failed["position"])
    assert [(t["level"], t["revoked_on"]) for t in titles] == [(1, None)]


async def test_a_passed_upgrade_raises_the_level_of_the_held_title(
    scoring_client: httpx.AsyncClient,
) -> None:
    client = scoring_client
    await hierarchy(client)
    village, _ = await named_village(client)
    passed = await post(
        client,
        f"/units/{village}/upgrades",
        {
            "level": 2,
            "scores": VILLAGE_SCORES,
            "survey": SURVEY,
            **PASSING_CONSULTATION,
            "assessors": ["区考评组"],
            "assessed_on": "2026-06-20",
        },
    )
    shown = await get(client, f"/units/{village}", passed["position"])
    assert (shown["status"], shown["level"], shown["reinspection_due"]) == (
        "named",
        2,
        "2027-06-20",
    )
    titles = await get(client, f"/units/{village}/titles", passed["position"])
    assert [(t["level"], t["standard"]) for t in titles] == [(2, "village@2")]
    history = await get(client, f"/units/{village}/history")
    assert [e["event"] for e in history["entries"]][-2:] == ["Assessed", "Upgraded"]
    town = await client.post(
        f"{API}/units/{village}/upgrades",
        json={"level": 3, "scores": VILLAGE_SCORES, "assessors": ["x"]},
    )
    assert town.status_code == 422
