"""RFC 9457 problem details for every error a service answers."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import asyncpg
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError, OperationalError
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from pingan.consume.consistency import PositionAhead, ViewBehind
from pingan.write.application import RecordNotFound
from pingan.write.domain import IllegalTransition, RuleViolation

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:pingan:problem:"


class Problem(Exception):
    def __init__(
        self,
        status: int,
        slug: str,
        detail: str | None = None,
        *,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or slug)
        self.status = status
        self.slug = slug
        self.title = title or HTTPStatus(status).phrase
        self.detail = detail
        self.headers = headers
        self.extensions = extensions


def problem_response(request: Request, problem: Problem) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + problem.slug,
        "title": problem.title,
        "status": problem.status,
        "instance": request.url.path,
    }
    if problem.detail:
        body["detail"] = problem.detail
    correlation_id = getattr(request.state, "correlation_id", None)
    if correlation_id:
        body["correlation_id"] = correlation_id
    body.update(jsonable_encoder(problem.extensions))
    return JSONResponse(
        body, status_code=problem.status, media_type=MEDIA_TYPE, headers=problem.headers
    )


def not_found(what: str, ident: object) -> Problem:
    return Problem(404, "not-found", f"no {what} with id {ident}")


def to_problem(exc: Exception) -> Problem:
    """The problem that answers an exception raised while handling a request."""
    match exc:
        case Problem():
            return exc
        case RequestValidationError():
            errors = [
                {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                for e in exc.errors()
            ]
            return Problem(
                422, "invalid-request", "the request does not match its schema", errors=errors
            )
        case HTTPException():
            return Problem(
                exc.status_code,
                f"http-{exc.status_code}",
                str(exc.detail),
                headers=dict(exc.headers or {}),
            )
        case IllegalTransition():
            return Problem(
                409,
                "illegal-transition",
                str(exc),
                title="Command not allowed in the current state",
                current_state=exc.current,
                command=exc.command,
                allowed_commands=exc.allowed,
            )
        case RuleViolation():
            return Problem(422, "rule-violation", str(exc))
        case IntegrityError():
            return Problem(
                409, "concurrent-update", "the record changed meanwhile; read it again and retry"
            )
        case RecordNotFound():
            return Problem(404, "not-found", str(exc))
        case AggregateNotFoundError():
            return Problem(404, "not-found", "no such record")
        case ViewBehind():
            return Problem(
                503,
                "view-behind",
                f"the {exc.projection} view has reached position {exc.reached}, "
                f"not yet {exc.wanted}; retry shortly",
                title="Read view not yet up to date",
                headers={"Retry-After": "1"},
                projection=exc.projection,
                wanted_position=exc.wanted,
                reached_position=exc.reached,
            )
        case PositionAhead():
            return Problem(
                400,
                "position-ahead",
                f"{exc}: min_position must come from a command's answer",
                title="Position not yet written",
                wanted_position=exc.wanted,
                written_position=exc.written,
            )
        case OperationalError():
            log.warning("event store unavailable: %r", exc)
            return Problem(
                503,
                "store-unavailable",
                "the event store cannot be reached; retry shortly",
                headers={"Retry-After": "2"},
            )
        case asyncpg.DataError():
            return Problem(400, "invalid-query", f"the database refused a value: {exc}")
        case (
            OSError()
            | TimeoutError()
            | asyncpg.PostgresConnectionError()
            | asyncpg.InterfaceError()
            | asyncpg.OperatorInterventionError()
        ):
            log.warning("view store unavailable: %r", exc)
            return Problem(
                503,
                "store-unavailable",
                "the read views cannot be reached; retry shortly",
                headers={"Retry-After": "2"},
            )
    log.error("unhandled error", exc_info=exc)
    return Problem(500, "internal-error", "an unexpected error occurred")


async def _on_error(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(request, to_problem(exc))


HANDLED: tuple[type[Exception], ...] = (
    asyncpg.DataError,
    asyncpg.OperatorInterventionError,
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    Problem,
    RequestValidationError,
    HTTPException,
    IllegalTransition,
    RuleViolation,
    IntegrityError,
    AggregateNotFoundError,
    ViewBehind,
    PositionAhead,
    OperationalError,
    Exception,
)


def install_problem_handlers(app: FastAPI) -> None:
    for kind in HANDLED:
        app.add_exception_handler(kind, _on_error)
