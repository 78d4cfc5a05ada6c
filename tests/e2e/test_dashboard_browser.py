"""The dashboard in a real browser (Debian's chromium through Playwright) against the real
app on a real port: every page loads without a console error, and a hazard reported and
filed through the pages shows up in the register. Screenshots of each page go to
`PINGAN_TEST_ARTEFACTS` (default `.artefacts/screenshots`)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn

from campaigns.application import CampaignsApplication
from hazards.application import HazardsApplication
from pingan.api.app import create_root_app
from pingan.auth.runtime import AuthRuntime
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from scoring.application import ScoringApplication
from tests.tokens import mint

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(os.environ.get("PINGAN_TEST_ARTEFACTS", ".artefacts/screenshots"))
PAGES = {
    "overview": "/",
    "hazards": "/hazards",
    "report": "/hazards/new",
    "campaigns": "/campaigns",
    "situation": "/situation",
    "units": "/units",
    "revocations": "/revocations",
    "map": "/map",
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        shutil.which("chromium") is None and not CHROMIUM.exists(), reason="no chromium"
    ),
]


@pytest.fixture
async def base_url(
    hazards: ServiceRuntime[HazardsApplication],
    workers: asyncio.Event,
    campaigns: ServiceRuntime[CampaignsApplication],
    campaigns_workers: asyncio.Event,
    scoring: ServiceRuntime[ScoringApplication],
    scoring_workers: asyncio.Event,
    auth: AuthRuntime,
) -> AsyncIterator[str]:
    """The whole app served on a free loopback port in this process."""
    app = create_root_app([hazards, campaigns, scoring], auth, start_runtimes=False)
    # A socket listening before the server starts: the browser's first request queues on it.
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, lifespan="off", log_level="warning", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


@pytest.fixture
def artefacts() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


async def test_every_page_loads_cleanly_and_a_reported_hazard_reaches_the_register(
    base_url: str, settings: Settings, artefacts: Path
) -> None:
    from playwright.async_api import async_playwright

    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        page = await browser.new_page(viewport={"width": 1024, "height": 900}, locale="zh-CN")
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        await page.goto(base_url + "/signin?next=/")
        await page.get_by_label("令牌").fill(mint(settings))
        await page.get_by_role("button", name="登录").click()
        await page.wait_for_url(base_url + "/")

        await page.goto(base_url + "/hazards/new")
        await page.get_by_label("隐患名称").fill("农贸市场消防通道堵塞")
        await page.get_by_label("乡镇(街道)").fill("玉泉镇")
        await page.get_by_label("村(社区)").fill("莲亭村")
        await page.get_by_label("地址").fill("东门 2 号")
        await page.get_by_label("举报人").fill("网格员李")
        await page.get_by_role("button", name="提交").click()
        await page.get_by_text("已保存").wait_for()

        await page.get_by_label("等级").select_option("general")
        await page.get_by_label("可能性(1-5)").fill("2")
        await page.get_by_label("严重性(1-5)").fill("2")
        await page.get_by_role("button", name="分类建档").click()
        await page.get_by_text("已保存: 分类建档").wait_for()
        await page.screenshot(path=str(artefacts / "hazard.png"), full_page=True)

        await page.goto(base_url + "/hazards?status=filed")
        register = await page.content()
        assert "农贸市场消防通道堵塞" in register and "QZ-" in register

        for name, path in PAGES.items():
            response = await page.goto(base_url + path)
            assert response is not None and response.status == 200, path
            await page.screenshot(path=str(artefacts / f"{name}.png"), full_page=True)

        await page.set_viewport_size({"width": 768, "height": 1024})
        await page.goto(base_url + "/hazards")
        await page.screenshot(path=str(artefacts / "hazards-tablet.png"), full_page=True)
        await browser.close()

    assert errors == []
