"""Who the demo acts as: a service account, and a second one that verifies rectifications
(whoever reported a rectification may not verify it)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import httpx

from pingan.auth.keys import KeyFiles
from pingan.auth.principal import Role
from pingan.auth.runtime import token_policy
from pingan.auth.tokens import issue
from pingan.run.settings import Settings

LOADER = ("token:demo-loader", "平安秦州演示数据")
VERIFIER = ("token:demo-verifier", "区安监验收组")


@dataclass(frozen=True)
class DemoTokens:
    loader: str
    verifier: str


def mint(files: KeyFiles, ttl: timedelta = timedelta(hours=2)) -> DemoTokens:
    """Two service tokens signed with a data directory's key, as `pingan up --demo` uses."""
    key, policy = files.signing_key(), token_policy(Settings())

    def one(subject: str, name: str) -> str:
        return issue(key, policy, subject=subject, name=name, role=Role.SERVICE, ttl=ttl).token

    return DemoTokens(one(*LOADER), one(*VERIFIER))


async def open_accounts(url: str, office_token: str) -> DemoTokens:
    """With a district-office token: open the demo's two service accounts through the
    accounts API and sign in to them (an office token is limited to a person's pace)."""
    tokens = []
    async with httpx.AsyncClient(base_url=url.rstrip("/") + "/api/accounts", timeout=30) as http:
        suffix = secrets.token_hex(3)
        for subject, name in (LOADER, VERIFIER):
            login = f"{subject.split(':')[1]}-{suffix}"
            password = secrets.token_urlsafe(18)
            opened = await http.post(
                "/users",
                json={"login": login, "name": name, "role": "service", "password": password},
                headers={"Authorization": f"Bearer {office_token}"},
            )
            opened.raise_for_status()
            session = await http.post("/sessions", json={"login": login, "password": password})
            session.raise_for_status()
            tokens.append(str(session.json()["token"]))
    return DemoTokens(*tokens)


async def role_of(url: str, token: str) -> str:
    async with httpx.AsyncClient(base_url=url.rstrip("/") + "/api/accounts", timeout=30) as http:
        answer = await http.get("/sessions/current", headers={"Authorization": f"Bearer {token}"})
        answer.raise_for_status()
        return str(answer.json()["role"])
