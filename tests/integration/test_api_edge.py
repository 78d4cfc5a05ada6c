"""The HTTP edge: reference areas, Chinese-first problems, honest OpenAPI, offline docs."""

from __future__ import annotations

import re
from typing import Any

import httpx

from hazards.application import HazardsApplication
from pingan.run.runtime import ServiceRuntime
from tests.problems import assert_problem, store_position

API = "/api/hazards"
# The suite's client asks for English; a client that states no preference gets Chinese.
NO_PREFERENCE = {"Accept-Language": ""}
REPORT: dict[str, Any] = {
    "title": "Blocked fire exit",
    "category": "fire",
    "source": "grid_worker",
    "township": "玉泉镇",
    "village": "莲亭村",
    "address": "No. 3 Lane",
    "reporter": "grid worker Li",
}


async def test_the_areas_are_served_with_their_codes(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/areas")
    assert response.status_code == 200
    body = response.json()
    assert (body["district"], body["code"]) == ("秦州区", "620502")
    yuquan = next(t for t in body["townships"] if t["name"] == "玉泉镇")
    lianting = next(v for v in yuquan["villages"] if v["name"] == "莲亭居民委员会")
    assert lianting == {"name": "莲亭居民委员会", "code": "620502100024", "aliases": ["莲亭村"]}


async def test_a_report_stores_the_canonical_area_names(client: httpx.AsyncClient) -> None:
    created = await client.post(
        f"{API}/hazards", json={**REPORT, "township": "玉泉", "village": "蓮亭村"}
    )
    assert created.status_code == 201, created.text
    view = await client.get(
        f"{API}/hazards/{created.json()['id']}",
        params={"min_position": created.json()["position"]},
    )
    assert (view.json()["township"], view.json()["village"]) == ("玉泉镇", "莲亭居民委员会")


async def test_an_unknown_township_is_refused_with_close_matches(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    before = await store_position(hazards)
    response = await client.post(
        f"{API}/hazards", json={**REPORT, "township": "玉全镇"}, headers=NO_PREFERENCE
    )
    problem = assert_problem(response, 422)
    assert response.headers["content-language"] == "zh-CN"
    assert problem["type"] == "urn:pingan:problem:invalid-request"
    (error,) = problem["errors"]
    assert error["loc"] == ["body", "township"]
    assert error["matches"][0] == "玉泉镇"
    assert "玉全镇" in error["msg"] and "玉泉镇" in error["msg"]
    assert await store_position(hazards) == before


async def test_an_unknown_village_is_refused_in_english_on_request(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        f"{API}/hazards",
        json={**REPORT, "village": "莲亭新村"},
        headers={"Accept-Language": "fr;q=0.9, en;q=0.8, zh;q=0.1"},
    )
    problem = assert_problem(response, 422)
    assert response.headers["content-language"] == "en"
    assert problem["title"] == "The request does not match its schema"
    assert problem["errors"][0]["matches"][0] == "莲亭居民委员会"
    assert problem["errors"][0]["msg"].startswith("no village or community")


async def test_an_illegal_transition_names_state_and_allowed_actions(
    client: httpx.AsyncClient,
) -> None:
    created = (await client.post(f"{API}/hazards", json=REPORT)).json()
    chinese = await client.post(
        f"{API}/hazards/{created['id']}/start", headers={"Accept-Language": "zh-CN,en;q=0.5"}
    )
    problem = assert_problem(chinese, 409)
    assert problem["type"] == "urn:pingan:problem:illegal-transition"
    assert problem["title"] == "当前状态下不能执行该操作"
    assert problem["detail"].startswith("隐患当前状态为「已上报」")
    assert problem["entity"] == "hazard" and problem["current_state"] == "reported"
    english = await client.post(
        f"{API}/hazards/{created['id']}/start", headers={"Accept-Language": "en"}
    )
    assert "a hazard that is reported" in assert_problem(english, 409)["detail"]


async def test_not_found_speaks_chinese_by_default(client: httpx.AsyncClient) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    problem = assert_problem(
        await client.get(f"{API}/hazards/{missing}", headers=NO_PREFERENCE), 404
    )
    assert problem["title"] == "未找到"
    assert problem["detail"] == f"没有编号为 {missing} 的隐患"


async def test_every_operation_documents_its_problems(client: httpx.AsyncClient) -> None:
    document = (await client.get(f"{API}/openapi.json")).json()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    problem_schema = document["components"]["schemas"]["ProblemDetails"]
    assert problem_schema["additionalProperties"] is True
    for path, item in document["paths"].items():
        for method, operation in item.items():
            expected = {"422", "503"}
            expected |= {"404"} if "{" in path else set()
            expected |= {"409"} if method == "post" else set()
            assert expected <= operation["responses"].keys(), (method, path)
            for status in expected:
                content = operation["responses"][status]["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)


async def test_the_docs_load_nothing_from_outside(client: httpx.AsyncClient) -> None:
    for page in ("docs", "redoc"):
        html = (await client.get(f"{API}/{page}")).text
        urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", html)
        assert urls, page
        assert "cdn" not in html.lower() and "//" not in "".join(urls), (page, urls)
        for url in urls:
            assert url.startswith(f"{API}/"), (page, url)
            assert (await client.get(url)).status_code == 200, url
