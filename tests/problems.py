"""What every API test checks of a refused request: a problem, and nothing written."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from hazards.application import HazardsApplication
from pingan.run.runtime import ServiceRuntime


async def store_position(runtime: ServiceRuntime[HazardsApplication]) -> int:
    """The last position in the service's event store (0 when empty)."""
    app = runtime.application
    return int(await asyncio.to_thread(lambda: app.recorder.max_notification_id() or 0))


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    return problem
