"""Every API route but health and the documents needs a valid EdDSA bearer token; each way a
token can be wrong is a 401 problem with an RFC 6750 challenge."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hazards.application import HazardsApplication
from pingan.api.app import create_root_app
from pingan.auth.keys import KeyFiles, SigningKey, key_id, public_pem
from pingan.auth.principal import Role
from pingan.auth.runtime import AuthRuntime, token_policy
from pingan.auth.tokens import TokenPolicy, issue
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.write.metadata import metadata_of
from tests.problems import assert_problem
from tests.tokens import bearer, mint

API = "/api/hazards"
REPORT: dict[str, Any] = {
    "title": "消防通道堵塞",
    "category": "fire",
    "source": "grid_worker",
    "township": "玉泉镇",
    "village": "莲亭村",
    "address": "莲亭巷3号",
    "reporter": "网格员李",
}


@pytest.fixture
async def anonymous(
    hazards: ServiceRuntime[HazardsApplication], auth: AuthRuntime
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_root_app([hazards], auth, start_runtimes=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://pingan.test"
    ) as http:
        yield http


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(settings: Settings, **changes: Any) -> dict[str, Any]:
    now = int(datetime.now(UTC).timestamp())
    claims = {
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "sub": "mallory",
        "name": "Mallory",
        "role": "district_office",
        "jti": "j1",
        "iat": now,
        "exp": now + 600,
    }
    return {**claims, **changes}


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


def _refused(response: httpx.Response, slug: str) -> dict[str, Any]:
    problem = assert_problem(response, 401)
    assert problem["type"] == f"urn:pingan:problem:{slug}"
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="pingan"')
    assert ('error="invalid_token"' in challenge) == (slug != "token-missing")
    return problem


async def test_a_request_without_a_token_is_a_chinese_401_with_a_bare_challenge(
    anonymous: httpx.AsyncClient,
) -> None:
    response = await anonymous.get(f"{API}/hazards")

    problem = _refused(response, "token-missing")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="pingan"'
    assert problem["title"] == "需要登录"
    assert response.headers["Content-Language"] == "zh-CN"


async def test_the_401_is_english_when_asked(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get(f"{API}/hazards", headers={"Accept-Language": "en"})

    assert _refused(response, "token-missing")["title"] == "Authentication required"


@pytest.mark.parametrize(
    "authorization",
    ["Bearer not-a-jwt", "Bearer a.b.c", "Basic dXNlcjpwdw==", "Bearer "],
)
async def test_a_malformed_or_other_scheme_authorization_is_refused(
    anonymous: httpx.AsyncClient, authorization: str
) -> None:
    response = await anonymous.get(f"{API}/hazards", headers={"Authorization": authorization})

    assert response.status_code == 401, response.text
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")


async def test_a_token_signed_by_another_key_is_refused(
    anonymous: httpx.AsyncClient, settings: Settings
) -> None:
    other = Ed25519PrivateKey.generate()
    foreign = issue(
        SigningKey(key_id(other.public_key()), other),
        token_policy(settings),
        subject="x",
        name="x",
        role=Role.DISTRICT_OFFICE,
        ttl=timedelta(hours=1),
    ).token

    response = await anonymous.get(f"{API}/hazards", headers=bearer(foreign))

    _refused(response, "token-unknown-key")


async def test_a_token_naming_our_kid_but_signed_by_another_key_is_refused(
    anonymous: httpx.AsyncClient, settings: Settings, keys: KeyFiles
) -> None:
    ours = keys.signing_key().kid
    forged = jwt.encode(
        _claims(settings), Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": ours}
    )

    response = await anonymous.get(f"{API}/hazards", headers=bearer(forged))

    _refused(response, "token-signature")


async def test_an_expired_token_is_refused(
    anonymous: httpx.AsyncClient, settings: Settings, keys: KeyFiles
) -> None:
    expired = issue(
        keys.signing_key(),
        token_policy(settings),
        subject="x",
        name="x",
        role=Role.VIEWER,
        ttl=timedelta(hours=1),
        now=datetime.now(UTC) - timedelta(hours=2),
    ).token

    response = await anonymous.get(f"{API}/hazards", headers=bearer(expired))

    assert "过期" in _refused(response, "token-expired")["title"]


@pytest.mark.parametrize(
    "policy", [TokenPolicy("pingan", "another-api"), TokenPolicy("someone-else", "pingan-api")]
)
async def test_a_token_for_another_audience_or_issuer_is_refused(
    anonymous: httpx.AsyncClient, keys: KeyFiles, policy: TokenPolicy
) -> None:
    token = issue(
        keys.signing_key(),
        policy,
        subject="x",
        name="x",
        role=Role.VIEWER,
        ttl=timedelta(hours=1),
    ).token

    response = await anonymous.get(f"{API}/hazards", headers=bearer(token))

    _refused(response, "token-audience")


async def test_an_unsigned_token_alg_none_is_refused(
    anonymous: httpx.AsyncClient, settings: Settings, keys: KeyFiles
) -> None:
    header = {"alg": "none", "typ": "JWT", "kid": keys.signing_key().kid}
    token = _unsigned(header, _claims(settings)) + "."

    response = await anonymous.get(f"{API}/hazards", headers=bearer(token))

    _refused(response, "token-algorithm")


async def test_hs256_keyed_with_our_public_key_is_refused(
    anonymous: httpx.AsyncClient, settings: Settings, keys: KeyFiles
) -> None:
    key = keys.signing_key()
    header = {"alg": "HS256", "typ": "JWT", "kid": key.kid}
    signing_input = _unsigned(header, _claims(settings))
    secret = public_pem(key.private.public_key())
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()

    response = await anonymous.get(f"{API}/hazards", headers=bearer(f"{signing_input}.{_b64(mac)}"))

    _refused(response, "token-algorithm")


async def test_a_token_without_a_required_claim_is_refused(
    anonymous: httpx.AsyncClient, settings: Settings, keys: KeyFiles
) -> None:
    key = keys.signing_key()
    claims = _claims(settings)
    del claims["jti"]
    token = jwt.encode(claims, key.private, algorithm="EdDSA", headers={"kid": key.kid})

    response = await anonymous.get(f"{API}/hazards", headers=bearer(token))

    _refused(response, "token-malformed")


async def test_a_token_with_an_unknown_role_is_refused(
    anonymous: httpx.AsyncClient, settings: Settings, keys: KeyFiles
) -> None:
    key = keys.signing_key()
    claims = _claims(settings, role="emperor")
    token = jwt.encode(claims, key.private, algorithm="EdDSA", headers={"kid": key.kid})

    response = await anonymous.get(f"{API}/hazards", headers=bearer(token))

    _refused(response, "token-malformed")


@pytest.mark.parametrize(
    "path",
    ["healthz", "openapi.json", "docs", "redoc"],
)
async def test_health_and_documents_need_no_token(anonymous: httpx.AsyncClient, path: str) -> None:
    response = await anonymous.get(f"{API}/{path}")

    assert response.status_code == 200, response.text


async def test_readiness_needs_no_token(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get(f"{API}/readyz")

    assert response.status_code in {200, 503}
    assert "WWW-Authenticate" not in response.headers


async def test_the_openapi_document_declares_the_bearer_scheme_on_every_guarded_operation(
    anonymous: httpx.AsyncClient,
) -> None:
    document = (await anonymous.get(f"{API}/openapi.json")).json()

    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    assert scheme["bearerFormat"] == "JWT"
    for path, item in document["paths"].items():
        for method, operation in item.items():
            guarded = not path.endswith(("/healthz", "/readyz"))
            assert ("security" in operation) == guarded, (method, path)
            assert ("401" in operation["responses"]) == guarded, (method, path)


async def test_who_acted_is_the_token_subject_and_chinese_name_on_the_stored_event(
    anonymous: httpx.AsyncClient,
    settings: Settings,
    hazards: ServiceRuntime[HazardsApplication],
) -> None:
    token = mint(
        settings, Role.TOWNSHIP_OFFICER, subject="wangfang", name="王芳", township="玉泉镇"
    )

    response = await anonymous.post(
        f"{API}/hazards", json=REPORT, headers={**bearer(token), "X-Actor": "someone-else"}
    )

    assert response.status_code in {200, 201, 202}, response.text
    stored = next(iter(hazards.application.events.get(UUID(response.json()["id"]))))
    meta = metadata_of(stored)
    assert meta is not None
    assert (meta.actor, meta.actor_name) == ("wangfang", "王芳")
