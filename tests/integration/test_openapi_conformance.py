"""Property-based requests from each service's OpenAPI document, against the served API:
no 5xx, and no status code or content type that the document does not declare."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import httpx
import pytest

from pingan.auth.principal import Role
from pingan.run.embedded import free_port
from pingan.run.settings import Settings
from pingan.service import all_services
from tests.conftest import Spawn
from tests.seeding import eventually
from tests.tokens import mint

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance"


def _schemathesis() -> str:
    found = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert found, "schemathesis is a test dependency"
    return found


async def _ready(http: httpx.AsyncClient, url: str) -> bool:
    try:
        return (await http.get(url)).status_code == 200
    except httpx.TransportError:
        return False


# Some forty operations with a few examples each take minutes on a small machine; one service
# at a time, so that a change to one service can be checked on its own (`-k campaigns`).
@pytest.mark.slow
@pytest.mark.parametrize("service", [*all_services(), "accounts"])
async def test_no_operation_answers_what_its_document_does_not_declare(
    spawn: Spawn, tmp_path: Path, settings: Settings, service: str
) -> None:
    port = free_port()
    spawn("serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(timeout=5) as http:
        await eventually(lambda: _ready(http, f"{base}/api"), what="the api to be up")

    # The service account's rate leaves every operation's logic exercised; accounts are
    # the district office's alone.
    role = Role.DISTRICT_OFFICE if service == "accounts" else Role.SERVICE
    token = mint(settings, role, subject=f"schemathesis-{service}", name="接口一致性检查")
    run = await asyncio.create_subprocess_exec(
        _schemathesis(),
        "run",
        f"{base}/api/{service}/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        "4",
        "--seed",
        "1",
        "--request-timeout",
        "10",
        "--phases",
        "examples,fuzzing",
        "--header",
        f"Authorization: Bearer {token}",
        "--report-dir",
        str(tmp_path / service),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(run.communicate(), timeout=600)
    except TimeoutError:
        run.kill()
        pytest.fail(f"schemathesis did not finish on {service}")
    (tmp_path / f"{service}.log").write_bytes(output)
    assert run.returncode == 0, output.decode()[-6000:]
