"""Authorisation: every route of every app against every role, on the real apps and servers,
and the township and separation-of-duties boundaries on real records."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from starlette.routing import Mount

from hazards.application import HazardsApplication
from pingan.api.app import create_root_app
from pingan.auth.actions import Action
from pingan.auth.principal import Principal, Role
from pingan.auth.rules import (
    TABLE,
    UndeclaredRoute,
    declared_routes,
    document_rules,
    township_scope,
    undeclared,
)
from pingan.auth.runtime import AuthRuntime
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.service import all_services
from tests.problems import assert_problem, store_position
from tests.tokens import bearer, inspector_headers, mint

API = "/api/hazards"
HOME = "玉泉镇"
ELSEWHERE = "太京镇"
REPORT: dict[str, Any] = {
    "title": "楼道堆放杂物",
    "category": "fire",
    "source": "inspection",
    "township": HOME,
    "village": "南湖居委会",
    "address": "3 号楼",
    "reporter": "网格员",
}
COMMANDS = frozenset({"POST", "PUT", "PATCH"})
AWAY = {**REPORT, "township": ELSEWHERE, "village": "窝驼居民委员会"}
FILING = {
    "category": "fire",
    "grade": "general",
    "file_number": "F",
    "likelihood": 1,
    "severity": 1,
}


def token(settings: Settings, role: Role) -> dict[str, str]:
    """A fresh token per request: signing out revokes the token it is sent with."""
    return bearer(
        mint(
            settings,
            role,
            subject=f"walk-{role}",
            name=str(role),
            township=HOME if role is Role.TOWNSHIP_OFFICER else None,
            station=HOME if role is Role.POLICE else None,
        )
    )


@pytest.fixture
async def bare(
    hazards: ServiceRuntime[HazardsApplication],
    workers: Any,
    auth: AuthRuntime,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The whole API (the services' apps and accounts) with no token unless a request sends one."""
    app = create_root_app([hazards], auth, start_runtimes=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://pingan.test", headers={"Accept-Language": "en"}
    ) as http:
        yield app, http


def walk(root: FastAPI) -> list[tuple[str, str, Action]]:
    """Every operation of every mounted app: method, URL with made-up ids, declared action."""
    found = []
    for mount in root.routes:
        if not isinstance(mount, Mount) or not isinstance(mount.app, FastAPI):
            continue
        for path, methods, action in declared_routes(mount.app):
            assert action is not None, f"{mount.path}{path} declares no action"
            url = re.sub(r"\{[^}]*\}", lambda m: _ident(m.group(0)), mount.path + path)
            found += [(method, url, action) for method in sorted(methods - {"HEAD"})]
    return found


def _ident(placeholder: str) -> str:
    return "nobody" if placeholder == "{login}" else str(uuid.uuid4())


async def test_every_app_declares_an_action_on_every_route(
    bare: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    root, _ = bare
    operations = walk(root)
    apps = {url.split("/")[2] for _, url, _ in operations if url.startswith("/api/")}
    pages = {url for _, url, _ in operations if not url.startswith("/api/")}

    assert {"hazards", "accounts"} <= apps
    assert {"/", "/hazards", "/signin", "/live"} <= pages
    assert len(operations) > 50
    for spec in all_services().values():
        app = FastAPI()
        for router in spec.routers:
            app.include_router(router)
        assert undeclared(app) == [], spec.name


def test_a_route_without_an_action_stops_the_app_from_being_built() -> None:
    router = APIRouter()

    @router.get("/open-door")
    def open_door() -> None:
        """A route someone forgot to declare."""

    app = FastAPI()
    app.include_router(router)

    with pytest.raises(UndeclaredRoute, match="open-door"):
        document_rules(app)


async def test_each_role_is_refused_exactly_the_routes_the_table_refuses_it(
    bare: tuple[FastAPI, httpx.AsyncClient], settings: Settings
) -> None:
    root, http = bare
    wrong = []
    answers: set[int] = set()
    for method, url, action in walk(root):
        for role in Role:
            body: dict[str, Any] | None = {} if method in COMMANDS else None
            response = await http.request(method, url, json=body, headers=token(settings, role))
            refused = response.status_code == 403
            answers.add(response.status_code)
            if refused != (role not in TABLE[action]) or response.status_code >= 500:
                wrong.append((method, url, role.value, response.status_code, response.text[:200]))
            if refused:
                problem = assert_problem(response, 403)
                assert problem["type"].endswith("role-not-allowed")
                assert problem["roles"] == [r.value for r in Role if r in TABLE[action]]
    assert wrong == []
    # Past the check, the made-up ids and empty bodies are answered by the routes themselves.
    assert {403, 404, 422} <= answers


async def test_only_public_routes_answer_without_a_token(
    bare: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    root, http = bare
    wrong = []
    for method, url, action in walk(root):
        body: dict[str, Any] | None = {} if method in COMMANDS else None
        response = await http.request(method, url, json=body)
        if (response.status_code == 401) == (action is Action.PUBLIC):
            wrong.append((method, url, response.status_code))
    assert wrong == []
    for document in ("/openapi.json", "/docs"):
        assert (await http.get(API + document)).status_code == 200


async def test_openapi_documents_the_403_and_the_roles_of_every_guarded_operation(
    bare: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, http = bare
    for app in ("hazards", "accounts"):
        schema = (await http.get(f"/api/{app}/openapi.json")).json()
        for path, item in schema["paths"].items():
            for method, operation in item.items():
                action = Action(operation["x-action"])
                where = (app, method, path)
                if action is Action.PUBLIC:
                    assert "403" not in operation["responses"], where
                    continue
                assert operation["x-roles"] == [r.value for r in Role if r in TABLE[action]]
                assert "403" in operation["responses"], where
                assert "可执行" in operation["description"], where


async def test_a_refusal_by_role_says_in_chinese_which_roles_may(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    viewer = {**token(settings, Role.VIEWER), "Accept-Language": "zh-CN"}

    response = await client.post(f"{API}/hazards", json=REPORT, headers=viewer)

    problem = assert_problem(response, 403)
    assert problem["title"] == "无权执行该操作"
    assert problem["detail"].startswith("查看无权上报隐患")
    assert "区综治办" in problem["detail"] and "乡镇(街道)综治办" in problem["detail"]
    assert problem["action"] == "hazards.report"


async def test_a_township_officer_reports_only_in_their_own_township(
    client: httpx.AsyncClient, settings: Settings, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    officer = token(settings, Role.TOWNSHIP_OFFICER)
    before = await store_position(hazards)

    away = await client.post(f"{API}/hazards", json=AWAY, headers=officer)

    problem = assert_problem(away, 403)
    assert problem["type"].endswith("other-township")
    assert problem["township"] == ELSEWHERE and problem["your_townships"] == [HOME]
    assert await store_position(hazards) == before
    home = await client.post(f"{API}/hazards", json=REPORT, headers=officer)
    assert home.status_code == 201, home.text


async def test_a_township_officer_can_neither_act_on_nor_read_another_townships_hazard(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    officer = {**token(settings, Role.TOWNSHIP_OFFICER), "Accept-Language": "zh-CN"}
    created = (await client.post(f"{API}/hazards", json=AWAY)).json()
    hazard = f"{API}/hazards/{created['id']}"

    filed = await client.post(f"{hazard}/file", json=FILING, headers=officer)
    read = await client.get(hazard, params={"min_position": created["position"]}, headers=officer)
    history = await client.get(f"{hazard}/history", headers=officer)

    for response in (filed, read, history):
        problem = assert_problem(response, 403)
        assert problem["type"].endswith("other-township")
        assert problem["detail"] == f"该记录属于{ELSEWHERE},不在您的辖区({HOME})内"
    assert (await client.post(f"{hazard}/file", json=FILING)).status_code == 200


async def test_a_township_officers_register_holds_only_their_township(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    officer = token(settings, Role.TOWNSHIP_OFFICER)
    await client.post(f"{API}/hazards", json=REPORT)
    last = (await client.post(f"{API}/hazards", json=AWAY)).json()["position"]

    own = await client.get(f"{API}/hazards", params={"min_position": last}, headers=officer)
    other = await client.get(f"{API}/hazards", params={"township": ELSEWHERE}, headers=officer)
    everything = await client.get(f"{API}/hazards", params={"min_position": last})

    assert own.status_code == 200, own.text
    assert {h["township"] for h in own.json()["items"]} == {HOME}
    assert_problem(other, 403)
    assert {h["township"] for h in everything.json()["items"]} == {HOME, ELSEWHERE}


def test_police_act_in_the_townships_of_their_station() -> None:
    police = Principal("p", "p", Role.POLICE, None, "城区派出所", "t")

    assert township_scope(police, {"城区派出所": [HOME, ELSEWHERE]}) == frozenset({HOME, ELSEWHERE})
    assert township_scope(police, {}) == frozenset({"城区派出所"})


async def rectified(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> str:
    hazard_id: str = (await client.post(f"{API}/hazards", json=REPORT, headers=headers)).json()[
        "id"
    ]
    for step, body in (("file", FILING), ("rectification", {"summary": "s", "on_the_spot": True})):
        response = await client.post(f"{API}/hazards/{hazard_id}/{step}", json=body)
        assert response.status_code == 200, response.text
    return hazard_id


def verified(hazards: ServiceRuntime[HazardsApplication]) -> dict[str, Any]:
    return {"inspector": "验收组", "verified_on": hazards.clock.today().isoformat(), "passed": True}


async def test_who_reported_the_rectification_cannot_verify_it(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    hazard_id = await rectified(client)
    before = await store_position(hazards)

    response = await client.post(
        f"{API}/hazards/{hazard_id}/verification",
        json=verified(hazards),
        headers={"Accept-Language": "zh-CN"},
    )

    problem = assert_problem(response, 409)
    assert problem["type"].endswith("separation-of-duties")
    assert problem["rule"] == "verifier-not-reporter"
    assert problem["detail"] == "验收人不得是该隐患的上报人或整改的报告人"
    assert await store_position(hazards) == before


async def test_who_reported_the_hazard_cannot_verify_its_rectification(
    client: httpx.AsyncClient, settings: Settings, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    inspector = inspector_headers(settings)
    hazard_id = await rectified(client, headers=inspector)

    response = await client.post(
        f"{API}/hazards/{hazard_id}/verification", json=verified(hazards), headers=inspector
    )

    assert assert_problem(response, 409)["rule"] == "verifier-not-reporter"


async def test_another_person_verifies_the_rectification(
    client: httpx.AsyncClient, settings: Settings, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    hazard_id = await rectified(client)

    response = await client.post(
        f"{API}/hazards/{hazard_id}/verification",
        json=verified(hazards),
        headers=inspector_headers(settings),
    )

    assert response.status_code == 200, response.text
