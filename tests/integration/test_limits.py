"""Abuse limits at the HTTP edge: bounded bodies and queries, rates per user and per sign-in,
and CORS only when configured. Rates are counted in the accounts database, so two root apps on
one database (as two worker processes) share them."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from pingan.api.app import create_root_app
from pingan.api.limits import RequestBounds, RequestLimitMiddleware, body_limit
from pingan.auth.keys import KeyFiles
from pingan.auth.principal import Role
from pingan.auth.runtime import AuthRuntime
from pingan.run.settings import Settings
from pingan.run.supervisor import bind, http_server, serve_until
from tests.tokens import bearer, mint

USERS = "/api/accounts/users"
SESSIONS = "/api/accounts/sessions"
PROBLEM = "application/problem+json"


@pytest.fixture
def base_settings(postgres_url: str, keys: KeyFiles) -> Settings:
    return Settings(
        auth_signing_key_file=keys.signing,
        auth_public_keys_file=keys.public,
        database_url=postgres_url,
        database_prefix=f"t{uuid.uuid4().hex[:12]}_",
        # A slow refill: within a test only the burst counts.
        rate_commands_per_minute=1,
        rate_commands_burst=3,
        rate_service_per_minute=1,
        rate_service_burst=6,
        rate_sign_in_per_minute=1,
        rate_sign_in_burst=2,
        rate_sign_in_address_per_minute=1,
        rate_sign_in_address_burst=4,
    )


Instance = Callable[..., Any]


@pytest.fixture
async def instances(base_settings: Settings) -> AsyncIterator[Instance]:
    """Root apps with the accounts API, each with its own AuthRuntime (its own pool), as in
    separate worker processes; `instance(**changes)` starts one with changed settings."""
    async with AsyncExitStack() as stack:

        @asynccontextmanager
        async def started(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
            auth = AuthRuntime(settings)
            await auth.start()
            try:
                app = create_root_app([], auth, start_runtimes=False)
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(
                    transport=transport, base_url="http://pingan.test"
                ) as http:
                    yield http
            finally:
                await auth.stop()

        async def instance(**changes: Any) -> httpx.AsyncClient:
            settings = base_settings.model_copy(update=changes)
            return await stack.enter_async_context(started(settings))

        yield instance


def _person(settings: Settings, subject: str = "office-li") -> dict[str, str]:
    return bearer(mint(settings, subject=subject))


def _assert_429(answer: httpx.Response, slug: str) -> None:
    assert answer.status_code == 429, answer.text
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["type"] == f"urn:pingan:problem:{slug}"
    assert int(answer.headers["retry-after"]) >= 1


async def test_commands_past_the_burst_are_429_counted_across_two_instances(
    instances: Instance, base_settings: Settings
) -> None:
    first, second = await instances(), await instances()
    headers = _person(base_settings)
    # An empty account is refused by its schema (422), after it has been counted.
    answers = [await http.post(USERS, json={}, headers=headers) for http in (first, second, first)]
    assert [a.status_code for a in answers] == [422, 422, 422]

    refused = await second.post(USERS, json={}, headers=headers)
    _assert_429(refused, "too-many-commands")
    # About a minute per request at 1/min: the wait names the next free slot.
    assert 30 <= int(refused.headers["retry-after"]) <= 61
    assert refused.json()["title"] == "操作过于频繁"
    _assert_429(await first.post(USERS, json={}, headers=headers), "too-many-commands")

    # Queries are not commands, and another user has a bucket of their own.
    assert (await first.get(USERS, headers=headers)).status_code == 200
    other = _person(base_settings, "office-wang")
    assert (await first.post(USERS, json={}, headers=other)).status_code == 422


async def test_the_service_account_has_its_own_higher_rate(
    instances: Instance, base_settings: Settings
) -> None:
    http = await instances()
    service = bearer(mint(base_settings, Role.SERVICE, subject="loader"))
    statuses = [(await http.post(USERS, json={}, headers=service)).status_code for _ in range(7)]
    # Its burst is 6 where a person's is 3; the 7th waits like anyone's.
    assert statuses == [403] * 6 + [429]


async def test_requests_without_a_valid_token_are_refused_by_auth_not_counted(
    instances: Instance,
) -> None:
    http = await instances()
    statuses = [
        (await http.post(USERS, json={}, headers=bearer("not-a-token"))).status_code
        for _ in range(5)
    ]
    assert statuses == [401] * 5


async def test_sign_in_attempts_are_limited_per_login(instances: Instance) -> None:
    http = await instances()
    wrong = {"login": "zhangsan", "password": "wrong-password-1"}
    statuses = [(await http.post(SESSIONS, json=wrong)).status_code for _ in range(2)]
    assert statuses == [401, 401]
    refused = await http.post(SESSIONS, json=wrong, headers={"Accept-Language": "en"})
    _assert_429(refused, "too-many-sign-in-attempts")
    assert refused.json()["title"] == "Too many sign-in attempts"
    # Another login from the same address still gets its own attempts.
    other = {"login": "lisi", "password": "wrong-password-1"}
    assert (await http.post(SESSIONS, json=other)).status_code == 401


async def test_sign_in_attempts_are_limited_per_client_address(instances: Instance) -> None:
    http = await instances()
    statuses = [
        (
            await http.post(SESSIONS, json={"login": f"user{i}", "password": "wrong-password-1"})
        ).status_code
        for i in range(5)
    ]
    assert statuses == [401] * 4 + [429]


async def test_an_over_long_query_is_414_and_too_many_parameters_422(
    instances: Instance, base_settings: Settings
) -> None:
    http = await instances(limit_query_bytes=512, limit_query_params=8)
    headers = {**_person(base_settings), "Accept-Language": "en"}
    long = await http.get(USERS, params={"q": "x" * 600}, headers=headers)
    assert long.status_code == 414 and long.headers["content-type"] == PROBLEM
    assert long.json()["detail"] == "the query string is longer than 512 bytes"
    many = await http.get(USERS, params={f"p{i}": "1" for i in range(9)}, headers=headers)
    assert many.status_code == 422 and many.headers["content-type"] == PROBLEM
    assert many.json()["type"] == "urn:pingan:problem:too-many-query-parameters"


async def test_cors_is_off_unless_origins_are_configured(
    instances: Instance, base_settings: Settings
) -> None:
    origin = "https://portal.qinzhou.example"
    preflight = {"Origin": origin, "Access-Control-Request-Method": "POST"}
    off = await instances()
    answers = [
        await off.options(USERS, headers=preflight),
        await off.get(USERS, headers={"Origin": origin, **_person(base_settings)}),
    ]
    for answer in answers:
        assert not [h for h in answer.headers if h.lower().startswith("access-control-")]

    on = await instances(cors_allowed_origins=[origin])
    allowed = await on.options(
        USERS, headers={**preflight, "Access-Control-Request-Headers": "authorization"}
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == origin
    simple = await on.get(USERS, headers={"Origin": origin, **_person(base_settings)})
    assert simple.headers["access-control-allow-origin"] == origin
    assert "retry-after" in simple.headers["access-control-expose-headers"].lower()
    stranger = await on.get(
        USERS, headers={"Origin": "https://elsewhere.example", **_person(base_settings)}
    )
    assert "access-control-allow-origin" not in stranger.headers


async def test_openapi_documents_413_414_and_429_with_retry_after(instances: Instance) -> None:
    http = await instances()
    document = (await http.get("/api/accounts/openapi.json")).json()
    add_user = document["paths"]["/users"]["post"]["responses"]
    assert {"413", "414", "429"} <= add_user.keys()
    assert "Retry-After" in add_user["429"]["headers"]
    listing = document["paths"]["/users"]["get"]["responses"]
    assert "414" in listing and "413" not in listing and "429" not in listing


# Bodies, over a real socket: the server must answer before (or while) the body arrives.


@asynccontextmanager
async def _served(app: Any) -> AsyncIterator[int]:
    sock = bind("127.0.0.1", 0)
    port: int = sock.getsockname()[1]
    stop = asyncio.Event()
    running = asyncio.create_task(serve_until(stop, server=http_server(app), sock=sock))
    try:
        yield port
    finally:
        stop.set()
        await running


async def _exchange(port: int, head: bytes, chunks: list[bytes]) -> bytes:
    """Send a request head and body chunks, then read the answer until the server closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head)
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
        return await asyncio.wait_for(reader.read(), timeout=10)
    finally:
        writer.close()


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _echo_app() -> FastAPI:
    """Two routes that read their whole body: a JSON one and an upload one."""
    app = FastAPI()

    @app.post("/api/things/json")
    async def take_json(request: Request) -> dict[str, int]:
        return {"read": len(await request.body())}

    @app.post("/api/things/{thing}/evidence", openapi_extra=body_limit("upload"))
    async def take_upload(thing: str, request: Request) -> dict[str, int]:
        return {"read": len(await request.body())}

    return app


def _bounded(app: FastAPI) -> FastAPI:
    bounds = RequestBounds(
        body_bytes=64 * 1024, upload_body_bytes=512 * 1024, query_bytes=4096, query_params=64
    )
    app.add_middleware(RequestLimitMiddleware, bounds=bounds.learn(app))
    return app


async def test_a_content_length_over_the_bound_is_413_before_any_body_is_read() -> None:
    async with _served(_bounded(_echo_app())) as port:
        head = (
            b"POST /api/things/json HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            b"Content-Length: 104857600\r\n\r\n"
        )
        answer = await _exchange(port, head, [])
    assert _status(answer) == 413
    assert b"application/problem+json" in answer and b"urn:pingan:problem:body-too-large" in answer


async def test_a_chunked_body_is_refused_413_once_it_passes_the_bound() -> None:
    head = (
        b"POST /api/things/json HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    async with _served(_bounded(_echo_app())) as port:
        over = await _exchange(port, head, [_chunk(b"x" * 16 * 1024) for _ in range(5)])
        under = await _exchange(
            port,
            head.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"),
            [_chunk(b"x" * 16 * 1024) for _ in range(3)] + [b"0\r\n\r\n"],
        )
    assert _status(over) == 413 and b"body-too-large" in over
    assert _status(under) == 200 and b'{"read":49152}' in under


async def test_an_upload_route_declares_its_own_larger_bound() -> None:
    app = _echo_app()
    transport = httpx.ASGITransport(app=_bounded(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        body = b"x" * (256 * 1024)
        upload = await http.post("/api/things/7/evidence", content=body)
        json_route = await http.post("/api/things/json", content=body)
        too_big = await http.post("/api/things/7/evidence", content=b"x" * (600 * 1024))
    assert upload.status_code == 200 and upload.json() == {"read": 256 * 1024}
    assert json_route.status_code == 413
    assert too_big.status_code == 413 and too_big.json()["max_bytes"] == 512 * 1024
    assert app.openapi()["paths"]["/api/things/{thing}/evidence"]["post"]["x-body-limit"] == (
        "upload"
    )


async def test_a_big_json_command_is_413_from_the_root_app(
    instances: Instance, base_settings: Settings
) -> None:
    http = await instances()
    body = b'{"login": "' + b"x" * (300 * 1024) + b'"}'
    answer = await http.post(
        USERS, content=body, headers={"Content-Type": "application/json", **_person(base_settings)}
    )
    assert answer.status_code == 413 and answer.headers["content-type"] == PROBLEM
    assert answer.json()["title"] == "请求内容过大"
    assert answer.json()["max_bytes"] == 256 * 1024


HAZARD = {
    "title": "Blocked fire exit",
    "category": "fire",
    "source": "public_report",
    "township": "玉泉镇",
    "village": "闫新村",
    "address": "Market hall",
    "reporter": "resident",
}


async def test_a_body_declared_as_anything_but_json_is_415_and_an_undeclared_one_is_read_as_json(
    client: httpx.AsyncClient,
) -> None:
    body = json.dumps(HAZARD).encode()
    url = "/api/hazards/hazards"
    chinese = {"Accept-Language": "zh-CN"}
    as_text = await client.post(
        url, content=body, headers={"Content-Type": "text/plain", **chinese}
    )
    as_form = await client.post(url, data={"title": "x"})
    undeclared = await client.post(url, content=body)
    declared = await client.post(
        url, content=body, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    seen = max(undeclared.json()["position"], declared.json()["position"])
    listed = (await client.get(url, params={"min_position": seen})).json()

    assert as_text.status_code == 415 and as_text.headers["content-type"] == PROBLEM
    assert as_text.json()["title"] == "请以 JSON 格式提交"
    assert "application/json" in as_text.json()["detail"]
    assert as_text.headers["Accept-Post"] == "application/json"
    assert as_form.status_code == 415
    assert as_form.json()["content_type"] == "application/x-www-form-urlencoded"
    assert (undeclared.status_code, declared.status_code) == (201, 201)
    assert listed["total"] == 2


async def test_an_upload_route_takes_what_it_is_sent() -> None:
    transport = httpx.ASGITransport(app=_bounded(_echo_app()))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        photo = await http.post(
            "/api/things/7/evidence",
            content=b"\xff\xd8\xff",
            headers={"Content-Type": "image/jpeg"},
        )
    assert photo.status_code == 200
