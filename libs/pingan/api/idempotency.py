"""The `Idempotency-Key` header of creating commands, declared per route:

    def report_hazard(body: ReportHazard, claim: Idempotent, ...) -> Accepted:
        recorded = app.create_once(claim, lambda: app.report_hazard(...))
        created(response, recorded, location)

A retry with the same key and body answers the first answer; the same key with another body
is refused; no key creates as always.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request, Response

from pingan.write.application import Recorded
from pingan.write.idempotency import Claim, fingerprint

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"

Key = Annotated[
    str | None,
    Header(
        alias=HEADER,
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="Any printable ASCII up to 255 characters, e.g. a UUID; a retry with the "
        "same key and body answers the first answer (重试不重复创建).",
    ),
]


async def idempotency_claim(request: Request, key: Key = None) -> Claim | None:
    if key is None:
        return None
    # The route's own path (its parameters included) scopes the key.
    scope = f"{request.method} {request.url.path}"
    return Claim(scope=scope, key=key, fingerprint=fingerprint(await request.body()))


Idempotent = Annotated[Claim | None, Depends(idempotency_claim)]


def created(response: Response, recorded: Recorded, location: str) -> None:
    """Point at the created resource, and tell a client when this is a replayed answer."""
    response.headers["Location"] = location
    if recorded.replayed:
        response.headers[REPLAYED] = "true"
