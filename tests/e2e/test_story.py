"""The source's story, end to end: every step through the public HTTP API with the token of the
role that takes it, every process of its own (serve, relay, project, react, jobs), every read
waiting by read-your-writes (`min_position` within a service, `after` across services).

Last month in 玉泉镇: a rolling investigation round (滚动排查) finds hazards in the urban village
莲亭村, a key area (重点整治区域); they are filed, planned with 五落实, rectified in two batches and
verified (one fails first). A telecom-fraud campaign (电信诈骗) runs while the month's cases surge
against a year of history and raise a warning, which is acknowledged and answered. 天水郡村 is
assessed and named 平安村; a major public-order case there strips the title once; the
township's standing drops; and the three services' monthly and quarterly reports agree.
"""

from __future__ import annotations

import json
from calendar import monthrange
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from pingan.auth.principal import Role
from pingan.run.embedded import free_port
from pingan.run.settings import Settings
from tests.conftest import Spawn
from tests.seeding import eventually
from tests.servers import Proc
from tests.tokens import bearer, inspector_headers, mint

pytestmark = pytest.mark.slow

TOWN = "玉泉镇"
URBAN_VILLAGE = "莲亭村"
SAFE_VILLAGE = "天水郡村"
STATION = "玉泉派出所"
SERVICES = ("hazards", "campaigns", "scoring")
#: The wait of a read-your-writes query: a shared two-core machine is slow, not down.
WAIT_S = 30

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
#: The story's month: last month, so that every business date lies in the past.
FIRST = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
MONTH = f"{FIRST:%Y-%m}"
LAST = FIRST.replace(day=monthrange(FIRST.year, FIRST.month)[1])
QUARTER = (FIRST.month - 1) // 3 + 1
#: The month of the major case: this one. Scoring strips a title on the day the upstream
#: office records the case, so the revocation falls today whatever the case's business date.
NOW_MONTH = f"{TODAY:%Y-%m}"
NOW_QUARTER = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"


def day(n: int) -> str:
    return FIRST.replace(day=n).isoformat()


def months_before(k: int) -> date:
    """The first day of the month `k` months before the story's."""
    index = FIRST.year * 12 + FIRST.month - 1 - k
    return date(index // 12, index % 12 + 1, 1)


class Story:
    """The public API with a token per role; remembers each stream's latest `after` token."""

    def __init__(self, http: httpx.AsyncClient, settings: Settings) -> None:
        self.http = http
        self.office = bearer(mint(settings))
        self.officer = bearer(
            mint(
                settings, Role.TOWNSHIP_OFFICER, subject="officer-wang", name="王芳", township=TOWN
            )
        )
        self.inspector = inspector_headers(settings)
        self.police = bearer(
            mint(settings, Role.POLICE, subject="police-li", name="李警官", station=STATION)
        )
        self.assessor = bearer(
            mint(settings, Role.ASSESSOR, subject="assessor-chen", name="陈考评")
        )
        self.viewer = bearer(mint(settings, Role.VIEWER, subject="viewer-zhou", name="周观察"))
        self.after: dict[str, str] = {}

    async def do(
        self, who: dict[str, str], path: str, body: dict[str, Any] | None = None, status: int = 200
    ) -> dict[str, Any]:
        response = await self.http.post(path, json=body or {}, headers=who)
        assert response.status_code == status, (path, response.text)
        answer: dict[str, Any] = response.json()
        stream = answer["after"].split(":")[0]
        self.after[stream] = answer["after"]
        return answer

    async def create(self, who: dict[str, str], path: str, body: dict[str, Any]) -> str:
        created: str = (await self.do(who, path, body, status=201))["id"]
        return created

    def position(self, service: str) -> int:
        return int(self.after[service.upper()].split(":")[1])

    async def read(self, path: str, *streams: str, **params: Any) -> Any:
        """A query that waits for this story's writes: its own stream's by `min_position`,
        the others' (named) by `after`."""
        service = path.split("/")[2]
        query: dict[str, Any] = {"wait": WAIT_S, **params}
        if streams:
            query["after"] = [self.after[s] for s in streams if s in self.after]
        elif service.upper() in self.after:
            query["min_position"] = self.position(service)
        response = await self.http.get(path, params=query, headers=self.viewer)
        assert response.status_code == 200, (path, response.text)
        return response.json()

    async def standing(self, period: str) -> dict[str, Any]:
        found = await self.read(
            "/api/scoring/standings", "HAZARDS", "CAMPAIGNS", "SCORING", period=period
        )
        (yuquan,) = [t for t in found["townships"] if t["township"] == TOWN]
        return dict(yuquan)


def spawn_system(spawn: Spawn) -> tuple[str, Proc]:
    """Every part of every service as its own process: the base URL of the API, and the
    reactions' process."""
    port = free_port()
    stations = json.dumps({STATION: [TOWN]}, ensure_ascii=False)
    spawn("serve", "--port", str(port), "--workers", "1", AUTH_STATION_TOWNSHIPS=stations)
    spawn("relay")
    spawn("project")
    reactions = spawn("react")
    spawn("jobs")
    return f"http://127.0.0.1:{port}", reactions


async def ready(http: httpx.AsyncClient) -> bool:
    try:
        answers = [await http.get(f"/api/{service}/readyz") for service in SERVICES]
    except httpx.TransportError:
        return False
    return all(a.status_code == 200 for a in answers)


# -- hazards ---------------------------------------------------------------------------------

FINDINGS: list[dict[str, Any]] = [
    {
        "title": "出租屋电动车楼道充电",
        "category": "fire",
        "address": "莲亭巷 12 号",
        "grade": "general",
        "likelihood": 3,
        "severity": 3,
        "batch": "第一批",
        "starts": 5,
    },
    {
        "title": "城中村背街监控盲区",
        "category": "public_order",
        "address": "莲亭后街",
        "grade": "general",
        "likelihood": 3,
        "severity": 2,
        "batch": "第一批",
        "starts": 5,
    },
    {
        "title": "民房内违规存放液化气钢瓶",
        "category": "flammable_explosive",
        "address": "莲亭巷 30 号",
        "grade": "major",
        "likelihood": 4,
        "severity": 5,
        "batch": "第二批",
        "starts": 8,
    },
]


async def investigate_and_rectify(story: Story) -> list[str]:
    """Designate the urban village, sweep it in a round, and take each finding through its
    closed loop; the major one fails its first verification."""
    area = await story.create(
        story.office,
        "/api/hazards/key-areas",
        {
            "name": "莲亭城中村",
            "kind": "urban_village",
            "township": TOWN,
            "village": URBAN_VILLAGE,
            "description": "城中村综合整治",
            "designated_by": "区委政法委",
            "business_date": day(1),
        },
    )
    round_id = await story.create(
        story.office,
        "/api/hazards/rounds",
        {
            "name": f"{MONTH} 滚动排查",
            "areas": [URBAN_VILLAGE],
            "starts_on": day(1),
            "ends_on": day(10),
            "organiser": "玉泉镇综治办",
            "business_date": day(1),
        },
    )
    hazards = []
    for finding in FINDINGS:
        hazard = await story.create(
            story.officer,
            f"/api/hazards/rounds/{round_id}/findings",
            {
                "title": finding["title"],
                "category": finding["category"],
                "township": TOWN,
                "village": URBAN_VILLAGE,
                "address": finding["address"],
                "reporter": "玉泉镇网格员",
                "key_area_id": area,
                "business_date": day(3),
            },
        )
        hazards.append(hazard)
        path = f"/api/hazards/hazards/{hazard}"
        filing = {k: finding[k] for k in ("category", "grade", "likelihood", "severity")}
        if finding["grade"] == "major":
            filing["determination_basis"] = "《重大火灾隐患判定方法》GB 35181-2017 第6条"
        await story.do(story.officer, f"{path}/file", {**filing, "business_date": day(3)})
        five = {  # 五落实: measures, funds, deadline, responsibility, contingency plan
            "measures": "清理整改并加装防护设施",
            "deadline": day(20),
            "responsible_person": "赵强",
            "funds_yuan": "12000.00",
            "contingency_plan": "夜间巡查、疏散预案",
            "business_date": day(4),
        }
        await story.do(story.officer, f"{path}/plan", five)
        responsibility = {
            "responsible_unit": "玉泉镇安监站",
            "responsible_person": "赵强",
            "business_date": day(4),
        }
        await story.do(story.officer, f"{path}/responsibility", responsibility)
        starts = day(finding["starts"])
        schedule = {"batch": finding["batch"], "starts_on": starts, "business_date": day(4)}
        await story.do(story.officer, f"{path}/schedule", schedule)
        await story.do(story.officer, f"{path}/start", {"business_date": starts})
        await story.do(
            story.officer,
            f"{path}/rectification",
            {"summary": "已整改", "business_date": day(10)},
        )
        if finding["grade"] == "major":
            failed = {
                "inspector": "吴检查",
                "verified_on": day(11),
                "passed": False,
                "notes": "钢瓶仍未清出",
            }
            await story.do(story.inspector, f"{path}/verification", failed)
            again = {"summary": "钢瓶已全部清出", "business_date": day(12)}
            await story.do(story.officer, f"{path}/rectification", again)
        passed = {"inspector": "吴检查", "verified_on": day(13), "passed": True, "notes": "合格"}
        await story.do(story.inspector, f"{path}/verification", passed)
        await story.do(
            story.officer, f"{path}/close", {"closed_by": "王芳", "business_date": day(14)}
        )
    await story.do(
        story.office,
        f"/api/hazards/rounds/{round_id}/close",
        {
            "summary": "排查隐患三处,均已整改销号",
            "closed_by": "区委政法委",
            "business_date": day(14),
        },
    )

    register = await story.read("/api/hazards/hazards", round_id=round_id)
    assert {h["id"] for h in register["items"]} == set(hazards)
    assert {h["status"] for h in register["items"]} == {"closed"}
    assert all(h["on_time"] for h in register["items"])
    major = await story.read(f"/api/hazards/hazards/{hazards[2]}")
    assert major["returned_for_rectification"] == 1 and major["on_ledger"] is False
    closed = await story.read(f"/api/hazards/rounds/{round_id}")
    assert closed["status"] == "closed", closed
    return hazards


# -- campaigns -------------------------------------------------------------------------------


def fraud(on: date, village: str = URBAN_VILLAGE) -> dict[str, Any]:
    return {
        "kind": "电信诈骗",
        "township": TOWN,
        "village": village,
        "place": "居民家中(电话、网络)",
        "happened_at": f"{(on - timedelta(days=1)).isoformat()}T20:00:00+08:00",
        "registered_on": on.isoformat(),
        "registered_by": STATION,
        "loss_yuan": "38000",
    }


async def run_fraud_campaign(story: Story) -> tuple[str, list[str]]:
    """A year of history, then the month's surge under a telecom-fraud campaign; the warning
    it raises is acknowledged, answered and closed. The campaign and the month's cases."""
    for k in range(12, 0, -1):
        await story.create(
            story.police, "/api/campaigns/cases", fraud(months_before(k) + timedelta(days=14))
        )
    campaign = await story.create(
        story.office,
        "/api/campaigns/campaigns",
        {
            "kind": "电信诈骗",
            "name": f"{MONTH} 打击治理电信网络诈骗专项行动",
            "townships": [TOWN],
            "starts_on": day(1),
            "ends_on": LAST.isoformat(),
            "lead_unit": STATION,
            "planned_by": "区委政法委",
            "targets": {"cases_solved": 3, "arrests": 2},
            "business_date": months_before(1).isoformat(),
        },
    )
    path = f"/api/campaigns/campaigns/{campaign}"
    await story.do(story.office, f"{path}/launch", {"launched_on": day(1)})
    cases = [
        await story.create(story.police, "/api/campaigns/cases", fraud(FIRST + timedelta(days=n)))
        for n in range(4, 11)
    ]
    for case in cases[:3]:
        await story.do(story.police, f"/api/campaigns/cases/{case}/solve", {"solved_on": day(15)})
    await story.do(
        story.police,
        f"/api/campaigns/cases/{cases[0]}/apprehensions",
        {"count": 2, "apprehended_on": day(15), "suspects": []},
    )
    await story.do(
        story.police,
        f"/api/campaigns/cases/{cases[0]}/seizures",
        {"seized_on": day(16), "seizures": [{"type": "fraud_money_recovered", "quantity": 52000}]},
    )

    warnings = await story.read(
        "/api/campaigns/warnings", "CAMPAIGNS", area=TOWN, month_from=MONTH, month_to=MONTH
    )
    (cell,) = [w for w in warnings["items"] if w["level"] == "cell"]
    # A year of one a month is a baseline of 1: (√1 + 1.5)² = 6.25, so the seventh case warns.
    assert (cell["kind"], cell["count"], cell["baseline"]) == ("telecom_fraud", 7, 1.0), cell
    warning = f"/api/campaigns/warnings/{cell['id']}"
    await story.do(story.officer, f"{warning}/acknowledge", {"acknowledged_by": "玉泉镇综治办"})
    await story.do(
        story.officer,
        f"{warning}/response",
        {"response": "入户宣传防诈骗、派出所开展劝阻回访", "recorded_by": "玉泉镇综治办"},
    )
    await story.do(
        story.office, f"{warning}/close", {"summary": "势头已遏制", "closed_by": "区委政法委"}
    )
    await story.do(
        story.office,
        f"{path}/conclude",
        {"concluded_on": LAST.isoformat(), "summary": "破案三起,抓获两人,追回被骗资金"},
    )
    closed = await story.read(warning)
    assert closed["status"] == "closed", closed
    board = await story.read(f"{path}/dashboard")
    assert (board["criminal"]["registered"], board["criminal"]["solved"]) == (7, 3), board
    return campaign, cases


# -- scoring ---------------------------------------------------------------------------------


async def name_safe_village(story: Story) -> str:
    """Register the district, the township and 天水郡村; assess the village with its survey,
    public opinion (民意测评) and representatives' meeting (代表会议); name it 平安村 after the
    notice."""
    registered_on = months_before(2).isoformat()
    for kind, name, township in (("district", "秦州区", None), ("township", TOWN, TOWN)):
        await story.create(
            story.office,
            "/api/scoring/units",
            {
                "kind": kind,
                "name": name,
                "township": township,
                "address": "-",
                "registered_by": "区委政法委",
                "registered_on": registered_on,
            },
        )
    village = await story.create(
        story.officer,
        "/api/scoring/units",
        {
            "kind": "village",
            "name": SAFE_VILLAGE,
            "township": TOWN,
            "village": SAFE_VILLAGE,
            "address": "天水郡村村委会",
            "registered_by": "玉泉镇综治办",
            "registered_on": registered_on,
        },
    )
    path = f"/api/scoring/units/{village}"
    await story.do(
        story.officer,
        f"{path}/applications",
        {"standard": "village", "level": 1, "applied_on": day(1)},
    )
    standards = await story.read("/api/scoring/standards")
    (current,) = [
        s
        for s in standards
        if s["id"] == "village"
        and s["version"] == max(x["version"] for x in standards if x["id"] == "village")
    ]
    await story.do(
        story.assessor,
        f"{path}/assessments",
        {
            "scores": {c["code"]: c["points"] for c in current["criteria"]},
            "survey": {"households": 100, "feel_safe": 98, "satisfied": 97},
            "opinion": {"respondents": 100, "in_favour": 98},
            "meeting": {
                "held_on": day(1),
                "representatives": 30,
                "attending": 25,
                "votes_for": 20,
            },
            "assessors": ["区考评组"],
            "assessed_on": day(2),
        },
    )
    await story.do(story.office, f"{path}/notice", {"starts_on": day(3)})
    await story.do(story.office, f"{path}/naming", {"named_on": day(12)})
    named = await story.read(path, "SCORING")
    assert named["status"] == "named" and named["title"], named
    return village


async def strip_by_major_case(story: Story, village: str, spawn: Spawn, reactions: Proc) -> str:
    """A robbery of 600,000 yuan in the named village: a major public-order case (重大治安案件)
    that strips the title once, however often it is read or the reaction restarts."""
    case = await story.create(
        story.police,
        "/api/campaigns/cases",
        {
            "kind": "robbery",
            "township": TOWN,
            "village": SAFE_VILLAGE,
            "place": "天水郡村金店",
            "happened_at": f"{TODAY.isoformat()}T00:00:00+08:00",
            "registered_on": TODAY.isoformat(),
            "registered_by": STATION,
            "loss_yuan": "600000",
        },
    )
    registered = await story.read(f"/api/campaigns/cases/{case}")
    assert registered["major"] is True, registered

    unit = await story.read(f"/api/scoring/units/{village}", "CAMPAIGNS", "SCORING")
    assert unit["status"] == "revoked" and unit["title"] is None, unit
    log = await story.read(f"/api/scoring/units/{village}/revocations", "CAMPAIGNS")
    (revocation,) = log["items"]
    assert revocation["cause"] == "major_case", revocation
    incidents = await story.read(f"/api/scoring/units/{village}/incidents", "CAMPAIGNS")
    (incident,) = [i for i in incidents["items"] if i["upstream_id"] == case]
    assert revocation["incident_id"] == incident["id"]

    # Killed and started again, the reaction goes on from its tracking (a message it had not
    # acknowledged is delivered again): the case solved next is read past, with no second strip.
    reactions.kill9()
    spawn("react")
    await story.do(
        story.police, f"/api/campaigns/cases/{case}/solve", {"solved_on": TODAY.isoformat()}
    )
    again = await story.read(f"/api/scoring/units/{village}/revocations", "CAMPAIGNS")
    everything = await story.read("/api/scoring/revocations", "CAMPAIGNS")
    assert again == log
    assert [r["unit_id"] for r in everything["items"]] == [village]
    return case


# -- the story -------------------------------------------------------------------------------


async def test_the_source_story_runs_end_to_end_and_the_reports_agree(
    spawn: Spawn, settings: Settings
) -> None:
    base, reactions = spawn_system(spawn)
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        await eventually(lambda: ready(http), timeout_s=120, what="every service to be ready")
        story = Story(http, settings)

        hazards = await investigate_and_rectify(story)
        campaign, fraud_cases = await run_fraud_campaign(story)
        village = await name_safe_village(story)
        month = await story.standing(MONTH)
        before = await story.standing(NOW_MONTH)
        case = await strip_by_major_case(story, village, spawn, reactions)
        after = await story.standing(NOW_MONTH)

        months = await story.read("/api/hazards/reports/township-months", year=FIRST.year)
        hazards_q = await story.read(
            "/api/hazards/reports/quarterly", year=FIRST.year, quarter=QUARTER
        )
        progress = await story.read(
            "/api/hazards/key-areas/progress",
            township=TOWN,
            cases_position=story.position("campaigns"),
        )
        situation = await story.read("/api/campaigns/situation/monthly", month=MONTH, township=TOWN)
        situation_now = await story.read(
            "/api/campaigns/situation/monthly", month=NOW_MONTH, township=TOWN
        )
        campaigns_q = await story.read(
            "/api/campaigns/reports/quarterly", year=FIRST.year, quarter=QUARTER
        )
        warnings = await story.read(
            "/api/campaigns/warnings", month_from=MONTH, month_to=MONTH, area=TOWN
        )
        streams = ("HAZARDS", "CAMPAIGNS", "SCORING")
        named_report = await story.read("/api/scoring/reports/monthly", *streams, month=MONTH)
        revoked_report = await story.read("/api/scoring/reports/monthly", *streams, month=NOW_MONTH)
        quarterly = await story.read(
            "/api/scoring/reports/quarterly", *streams, quarter=f"{FIRST.year}-Q{QUARTER}"
        )
        revoked_quarter = await story.read(
            "/api/scoring/reports/quarterly", *streams, quarter=NOW_QUARTER
        )

    # The standing drops: the title is lost and its revocation deducted.
    assert before["figures"]["named"] == 1 and before["figures"]["revocations"] == 0, before
    assert after["figures"]["named"] == 0 and after["figures"]["revocations"] == 1, after
    assert after["points"] < before["points"]
    (reported,) = [t for t in revoked_report["standings"]["townships"] if t["township"] == TOWN]
    assert reported == after

    # Hazards: found, closed and closed on time in the month, as the standing counts them.
    (month_row,) = [r for r in months if r["township"] == TOWN and r["month"] == MONTH]
    assert (month_row["found"], month_row["closed"], month_row["closed_on_time"]) == (3, 3, 3)
    figures = month["figures"]
    assert figures["hazards_due"] == month_row["closed"] == len(hazards)
    assert figures["hazards_on_time"] == month_row["closed_on_time"]
    (town_q,) = [r for r in hazards_q if r["township"] == TOWN]
    (scored_q,) = [t for t in quarterly["standings"]["townships"] if t["township"] == TOWN]
    assert (town_q["major_found"], town_q["closed_on_time"]) == (1, 3)
    assert scored_q["figures"]["hazards_on_time"] == town_q["closed_on_time"]

    # Cases: the month's criminal cases and those solved, in campaigns and in the standing.
    (town_row,) = [
        r for r in situation["rows"] if r["level"] == "township" and r["category"] == "criminal"
    ]
    assert town_row["registered"] == len(fraud_cases) == figures["cases_registered"]
    assert town_row["solved"] == figures["cases_solved"] == 3
    (robbery_row,) = [
        r for r in situation_now["rows"] if r["level"] == "township" and r["category"] == "criminal"
    ]
    assert robbery_row["registered"] == after["figures"]["cases_registered"] == 1
    (area,) = progress
    (cases_month,) = [m for m in area["cases"] if m["month"] == MONTH]
    assert cases_month["criminal"] == len(fraud_cases)
    (ours,) = [c for c in situation["campaigns"] if c["id"] == campaign]
    assert (ours["registered"], ours["solved"], ours["arrests"]) == (7, 3, 2)
    (campaigns_town,) = [r for r in campaigns_q["rows"] if r["township"] == TOWN]
    assert campaigns_town["criminal_registered"] == scored_q["figures"]["cases_registered"]
    assert campaigns_town["criminal_current_solved"] == scored_q["figures"]["cases_solved"]

    # Warnings: those of the township's series in the month, as the standing deducts them.
    assert figures["warnings"] == warnings["total"] >= 2
    shown = [(w["kind"], w["status"]) for w in situation["warnings"] if w["township"] == TOWN]
    assert ("电信网络诈骗", "closed") in shown, situation["warnings"]

    # Scoring's reports: the village named, then its title revoked for campaigns' case.
    assert [n["unit_id"] for n in named_report["named"]] == [village]
    assert village in [n["unit_id"] for n in quarterly["named"]]
    (revoked,) = revoked_report["revoked"]
    assert (revoked["unit_id"], revoked["cause"]) == (village, "major_case")
    assert (revoked["source"], revoked["upstream_id"]) == ("CAMPAIGNS", case)
    assert [r["upstream_id"] for r in revoked_quarter["revoked"]] == [case]
