"""Reporters as personal data over HTTP: who sees them, the read audit, forgetting, and the
retention rules that refuse it, on a real NATS and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from click.testing import CliRunner

from hazards.application import HazardsApplication
from pingan.auth.principal import Role
from pingan.privacy import FORGOTTEN, WITHHELD, RecordKind, Retention
from pingan.run.cli import main
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings, get_settings
from tests.servers import settings_env
from tests.tokens import OFFICE_SUBJECT, bearer, mint

API = "/api/hazards"
REPORT: dict[str, Any] = {
    "title": "废品收购站堆放液化气罐",
    "category": "explosion",
    "source": "public_report",
    "township": "玉泉镇",
    "village": "莲亭村",
    "address": "莲亭路 8 号",
    "reporter": "王五",
    "reporter_phone": "139 0000 1111",
}
SUSPECT = RecordKind("campaigns.suspect", Retention.kept_by_law("公安机关刑事案件档案依法保存"))


def as_role(settings: Settings, role: Role, township: str | None = None) -> dict[str, str]:
    return bearer(mint(settings, role, subject=f"{role}-1", township=township))


async def reported(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    created = await client.post(f"{API}/hazards", json={**REPORT, **overrides})
    assert created.status_code == 201, created.text
    body = created.json()
    shown = await client.get(
        f"{API}/hazards/{body['id']}", params={"min_position": body["position"]}
    )
    found: dict[str, Any] = shown.json()
    return found


async def test_names_are_shown_to_the_office_and_the_township_officer_only(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    hazard = await reported(client)
    url = f"{API}/hazards/{hazard['id']}"

    officer = (
        await client.get(url, headers=as_role(settings, Role.TOWNSHIP_OFFICER, "玉泉镇"))
    ).json()
    elsewhere = await client.get(url, headers=as_role(settings, Role.TOWNSHIP_OFFICER, "太京镇"))
    inspector = (await client.get(url, headers=as_role(settings, Role.INSPECTOR))).json()
    listed = (await client.get(f"{API}/hazards", headers=as_role(settings, Role.VIEWER))).json()

    assert hazard["reporter"] == "王五" and hazard["reporter_phone"] == "139 0000 1111"
    assert officer["reporter"] == "王五"
    assert elsewhere.status_code == 403
    assert inspector["reporter"] == WITHHELD
    assert inspector["reporter_person_id"] is None
    assert listed["items"][0]["reporter"] == WITHHELD


async def test_an_anonymous_reporter_is_known_to_the_district_office_only(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    hazard = await reported(client, anonymous=True)
    url = f"{API}/hazards/{hazard['id']}"

    officer = (
        await client.get(url, headers=as_role(settings, Role.TOWNSHIP_OFFICER, "玉泉镇"))
    ).json()

    assert hazard["reporter"] == "王五" and hazard["reporter_anonymous"] is True
    assert officer["reporter"] == officer["reporter_phone"] == WITHHELD


async def test_every_read_is_audited_and_only_the_office_reads_the_audit(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    hazard = await reported(client)
    person = hazard["reporter_person_id"]

    audit = await client.get(f"{API}/privacy/reads", params={"person_id": person})
    refused = await client.get(
        f"{API}/privacy/reads", headers=as_role(settings, Role.TOWNSHIP_OFFICER, "玉泉镇")
    )

    reads = audit.json()
    assert {(r["subject"], r["field"], r["record_id"]) for r in reads} == {
        (OFFICE_SUBJECT, "name", hazard["id"]),
        (OFFICE_SUBJECT, "phone", hazard["id"]),
    }
    assert reads[0]["purpose"] == "GET /hazards/{hazard_id}"
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")


async def test_the_same_phone_finds_the_same_person(client: httpx.AsyncClient) -> None:
    first = await reported(client)
    second = await reported(client, reporter="王 五", reporter_phone="13900001111")
    stranger = await reported(client, reporter_phone="13900002222")

    assert first["reporter_person_id"] == second["reporter_person_id"]
    assert stranger["reporter_person_id"] != first["reporter_person_id"]


async def test_a_forgotten_reporter_reads_as_erased_and_the_forget_is_office_only(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    hazard = await reported(client)
    forget = f"{API}/privacy/people/{hazard['reporter_person_id']}/forget"

    refused = await client.post(
        forget, json={"reason": "x"}, headers=as_role(settings, Role.TOWNSHIP_OFFICER, "玉泉镇")
    )
    empty = await client.post(forget, json={"reason": " "})
    done = await client.post(forget, json={"reason": "本人申请"})
    again = (await client.get(f"{API}/hazards/{hazard['id']}")).json()

    assert refused.status_code == 403
    assert empty.status_code == 422
    assert done.json() == {
        "person_id": hazard["reporter_person_id"],
        "forgotten": True,
        "kinds": ["hazards.reporter"],
    }
    assert again["reporter"] == again["reporter_phone"] == FORGOTTEN


async def test_a_person_kept_by_law_is_not_forgotten(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    hazard = await reported(client)
    person = hazard["reporter_person_id"]
    hazards.people.mention(SUSPECT, "case-1", name="王五", phone="13900001111")

    refused = await client.post(
        f"{API}/privacy/people/{person}/forget", json={"reason": "本人申请"}
    )
    still = (await client.get(f"{API}/hazards/{hazard['id']}")).json()
    unknown = await client.post(
        f"{API}/privacy/people/00000000-0000-0000-0000-000000000000/forget", json={"reason": "x"}
    )

    assert refused.status_code == 409
    assert refused.json()["rules"] == ["campaigns.suspect: 公安机关刑事案件档案依法保存"]
    assert still["reporter"] == "王五"
    assert unknown.status_code == 404


async def test_the_operator_forgets_with_the_cli(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    hazard = await reported(client)
    get_settings.cache_clear()
    try:
        result = await asyncio.to_thread(
            CliRunner(env=settings_env(settings)).invoke,
            main,
            ["forget", hazard["reporter_person_id"], "--reason", "本人来函"],
        )
    finally:
        get_settings.cache_clear()
    again = (await client.get(f"{API}/hazards/{hazard['id']}")).json()

    assert result.exit_code == 0, result.output
    assert "forgotten" in result.output
    assert again["reporter"] == FORGOTTEN
