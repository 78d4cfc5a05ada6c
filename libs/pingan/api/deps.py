"""Dependencies every service's routes share."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request

from pingan.auth.guard import CurrentPrincipal
from pingan.consume.consistency import MAX_AFTER, ReadAfter, parse_after
from pingan.run.runtime import ServiceRuntime
from pingan.write.metadata import EventMetadata


def get_runtime(request: Request) -> ServiceRuntime[Any]:
    """The runtime of the service whose app answers; a service narrows it to its own
    application type with its own `Annotated` alias over this dependency."""
    runtime: ServiceRuntime[Any] = request.app.state.runtime
    return runtime


def command_metadata(request: Request, principal: CurrentPrincipal) -> EventMetadata:
    """Who acts is the token's subject, never a header a client could set at will."""
    correlation_id: str = request.state.correlation_id
    return EventMetadata(
        correlation_id=correlation_id,
        causation_id=correlation_id,
        actor=principal.subject,
        actor_name=principal.name,
    )


Runtime = Annotated[ServiceRuntime[Any], Depends(get_runtime)]
CommandMeta = Annotated[EventMetadata, Depends(command_metadata)]
MinPosition = Annotated[
    int | None,
    Query(ge=0, description="Wait until the view includes this position (read-your-writes)."),
]


def read_after(
    after: Annotated[
        list[str] | None,
        Query(
            description=(
                "A command's `after` token, STREAM:position (repeatable, at most "
                f"{MAX_AFTER}): wait until this service has processed that event and the "
                "view shows its effects (read-your-writes across services)."
            ),
        ),
    ] = None,
) -> list[ReadAfter]:
    return parse_after(after or [])


After = Annotated[list[ReadAfter], Depends(read_after)]
WaitSeconds = Annotated[
    float | None,
    Query(ge=0, le=30, description="How long to wait for min_position; default a few seconds."),
]


def get_timezone(runtime: Runtime) -> str:
    return runtime.settings.timezone


#: The office's time zone (an IANA name), in which dates of recorded times are counted.
Timezone = Annotated[str, Depends(get_timezone)]
