"""Liveness, readiness and projection lag."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from pingan.api.deps import Runtime
from pingan.api.problems import Problem, problem_response
from pingan.auth.actions import Action
from pingan.auth.rules import requires

router = APIRouter(tags=["health"])


@router.get("/healthz", dependencies=[requires(Action.PUBLIC)])
async def healthz(runtime: Runtime) -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok", "service": runtime.name}


@router.get("/readyz", response_model=None, dependencies=[requires(Action.PUBLIC)])
async def readyz(request: Request, runtime: Runtime) -> dict[str, Any] | JSONResponse:
    """The event store and the bus can be reached, and no view or reaction is halted."""
    checks = await runtime.readiness()
    if all(check["ok"] for check in checks.values()):
        return {"status": "ready", "service": runtime.name, "checks": checks}
    return problem_response(
        request, Problem(503, "not-ready", "a dependency cannot be reached", checks=checks)
    )


@router.get("/consumers", dependencies=[requires(Action.OPERATIONS_READ)])
async def consumers(runtime: Runtime) -> dict[str, Any]:
    """Each read view's and reaction's position and lag in each stream it reads, and where a
    reaction is halted, the event and the error."""
    return await runtime.consumer_lags()
