"""Live updates by server-sent events: woken by the views' progress (the same notifications
that read-your-writes waits use), each change re-read through the API as the user, so that a
user hears only of what their role and township may see."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from pingan.api.problems import Problem
from pingan.auth.actions import Action as A
from pingan.auth.rules import TABLE
from pingan.web.backend import ApiError, Backend
from pingan.web.pages import client
from pingan.web.session import Session, page_requires

live_router = APIRouter(include_in_schema=False)

#: What each service's change is read back as, and the action that reading needs.
DIGESTS: Mapping[str, tuple[A, str]] = {
    "hazards": (A.HAZARDS_READ, "/api/hazards/hazards"),
    "campaigns": (A.CAMPAIGNS_READ, "/api/campaigns/cases"),
    "scoring": (A.SCORING_READ, "/api/scoring/units"),
}
TICK_S = 1.0
KEEPALIVE_S = 15.0
#: A stream ends after this long and the browser reconnects: no proxy holds it for ever.
STREAM_S = 300.0
#: Ticks between looks at a service that runs in another process.
REMOTE_TICKS = 5


def progress(runtime: Any) -> tuple[int, ...]:
    """Where the service's views stand, from the process's progress hub (no query)."""
    return tuple(runtime.hub.reached(v.name, s) for v in runtime.views for s in v.sources)


async def digest(api: Backend, path: str) -> str:
    """A fingerprint of what the user may see of a service's records."""
    try:
        page = await api.page(path, {"limit": 200})
    except ApiError:
        return ""
    seen = [
        (i.get("id") or i.get("unit_id"), i.get("position"), i.get("status")) for i in page["items"]
    ]
    return hashlib.sha256(json.dumps([page["total"], seen], default=str).encode()).hexdigest()


@live_router.get("/live")
async def live(
    request: Request, session: Annotated[Session, page_requires(A.SIGNED_IN)]
) -> StreamingResponse:
    """Server-sent events: `changed` with the service whose records the user sees changed."""
    if "text/event-stream" not in request.headers.get("accept", ""):
        raise Problem(406, "event-stream-only", "ask with Accept: text/event-stream")
    runtimes = request.app.state.runtimes
    services = request.app.state.services
    watched = {
        name: path
        for name, (action, path) in DIGESTS.items()
        if name in services and session.principal.role in TABLE[action]
    }
    ticks = 0

    def mark_of(name: str) -> tuple[int, ...]:
        # A service served by another process has no hub here: look again now and then.
        if name in runtimes:
            return progress(runtimes[name])
        return (ticks // REMOTE_TICKS,)

    async def events() -> AsyncIterator[str]:
        nonlocal ticks
        loop = asyncio.get_running_loop()
        ends = loop.time() + STREAM_S
        quiet_since = loop.time()
        yield "retry: 3000\n\n"
        async with client(request, session) as api:
            marks = {n: mark_of(n) for n in watched}
            seen = {n: await digest(api, p) for n, p in watched.items()}
            while loop.time() < ends and not await request.is_disconnected():
                await asyncio.sleep(TICK_S)
                ticks += 1
                for name, path in watched.items():
                    mark = mark_of(name)
                    if mark == marks[name]:
                        continue
                    marks[name] = mark
                    now = await digest(api, path)
                    if now != seen[name]:
                        seen[name] = now
                        quiet_since = loop.time()
                        yield f"event: changed\ndata: {json.dumps({'service': name})}\n\n"
                if loop.time() - quiet_since > KEEPALIVE_S:
                    quiet_since = loop.time()
                    yield ": keepalive\n\n"

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
