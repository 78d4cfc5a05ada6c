"""The dashboard against the real app and servers: pages, roles, township, CSRF, cookies,
exports."""

from __future__ import annotations

import asyncio
import io
import re
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from openpyxl import load_workbook

from campaigns.application import CampaignsApplication
from hazards.application import HazardsApplication
from pingan.api.app import create_root_app
from pingan.auth.principal import Role
from pingan.auth.runtime import AuthRuntime
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from scoring.application import ScoringApplication
from tests.tokens import mint

HOME = "玉泉镇"
ELSEWHERE = "太京镇"
HTML = {"Accept": "text/html"}
REPORT = {
    "title": "夜市消防通道堵塞",
    "category": "fire",
    "source": "grid_worker",
    "township": HOME,
    "village": "莲亭村",
    "address": "3 号巷",
    "reporter": "网格员李",
}
PAGES = [
    "/",
    "/hazards",
    "/hazards/new",
    "/campaigns",
    "/situation",
    "/units",
    "/revocations",
    "/map",
    "/key-areas",
    "/rounds",
    "/monitoring",
    "/accidents",
    "/warnings",
    "/cases",
    "/families",
    "/league",
    "/reinspections",
    "/reports/quarterly",
]
#: The registers added with the district's other records: each downloads as CSV and XLSX.
TABLES = [
    "/hazards",
    "/campaigns",
    "/units",
    "/revocations",
    "/map",
    "/situation",
    "/key-areas",
    "/rounds",
    "/monitoring",
    "/accidents",
    "/warnings",
    "/cases",
    "/families",
    "/league",
    "/reinspections",
    "/reports/quarterly",
]


@pytest.fixture
async def web(
    hazards: ServiceRuntime[HazardsApplication],
    workers: asyncio.Event,
    campaigns: ServiceRuntime[CampaignsApplication],
    campaigns_workers: asyncio.Event,
    scoring: ServiceRuntime[ScoringApplication],
    scoring_workers: asyncio.Event,
    auth: AuthRuntime,
) -> AsyncIterator[httpx.AsyncClient]:
    """The whole app, as a browser sees it: no token but what a cookie carries."""
    app = create_root_app([hazards, campaigns, scoring], auth, start_runtimes=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://pingan.test", headers=HTML
    ) as http:
        yield http


def sign_in_as(
    http: httpx.AsyncClient, settings: Settings, role: Role, township: str | None = None
) -> None:
    token = mint(settings, role, subject=f"web-{role}", name=str(role), township=township)
    http.cookies.set("pingan_session", token)


async def api_report(http: httpx.AsyncClient, settings: Settings, **body: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {mint(settings)}", "Accept": "application/json"}
    answer = await http.post("/api/hazards/hazards", json={**REPORT, **body}, headers=headers)
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


async def seen(http: httpx.AsyncClient, hazard_id: str, position: int) -> None:
    """Wait, as the pages do, until the register holds everything up to `position`."""
    page = await http.get(f"/hazards/{hazard_id}", params={"after": position})
    assert page.status_code == 200, page.text[:500]


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


async def test_every_page_answers_for_the_office(
    web: httpx.AsyncClient, settings: Settings
) -> None:
    sign_in_as(web, settings, Role.DISTRICT_OFFICE)
    hazard = await api_report(web, settings)

    for path in [*PAGES, f"/hazards/{hazard['id']}?after={hazard['position']}"]:
        page = await web.get(path)
        assert page.status_code == 200, (path, page.text[:800])
        assert page.headers["content-type"].startswith("text/html")
        assert '<html lang="zh-CN">' in page.text
    register = await web.get("/hazards")
    assert REPORT["title"] in register.text
    assert "cdn" not in register.text.lower()


async def test_the_api_index_moved_to_api_and_the_root_is_the_dashboard(
    web: httpx.AsyncClient,
) -> None:
    index = await web.get("/api", headers={"Accept": "application/json"})
    root = await web.get("/")

    assert index.json()["services"]["hazards"]["api"] == "/api/hazards"
    assert root.status_code == 401 and 'action="/signin"' in root.text


async def test_english_by_the_language_switch(web: httpx.AsyncClient, settings: Settings) -> None:
    sign_in_as(web, settings, Role.DISTRICT_OFFICE)

    switched = await web.get("/language", params={"to": "en", "next": "/hazards"})
    page = await web.get("/hazards")

    assert switched.status_code == 303 and switched.headers["location"] == "/hazards"
    assert '<html lang="en">' in page.text and "Hazard register" in page.text


async def test_a_viewer_sees_no_command_forms(web: httpx.AsyncClient, settings: Settings) -> None:
    hazard = await api_report(web, settings)
    sign_in_as(web, settings, Role.VIEWER)

    for path in ["/", "/hazards", f"/hazards/{hazard['id']}?after={hazard['position']}"]:
        page = await web.get(path)
        assert page.status_code == 200, (path, page.text[:500])
        assert 'class="card command"' not in page.text and "/hazards/new" not in page.text
    assert (await web.get("/hazards/new")).status_code == 403


async def test_a_township_officer_sees_only_their_township(
    web: httpx.AsyncClient, settings: Settings
) -> None:
    home = await api_report(web, settings, title="本镇隐患")
    away = await api_report(
        web, settings, title="外镇隐患", township=ELSEWHERE, village="窝驼居民委员会"
    )
    sign_in_as(web, settings, Role.TOWNSHIP_OFFICER, township=HOME)
    await seen(web, home["id"], away["position"])

    register = await web.get("/hazards", params={"open": "true"})
    other = await web.get(f"/hazards/{away['id']}")
    overview = await web.get("/")

    assert "本镇隐患" in register.text and "外镇隐患" not in register.text
    assert other.status_code == 403
    assert ELSEWHERE not in overview.text


async def test_a_form_without_the_sessions_csrf_token_is_refused_and_writes_nothing(
    web: httpx.AsyncClient, settings: Settings
) -> None:
    sign_in_as(web, settings, Role.DISTRICT_OFFICE)

    refused = await web.post("/hazards/new", data={**REPORT, "csrf": "0" * 64})
    register = await web.get("/hazards")

    assert refused.status_code == 403
    assert REPORT["title"] not in register.text


async def test_a_hazard_reported_through_the_form_shows_at_once(
    web: httpx.AsyncClient, settings: Settings
) -> None:
    sign_in_as(web, settings, Role.DISTRICT_OFFICE)
    form = await web.get("/hazards/new")

    created = await web.post("/hazards/new", data={**REPORT, "csrf": csrf_of(form)})
    shown = await web.get(created.headers["location"])

    assert created.status_code == 303
    assert shown.status_code == 200 and REPORT["title"] in shown.text
    assert "已保存" in shown.text


async def test_a_refused_command_shows_the_apis_reason_in_plain_words(
    web: httpx.AsyncClient, settings: Settings
) -> None:
    hazard = await api_report(web, settings)
    sign_in_as(web, settings, Role.DISTRICT_OFFICE)
    page = await web.get(f"/hazards/{hazard['id']}?after={hazard['position']}")

    filed = await web.post(
        f"/hazards/{hazard['id']}/file",
        data={
            "csrf": csrf_of(page),
            "category": "fire",
            "grade": "major",
            "likelihood": "9",
            "severity": "1",
        },
    )

    assert filed.status_code == 422
    assert 'role="alert"' in filed.text and "likelihood" in filed.text


async def test_sign_in_with_a_token_sets_an_httponly_strict_cookie(
    web: httpx.AsyncClient, settings: Settings
) -> None:
    form = await web.get("/signin")
    nonce = re.search(r'name="nonce" value="([^"]+)"', form.text)
    assert nonce

    signed = await web.post(
        "/signin", data={"nonce": nonce.group(1), "token": mint(settings), "next": "/hazards"}
    )

    cookie = signed.headers["set-cookie"]
    assert signed.status_code == 303 and signed.headers["location"] == "/hazards"
    assert "pingan_session=" in cookie and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert (await web.get("/hazards")).status_code == 200


async def test_sign_in_without_the_forms_nonce_is_refused(
    web: httpx.AsyncClient, settings: Settings
) -> None:
    refused = await web.post("/signin", data={"nonce": "forged", "token": mint(settings)})

    assert refused.status_code == 403
    assert "pingan_session" not in refused.headers.get("set-cookie", "")


async def test_each_table_exports_as_csv_and_xlsx(
    web: httpx.AsyncClient, settings: Settings
) -> None:
    hazard = await api_report(web, settings)
    sign_in_as(web, settings, Role.DISTRICT_OFFICE)
    await seen(web, hazard["id"], hazard["position"])

    for path in TABLES:
        csv = await web.get(path, params={"format": "csv"})
        xlsx = await web.get(path, params={"format": "xlsx"})
        assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode()), path
        assert "attachment" in csv.headers["content-disposition"]
        sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
        assert sheet.max_row >= 1, path
    rows = (await web.get("/hazards", params={"format": "csv"})).text.splitlines()
    assert rows[0].lstrip("\ufeff").startswith("档案编号") and REPORT["title"] in rows[1]


async def test_live_speaks_only_event_streams(web: httpx.AsyncClient, settings: Settings) -> None:
    sign_in_as(web, settings, Role.DISTRICT_OFFICE)

    refused = await web.get("/live", headers={"Accept": "application/json"})

    assert refused.status_code == 406


@pytest.fixture
async def served(
    hazards: ServiceRuntime[HazardsApplication],
    workers: asyncio.Event,
    auth: AuthRuntime,
) -> AsyncIterator[str]:
    """The app on a real loopback socket: a streamed answer needs a real server."""
    app = create_root_app([hazards], auth, start_runtimes=False)
    sock = socket.create_server(("127.0.0.1", 0))
    config = uvicorn.Config(app, lifespan="off", log_level="warning", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


async def test_live_tells_a_township_officer_when_their_townships_records_change(
    served: str, settings: Settings
) -> None:
    officer = mint(settings, Role.TOWNSHIP_OFFICER, subject="web-live", township=HOME)
    office = {"Authorization": f"Bearer {mint(settings)}"}
    async with httpx.AsyncClient(base_url=served, timeout=30) as http:
        stream = http.stream(
            "GET",
            "/live",
            headers={"Accept": "text/event-stream"},
            cookies={"pingan_session": officer},
        )
        async with stream as events:
            assert events.headers["content-type"].startswith("text/event-stream")
            lines = events.aiter_lines()
            assert await anext(lines) == "retry: 3000"
            away = {**REPORT, "township": ELSEWHERE, "village": "窝驼居民委员会"}
            await http.post("/api/hazards/hazards", json=away, headers=office)
            home = await http.post("/api/hazards/hazards", json=REPORT, headers=office)
            assert home.status_code == 201
            told = []
            async with asyncio.timeout(20):
                async for line in lines:
                    if line.startswith("event:") or line.startswith("data:"):
                        told.append(line)
                    if line.startswith("data:"):
                        break
    assert told == ["event: changed", 'data: {"service": "hazards"}']


async def test_the_dashboard_reaches_apis_of_other_processes_through_a_gateway_url(
    served: str, auth: AuthRuntime, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with httpx.AsyncClient(base_url=served) as direct:
        reported = await api_report(direct, settings)
    monkeypatch.setattr(auth, "settings", settings.model_copy(update={"web_api_url": served}))
    app = create_root_app([], auth, start_runtimes=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://pingan.test", headers=HTML
    ) as http:
        sign_in_as(http, settings, Role.DISTRICT_OFFICE)
        one = await http.get(f"/hazards/{reported['id']}?after={reported['position']}")
        register = await http.get("/hazards")
        form = await http.get("/hazards/new")
        created = await http.post("/hazards/new", data={**REPORT, "csrf": csrf_of(form)})
        shown = await http.get(created.headers["location"])

    assert one.status_code == 200
    assert register.status_code == 200 and REPORT["title"] in register.text
    assert created.status_code == 303 and shown.status_code == 200


async def test_a_campaigns_page_charts_its_cases_and_a_units_page_shows_its_history(
    web: httpx.AsyncClient, settings: Settings
) -> None:
    office = {"Authorization": f"Bearer {mint(settings)}", "Accept": "application/json"}
    campaign = await web.post(
        "/api/campaigns/campaigns",
        headers=office,
        json={
            "kind": "两抢一盗",
            "name": "春季两抢一盗专项行动",
            "lead_unit": "秦州公安分局",
            "planned_by": "区委政法委",
            "business_date": "2026-02-20",
            "starts_on": "2026-03-01",
            "ends_on": "2026-05-31",
            "targets": {"cases_solved": 40, "arrests": 25, "seizures": {"guns": 3}},
        },
    )
    unit = await web.post(
        "/api/scoring/units",
        headers=office,
        json={"kind": "district", "name": "秦州区", "registered_by": "综治办"},
    )
    assert campaign.status_code == 201 and unit.status_code == 201, (campaign.text, unit.text)
    sign_in_as(web, settings, Role.DISTRICT_OFFICE)
    board = await web.get(
        f"/api/campaigns/campaigns/{campaign.json()['id']}/dashboard",
        params={"min_position": campaign.json()["position"]},
        headers=office,
    )
    registered = await web.get(
        f"/api/scoring/units/{unit.json()['id']}",
        params={"min_position": unit.json()["position"]},
        headers=office,
    )
    assert board.status_code == 200 and registered.status_code == 200

    page = await web.get(f"/campaigns/{campaign.json()['id']}")
    unit_page = await web.get(f"/units/{unit.json()['id']}")
    ledger = await web.get(f"/campaigns/{campaign.json()['id']}", params={"format": "xlsx"})

    assert page.status_code == 200 and "<svg" in page.text and "春季两抢一盗专项行动" in page.text
    assert "目标任务完成情况" in page.text
    assert "破案数" in page.text and "抓获犯罪嫌疑人" in page.text and "枪支 (支)" in page.text
    assert unit_page.status_code == 200, unit_page.text[:800]
    assert ledger.status_code == 200


async def test_a_viewer_gets_no_warning_forms_and_a_forged_one_is_refused(
    web: httpx.AsyncClient, settings: Settings
) -> None:
    sign_in_as(web, settings, Role.VIEWER)
    page = await web.get("/warnings")
    sign_in_as(web, settings, Role.TOWNSHIP_OFFICER, township=HOME)
    forged = await web.post(
        "/warnings/6a7d0000-0000-4000-8000-000000000000/acknowledge",
        data={"csrf": "0" * 64, "acknowledged_by": "玉泉镇综治办"},
    )
    sign_in_as(web, settings, Role.VIEWER)
    refused = await web.post(
        "/warnings/6a7d0000-0000-4000-8000-000000000000/acknowledge",
        data={"csrf": "0" * 64, "acknowledged_by": "x"},
    )

    assert page.status_code == 200 and 'method="post" action="/warnings/' not in page.text
    assert forged.status_code == 403
    assert refused.status_code == 403


async def test_new_pages_speak_english_by_the_switch(
    web: httpx.AsyncClient, settings: Settings
) -> None:
    sign_in_as(web, settings, Role.DISTRICT_OFFICE)
    web.cookies.set("pingan_lang", "en")

    for path, words in [
        ("/key-areas", "Key areas"),
        ("/warnings", "Crime warnings"),
        ("/league", "League tables"),
        ("/reports/quarterly?quarter=2026-Q2", "Quarterly report"),
    ]:
        page = await web.get(path)
        assert page.status_code == 200 and words in page.text, path


async def test_a_hazards_evidence_is_listed_on_its_page_and_served_through_the_session(
    web: httpx.AsyncClient, settings: Settings
) -> None:
    bearer = {"Authorization": f"Bearer {mint(settings)}", "Accept": "application/json"}
    photo = b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00" + bytes(range(256)) * 40
    hazard = await api_report(web, settings)
    filed = await web.post(
        f"/api/hazards/hazards/{hazard['id']}/file",
        json={"category": "fire", "grade": "general", "likelihood": 2, "severity": 2},
        headers=bearer,
    )
    uploaded = await web.post(
        "/api/hazards/hazards/evidence",
        files={"file": ("整改后.jpg", photo, "image/jpeg")},
        headers=bearer,
    )
    rectified = await web.post(
        f"/api/hazards/hazards/{hazard['id']}/rectification",
        json={
            "summary": "通道已清理",
            "evidence": [uploaded.json()["sha256"]],
            "on_the_spot": True,
        },
        headers=bearer,
    )
    assert filed.status_code == 200 and uploaded.status_code == 201, uploaded.text
    assert rectified.status_code == 200, rectified.text

    sign_in_as(web, settings, Role.VIEWER)
    page = await web.get(f"/hazards/{hazard['id']}", params={"after": rectified.json()["position"]})
    link = f"/hazards/evidence/{uploaded.json()['sha256']}"
    served = await web.get(link)
    web.cookies.clear()
    unsigned = await web.get(link)

    assert page.status_code == 200 and f'href="{link}"' in page.text
    assert "整改后.jpg" in page.text and "整改报告" in page.text
    assert served.status_code == 200 and served.content == photo
    assert served.headers["content-type"] == "image/jpeg"
    assert unsigned.status_code in (303, 401)
