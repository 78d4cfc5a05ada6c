"""Accounts kept by the district office; sign-in gives a token; disabling an account or
revoking a token is refused at once by another API instance with its own refusal list."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest

from hazards.application import HazardsApplication
from pingan.api.app import create_root_app
from pingan.auth.principal import Role
from pingan.auth.runtime import AuthRuntime
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.problems import assert_problem
from tests.seeding import eventually
from tests.tokens import bearer, mint, office_headers

ACCOUNTS = "/api/accounts"
WANG = {
    "login": "wangfang",
    "name": "王芳",
    "role": "township_officer",
    "township": "玉泉镇",
    "password": "correct horse battery",
}


async def _client(
    hazards: ServiceRuntime[HazardsApplication], auth: AuthRuntime
) -> httpx.AsyncClient:
    app = create_root_app([hazards], auth, start_runtimes=False)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://pingan.test",
        headers={"Accept-Language": "en"},
    )


@pytest.fixture
async def one(
    hazards: ServiceRuntime[HazardsApplication], auth: AuthRuntime
) -> AsyncIterator[httpx.AsyncClient]:
    async with await _client(hazards, auth) as http:
        yield http


@pytest.fixture
async def other(
    hazards: ServiceRuntime[HazardsApplication], settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """A second API instance: its own token checks and refusal list, as another process has."""
    auth = AuthRuntime(settings)
    await auth.start()
    try:
        async with await _client(hazards, auth) as http:
            yield http
    finally:
        await auth.stop()


async def _sign_in(http: httpx.AsyncClient, login: str, password: str) -> str:
    response = await http.post(f"{ACCOUNTS}/sessions", json={"login": login, "password": password})
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


async def _refused_within(http: httpx.AsyncClient, token: str, slug: str) -> float:
    started = time.monotonic()

    async def refused() -> bool:
        response = await http.get("/api/hazards/hazards", headers=bearer(token))
        return response.status_code == 401 and response.json()["type"].endswith(slug)

    await eventually(refused, timeout_s=2.0, what=f"{slug} to reach the other instance")
    return time.monotonic() - started


async def test_the_district_office_adds_a_user_who_signs_in_as_a_principal(
    one: httpx.AsyncClient, settings: Settings
) -> None:
    added = await one.post(f"{ACCOUNTS}/users", json=WANG, headers=office_headers(settings))
    assert added.status_code == 201, added.text
    assert "password" not in added.text

    signed_in = await one.post(
        f"{ACCOUNTS}/sessions", json={"login": "wangfang", "password": WANG["password"]}
    )

    assert signed_in.status_code == 201, signed_in.text
    session = signed_in.json()
    assert session["principal"]["name"] == "王芳"
    me = await one.get(f"{ACCOUNTS}/sessions/current", headers=bearer(session["token"]))
    assert me.json() == session["principal"]
    assert me.json()["role"] == "township_officer"
    assert me.json()["township"] == "玉泉镇"


async def test_a_wrong_password_or_unknown_login_is_one_401(
    one: httpx.AsyncClient, settings: Settings
) -> None:
    await one.post(f"{ACCOUNTS}/users", json=WANG, headers=office_headers(settings))
    wrong = await one.post(f"{ACCOUNTS}/sessions", json={"login": "wangfang", "password": "x"})
    unknown = await one.post(f"{ACCOUNTS}/sessions", json={"login": "nobody", "password": "x"})

    for response in (wrong, unknown):
        assert assert_problem(response, 401)["type"].endswith("sign-in-failed")


async def test_only_the_district_office_keeps_users(
    one: httpx.AsyncClient, settings: Settings
) -> None:
    viewer = bearer(mint(settings, Role.VIEWER, subject="v", name="v"))

    listed = await one.get(f"{ACCOUNTS}/users", headers=viewer)
    added = await one.post(f"{ACCOUNTS}/users", json=WANG, headers=viewer)

    assert assert_problem(listed, 403)["type"].endswith("role-not-allowed")
    assert_problem(added, 403)


async def test_an_unknown_township_or_a_duplicate_login_is_refused(
    one: httpx.AsyncClient, settings: Settings
) -> None:
    office = office_headers(settings)
    unknown = await one.post(
        f"{ACCOUNTS}/users", json={**WANG, "township": "火星镇"}, headers=office
    )
    first = await one.post(f"{ACCOUNTS}/users", json=WANG, headers=office)
    again = await one.post(f"{ACCOUNTS}/users", json=WANG, headers=office)

    assert assert_problem(unknown, 422)["errors"][0]["type"] == "unknown_township"
    assert first.status_code == 201
    assert assert_problem(again, 409)["type"].endswith("account-exists")


async def test_disabling_a_user_refuses_their_token_in_another_instance_at_once(
    one: httpx.AsyncClient, other: httpx.AsyncClient, settings: Settings
) -> None:
    office = office_headers(settings)
    await one.post(f"{ACCOUNTS}/users", json=WANG, headers=office)
    token = await _sign_in(one, "wangfang", str(WANG["password"]))
    assert (await other.get("/api/hazards/hazards", headers=bearer(token))).status_code == 200

    disabled = await one.patch(
        f"{ACCOUNTS}/users/wangfang", json={"disabled": True}, headers=office
    )

    assert disabled.json()["disabled"] is True
    assert (await one.get("/api/hazards/hazards", headers=bearer(token))).status_code == 401
    await _refused_within(other, token, "token-disabled")
    again = await one.post(
        f"{ACCOUNTS}/sessions", json={"login": "wangfang", "password": WANG["password"]}
    )
    assert_problem(again, 401)


async def test_signing_out_revokes_the_token_in_another_instance_at_once(
    one: httpx.AsyncClient, other: httpx.AsyncClient, settings: Settings
) -> None:
    await one.post(f"{ACCOUNTS}/users", json=WANG, headers=office_headers(settings))
    token = await _sign_in(one, "wangfang", str(WANG["password"]))
    assert (await other.get("/api/hazards/hazards", headers=bearer(token))).status_code == 200

    signed_out = await one.delete(f"{ACCOUNTS}/sessions/current", headers=bearer(token))

    assert signed_out.status_code == 204
    assert (await one.get("/api/hazards/hazards", headers=bearer(token))).status_code == 401
    await _refused_within(other, token, "token-revoked")


async def test_the_office_revokes_a_token_by_its_id(
    one: httpx.AsyncClient, other: httpx.AsyncClient, settings: Settings
) -> None:
    token = mint(settings, Role.POLICE, subject="police-1", name="李警官", station="东关派出所")
    me = (await other.get(f"{ACCOUNTS}/sessions/current", headers=bearer(token))).json()

    revoked = await one.post(
        f"{ACCOUNTS}/tokens/revoke",
        json={"token_id": me["token_id"]},
        headers=office_headers(settings),
    )

    assert revoked.status_code == 204, revoked.text
    await _refused_within(other, token, "token-revoked")
