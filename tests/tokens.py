"""Tokens for the tests, minted with the platform's own code and the test's key."""

from __future__ import annotations

from datetime import timedelta

from pingan.auth.keys import KeyFiles
from pingan.auth.principal import Role
from pingan.auth.runtime import key_files, token_policy
from pingan.auth.tokens import issue
from pingan.run.settings import Settings

#: Who the API test clients act as unless a test says otherwise.
OFFICE_SUBJECT = "office-zhang"
OFFICE_NAME = "张主任"
#: Who verifies rectifications in the tests: not the office that reported them.
INSPECTOR_SUBJECT = "inspector-wu"
INSPECTOR_NAME = "吴检查"


def mint(
    settings: Settings,
    role: Role = Role.DISTRICT_OFFICE,
    *,
    subject: str = OFFICE_SUBJECT,
    name: str = OFFICE_NAME,
    township: str | None = None,
    station: str | None = None,
    ttl: timedelta = timedelta(hours=1),
    files: KeyFiles | None = None,
) -> str:
    return issue(
        (files or key_files(settings)).signing_key(),
        token_policy(settings),
        subject=subject,
        name=name,
        role=role,
        township=township,
        station=station,
        ttl=ttl,
    ).token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def office_headers(settings: Settings) -> dict[str, str]:
    return bearer(mint(settings))


def inspector_headers(settings: Settings) -> dict[str, str]:
    return bearer(mint(settings, Role.INSPECTOR, subject=INSPECTOR_SUBJECT, name=INSPECTOR_NAME))
