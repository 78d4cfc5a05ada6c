"""The dashboard in a real browser (Debian's chromium through Playwright) against the real
system: `pingan up` in its own processes, holding a small fixed district sent through the
public API (a hazard of each township's kind, a key area, a round, a monitoring task, a
campaign and its case, a named village whose title an accident strips). Every page loads
without a console error; a hazard reported, carried through its closed loop and verified
through the pages shows up in the register; a viewer sees no command buttons; a township
officer sees only their township. Screenshots of each page go to `PINGAN_TEST_ARTEFACTS`
(default `.artefacts/screenshots`)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from pingan.auth.cli import keys_in
from pingan.auth.keys import KeyFiles
from pingan.auth.principal import Role
from pingan.run.embedded import free_port
from pingan.run.settings import Settings
from pingan.web.tilemap import TILES
from tests.seeding import eventually
from tests.servers import Proc
from tests.tokens import bearer, mint

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(os.environ.get("PINGAN_TEST_ARTEFACTS", ".artefacts/screenshots"))
HOME = "玉泉镇"
#: Every page without an id, by the name its screenshot gets.
PAGES = {
    "overview": "/",
    "hazards": "/hazards",
    "report": "/hazards/new",
    "key-areas": "/key-areas",
    "rounds": "/rounds",
    "monitoring": "/monitoring",
    "accidents": "/accidents",
    "campaigns": "/campaigns",
    "cases": "/cases",
    "situation": "/situation",
    "warnings": "/warnings",
    "units": "/units",
    "league": "/league",
    "families": "/families",
    "reinspections": "/reinspections",
    "revocations": "/revocations",
    "quarterly": "/reports/quarterly",
    "map": "/map",
    "map-cases": "/map?measure=cases",
    "map-titles": "/map?measure=titles",
}

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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("chromium") is None and not CHROMIUM.exists(), reason="no chromium"
    ),
]


@pytest.fixture
async def system(tmp_path: Path) -> AsyncIterator[tuple[str, KeyFiles]]:
    """`pingan up` on a free port, with the fixed district sent through its API."""
    data_dir, port = tmp_path / "data", free_port()
    proc = Proc(
        ["up", "--data-dir", str(data_dir), "--port", str(port), "--nats-port", "0",
         "--workers", "1"],
        {},
        tmp_path,
        "up-browser",
        unset=("NATS_URL", "DATABASE_URL"),
    )  # fmt: skip
    try:

        async def up() -> bool:
            return "Pingan is up." in proc.output()

        await eventually(up, timeout_s=300, what="pingan up")
        base, keys = f"http://127.0.0.1:{port}", keys_in(data_dir)
        await seed(base, keys)
        yield base, keys
    finally:
        proc.kill9()
        leftover = [
            p
            for p in psutil.process_iter(["cmdline", "status"])
            if str(tmp_path) in " ".join(p.info["cmdline"] or [])
            and p.info["status"] != psutil.STATUS_ZOMBIE
        ]
        for server in leftover:
            server.kill()
        psutil.wait_procs(leftover, timeout=10)


@pytest.fixture
def artefacts() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    """One browser for the whole test; each user gets a context of their own."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        launched = await p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        await launched.close()


def days_ago(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()


async def seed(base: str, keys: KeyFiles) -> None:
    """The fixed district, through the public API as the office and an inspector would."""
    settings = Settings()
    office = bearer(mint(settings, subject="seed-office", files=keys))
    async with httpx.AsyncClient(base_url=base + "/api", headers=office, timeout=60) as http:

        async def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
            answer = await http.post(path, json=body)
            assert answer.status_code in (200, 201), (path, answer.text)
            found: dict[str, Any] = answer.json()
            return found

        for title, township, village in [
            ("电动车楼道充电", HOME, "莲亭村"),
            ("加油站周边违规停车", HOME, "闫新村"),
            ("仓库消防设施缺失", "太京镇", "窝驼村"),
        ]:
            await post(
                "/hazards/hazards",
                {"title": title, "category": "fire", "source": "grid_worker",
                 "township": township, "village": village, "address": f"{village}一组",
                 "reporter": "网格员李"},
            )  # fmt: skip
        await post(
            "/hazards/key-areas",
            {"name": "莲亭村", "kind": "urban_village", "township": HOME, "village": "莲亭村",
             "description": "城中村综合整治", "designated_by": "区综治办",
             },
        )  # fmt: skip
        await post(
            "/hazards/rounds",
            {"name": "滚动排查第四轮", "areas": [HOME], "starts_on": days_ago(20),
             "ends_on": days_ago(0), "organiser": "区综治办"},
        )  # fmt: skip
        await post(
            "/hazards/monitoring",
            {"product_kind": "food", "product_category": "蔬菜", "township": HOME,
             "place": "玉泉农贸市场", "starts_on": days_ago(30), "ends_on": days_ago(1),
             "organiser": "区市场监管局"},
        )  # fmt: skip
        campaign = await post(
            "/campaigns/campaigns",
            {"kind": "两抢一盗", "name": "冬季两抢一盗专项行动", "lead_unit": "秦州公安分局",
             "planned_by": "区委政法委", "business_date": days_ago(60),
             "starts_on": days_ago(50), "ends_on": days_ago(-40)},
        )  # fmt: skip
        await post(f"/campaigns/campaigns/{campaign['id']}/launch", {"launched_on": days_ago(50)})
        await post(
            "/campaigns/cases",
            {"kind": "theft", "township": HOME, "village": "莲亭村", "place": "莲亭批发市场",
             "happened_at": f"{days_ago(10)}T21:00:00+08:00", "registered_on": days_ago(9),
             "registered_by": "玉泉派出所"},
        )  # fmt: skip
        unit = await named_village(post)
        await post(
            "/hazards/accidents",
            {"happened_at": f"{days_ago(3)}T14:30:00+08:00",
             "received_at": f"{days_ago(3)}T15:00:00+08:00", "township": "太京镇",
             "village": "窝驼村", "place": "窝驼村砖厂", "unit_id": unit,
             "unit_name": "窝驼村", "kind": "fire", "severity": "larger", "deaths": 3,
             "serious_injuries": 2, "direct_loss_yuan": "1250000.50",
             "description": "砖厂电气线路短路引发火灾", "reported_by": "太京镇安监站"},
        )  # fmt: skip

        async def stripped() -> bool:
            found = (await http.get("/scoring/revocations")).json()
            return bool(found["total"])

        await eventually(stripped, timeout_s=60, what="the accident's revocation")


async def named_village(post: Any) -> str:
    """窝驼村 of 太京镇, named 平安村 after its assessment (as the scoring tests name it)."""
    await post(
        "/scoring/units",
        {"kind": "district", "name": "秦州区", "registered_by": "综治办",
         "registered_on": days_ago(300)},
    )  # fmt: skip
    for kind, name in (("township", "太京镇"), ("village", "窝驼村")):
        unit = await post(
            "/scoring/units",
            {"kind": kind, "name": name, "township": "太京镇",
             **({"village": name} if kind == "village" else {}),
             "registered_by": "综治办", "registered_on": days_ago(300)},
        )  # fmt: skip
    path = f"/scoring/units/{unit['id']}"
    await post(f"{path}/applications", {"standard": "village", "applied_on": days_ago(200)})
    await post(
        f"{path}/assessments",
        {"scores": VILLAGE_SCORES, "survey": {"households": 120, "feel_safe": 119,
         "satisfied": 118}, **consultation(days_ago(195)), "assessors": ["区考评组"],
         "assessed_on": days_ago(190)},
    )  # fmt: skip
    await post(f"{path}/notice", {"starts_on": days_ago(189)})
    await post(f"{path}/naming", {"named_on": days_ago(150)})
    return str(unit["id"])


def consultation(held_on: str) -> dict[str, Any]:
    return {
        "opinion": {"respondents": 100, "in_favour": 98},
        "meeting": {"held_on": held_on, "representatives": 30, "attending": 25, "votes_for": 20},
    }


class User:
    """A signed-in browser context that records every console error it sees."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    async def visit(self, path: str) -> Any:
        response = await self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response)
        return response

    async def act(self, heading: str, fields: dict[str, str] | None = None) -> None:
        """Fill and send the hazard page's form for one step, then wait for its answer."""
        form = self.page.locator("form.command").filter(
            has=self.page.get_by_role("heading", name=heading, exact=True)
        )
        for label, value in (fields or {}).items():
            control = form.get_by_label(label)
            if value == "check":
                await control.check()
            elif await control.evaluate("e => e.tagName") == "SELECT":
                await control.select_option(value)
            else:
                await control.fill(value)
        await form.get_by_role("button", name=heading, exact=True).click()
        await self.page.get_by_text(f"已保存: {heading}").wait_for()


async def sign_in(browser: Any, base: str, token: str) -> User:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    user = User(await context.new_page(), base)
    await user.page.goto(base + "/signin?next=/")
    await user.page.get_by_label("令牌").fill(token)
    await user.page.get_by_role("button", name="登录").click()
    await user.page.wait_for_url(base + "/")
    return user


async def first(base: str, token: str, path: str, **params: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, headers=bearer(token), timeout=30) as http:
        found = (await http.get(path, params={"limit": 1, **params})).json()
    items = found["items"] if isinstance(found, dict) else found
    assert items, (path, json.dumps(found)[:500])
    item: dict[str, Any] = items[0]
    return item


async def stripped_by_a_case_or_accident(base: str, token: str) -> str:
    """A unit whose title a major case or an accident stripped."""
    async with httpx.AsyncClient(base_url=base, headers=bearer(token), timeout=30) as http:
        incidents = (await http.get("/api/scoring/incidents", params={"limit": 500})).json()
        revoked = (await http.get("/api/scoring/revocations", params={"limit": 500})).json()
    linked = {
        i["id"] for i in incidents["items"] if i["cause"] in ("major_case", "safety_accident")
    }
    found = [r["unit_id"] for r in revoked["items"] if r.get("incident_id") in linked]
    assert found, (incidents["total"], revoked["total"])
    return str(found[0])


async def test_the_dashboard_in_a_browser_over_a_fixed_district(
    system: tuple[str, KeyFiles], browser: Any, artefacts: Path
) -> None:
    base, keys = system
    settings = Settings()

    def token(role: Role, subject: str, township: str | None = None) -> str:
        return mint(settings, role, subject=subject, name=subject, township=township, files=keys)

    office_token = token(Role.DISTRICT_OFFICE, "web-office")
    office = await sign_in(browser, base, office_token)
    page = office.page

    # A hazard through its closed loop, every step by the pages' forms.
    await office.visit("/hazards/new")
    await page.get_by_label("隐患名称").fill("农贸市场消防通道堵塞")
    await page.get_by_label("乡镇(街道)").fill(HOME)
    await page.get_by_label("村(社区)").fill("莲亭村")
    await page.get_by_label("地址").fill("东门 2 号")
    await page.get_by_label("举报人").fill("网格员李")
    await page.get_by_role("button", name="提交").click()
    await page.get_by_text("已保存").wait_for()
    hazard_path = page.url.split(base, 1)[1].split("?", 1)[0]
    deadline = (date.today() + timedelta(days=30)).isoformat()
    await office.act("分类建档", {"等级": "general", "可能性(1-5)": "2", "严重性(1-5)": "2"})
    await office.act("制定方案", {"整改措施": "清理通道杂物,增设标识", "整改期限": deadline})
    await office.act("落实责任", {"责任单位": "玉泉镇市场监管所", "责任人": "王所长"})
    await office.act("开始整改")
    await office.act("报告整改完成", {"整改情况": "通道已清空,标识已设"})
    inspector = await sign_in(browser, base, token(Role.INSPECTOR, "web-inspector"))
    await inspector.visit(hazard_path)
    await inspector.act("验收", {"验收人": "区安监吴", "验收通过": "check"})
    await inspector.page.screenshot(path=str(artefacts / "hazard.png"), full_page=True)

    await office.visit("/hazards?status=verified")
    register = await page.content()
    assert "农贸市场消防通道堵塞" in register and "QZ-" in register

    campaign = await first(base, office_token, "/api/campaigns/campaigns")
    with_ids = {
        "campaign": f"/campaigns/{campaign['id']}",
        "unit": f"/units/{await stripped_by_a_case_or_accident(base, office_token)}",
    }
    for name, path in {**PAGES, **with_ids}.items():
        await office.visit(path)
        await page.screenshot(path=str(artefacts / f"{name}.png"), full_page=True)
    unit_page = await page.content()
    assert 'href="/cases#r-' in unit_page or 'href="/accidents#r-' in unit_page

    await page.set_viewport_size({"width": 768, "height": 1024})
    await office.visit("/hazards")
    await page.screenshot(path=str(artefacts / "hazards-tablet.png"), full_page=True)

    viewer = await sign_in(browser, base, token(Role.VIEWER, "web-viewer"))
    for path in ["/", "/hazards", hazard_path, "/warnings", "/units", with_ids["unit"]]:
        await viewer.visit(path)
        assert await viewer.page.locator("main form[method=post]").count() == 0, path
    assert "/hazards/new" not in await viewer.page.content()

    officer = await sign_in(
        browser, base, token(Role.TOWNSHIP_OFFICER, "web-officer", township=HOME)
    )
    others = [t for t in TILES if t != HOME]
    for path in ["/", "/hazards", "/hazards?open=true", "/accidents", "/cases", "/units"]:
        await officer.visit(path)
        shown = await officer.page.locator("main").inner_text()
        assert not [t for t in others if t in shown], (path, shown[:1000])
    await officer.page.screenshot(path=str(artefacts / "township-units.png"), full_page=True)

    for user in (office, inspector, viewer, officer):
        assert user.errors == []
