"""The dashboard in a real browser (Debian's chromium through Playwright) against the real
system: `pingan up --demo` in its own processes, holding the demo district (two years of
hazards, cases, campaigns, warnings and units, titles stripped by scoring's reaction). Every
page loads without a console error; a hazard reported, carried through its closed loop and
verified through the pages shows up in the register; a raised warning is acknowledged on the
warnings page; a viewer sees no command buttons; a township officer sees only their township.
Screenshots of each page go to `PINGAN_TEST_ARTEFACTS` (default `.artefacts/screenshots`);
those the README shows are the overview, the hazard, a campaign and a stripped unit.
The figures (pages visited, actions done, console errors) are printed at the end."""

from __future__ import annotations

import json
import os
import shutil
import time
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
SEED = 5
#: The README's screenshots, by the name the test gives them.
DOCS = ("overview", "hazard", "campaign", "unit")
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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("chromium") is None and not CHROMIUM.exists(), reason="no chromium"
    ),
]


@pytest.fixture
async def system(tmp_path: Path) -> AsyncIterator[tuple[str, KeyFiles]]:
    """`pingan up --demo` on a free port, once the demo district is loaded."""
    data_dir, port = tmp_path / "data", free_port()
    proc = Proc(
        ["up", "--data-dir", str(data_dir), "--port", str(port), "--nats-port", "0", "--demo",
         "--demo-seed", str(SEED), "--workers", "1"],
        {},
        tmp_path,
        "up-browser",
        unset=("NATS_URL", "DATABASE_URL"),
    )  # fmt: skip
    try:

        async def loaded() -> bool:
            output = proc.output()
            assert "The demo was not loaded" not in output, output[-3000:]
            return "The demo district is loaded" in output

        await eventually(loaded, timeout_s=900, what="pingan up --demo")
        yield f"http://127.0.0.1:{port}", keys_in(data_dir)
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


class User:
    """A signed-in browser context that records every console error it sees."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.errors: list[str] = []
        self.visits = 0
        self.actions = 0
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    async def visit(self, path: str) -> Any:
        response = await self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response)
        self.visits += 1
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
        self.actions += 1


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


async def in_register(user: User, title: str) -> bool:
    """Whether the register, filtered to verified hazards of the home township, lists it on
    any of its pages (the demo holds hundreds)."""
    page = 1
    while True:
        await user.visit(f"/hazards?status=verified&township={HOME}&page={page}")
        if title in await user.page.locator("main").inner_text():
            return True
        if not await user.page.locator(f'a[href*="page={page + 1}"]').count():
            return False
        page += 1


async def acknowledge_a_warning(user: User) -> str:
    """Acknowledge the first raised warning through its form on the warnings page."""
    await user.visit("/warnings")
    row = user.page.locator("tr.warning").first
    warning = str(await row.get_attribute("id"))
    await row.locator("summary", has_text="签收预警").click()
    form = row.locator("form")
    await form.get_by_label("签收单位或人").fill("区综治办值班室")
    await form.get_by_role("button", name="签收预警").click()
    await user.page.get_by_text("已保存: 签收预警").wait_for()
    user.actions += 1
    return warning


async def test_the_dashboard_in_a_browser_over_the_demo_district(
    system: tuple[str, KeyFiles], browser: Any, artefacts: Path
) -> None:
    started = time.monotonic()
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
    office.actions += 1
    hazard_path = page.url.split(base, 1)[1].split("?", 1)[0]
    deadline = (date.today() + timedelta(days=30)).isoformat()
    await office.act("分类建档", {"等级": "general", "可能性(1-5)": "2", "严重性(1-5)": "2"})
    await office.act("制定方案", {"整改措施": "清理通道杂物,增设标识", "整改期限": deadline})
    await office.act("落实责任", {"责任单位": "玉泉镇市场监管所", "责任人": "王所长"})
    await office.act("开始整改")
    await office.act("报告整改完成", {"整改情况": "通道已清空,标识已设"})
    # The answer's page names the position it waited for: the inspector reads no older view.
    rectified = page.url.split(base, 1)[1]
    inspector = await sign_in(browser, base, token(Role.INSPECTOR, "web-inspector"))
    await inspector.visit(rectified)
    await inspector.act("验收", {"验收人": "区安监吴", "验收通过": "check"})
    await inspector.page.screenshot(path=str(artefacts / "hazard.png"), full_page=True)
    assert await in_register(office, "农贸市场消防通道堵塞")
    assert "QZ-" in await page.content()

    warning = await acknowledge_a_warning(office)
    assert "已签收" in await page.locator(f"#{warning}").inner_text()

    campaign = await first(base, office_token, "/api/campaigns/campaigns", status="launched")
    with_ids = {
        "campaign": f"/campaigns/{campaign['id']}",
        "unit": f"/units/{await stripped_by_a_case_or_accident(base, office_token)}",
    }
    for name, path in {**PAGES, **with_ids}.items():
        await office.visit(path)
        await page.screenshot(path=str(artefacts / f"{name}.png"), full_page=True)
    unit_page = await page.content()
    assert 'href="/cases#r-' in unit_page or 'href="/accidents#r-' in unit_page
    assert "pingan." not in await page.locator("main").inner_text()
    await office.visit("/revocations")
    assert "pingan." not in await page.locator("main").inner_text()
    assert await page.locator('main a[href^="/cases#r-"], main a[href^="/accidents#r-"]').count()
    await office.visit("/situation")
    assert await page.locator("main .warning").count(), "the demo's surge raised no warning"
    await office.visit("/")
    assert await page.locator('main a[href^="/campaigns/"]').count() >= 1

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

    users = (office, inspector, viewer, officer)
    errors = [e for user in users for e in user.errors]
    print(
        f"dashboard over the demo: {sum(u.visits for u in users)} pages visited, "
        f"{sum(u.actions for u in users)} actions done, {len(errors)} console errors, "
        f"{time.monotonic() - started:.0f} s in the browser"
    )
    assert errors == []
