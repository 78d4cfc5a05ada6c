"""RFC 9457 problem details for every error a service answers."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError, OperationalError
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from pingan.consistency import ViewBehind
from pingan.domain import IllegalTransition, RuleViolation

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
    return JSONResponse(body, status_code=problem.status, media_type=MEDIA_TYPE, headers=problem.headers)


def not_found(what: str, ident: object) -> Problem:
    return Problem(404, "not-found", f"no {what} with id {ident}")


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(request, exc)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    return problem_response(
        request,
        Problem(422, "invalid-request", "the request does not match its schema", errors=errors),
    )


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return problem_response(
        request,
        Problem(exc.status_code, "http-" + str(exc.status_code), str(exc.detail), headers=exc.headers),
    )


async def _on_illegal_transition(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IllegalTransition)
    return problem_response(
        request,
        Problem(
            409,
            "illegal-transition",
            str(exc),
            title="Command not allowed in the current state",
            current_state=exc.current,
            command=exc.command,
            allowed_commands=exc.allowed,
        ),
    )


async def _on_rule(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(request, Problem(422, "rule-violation", str(exc)))


async def _on_conflict(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(
        request,
        Problem(409, "concurrent-update", "the record changed meanwhile; read it again and retry"),
    )


async def _on_not_found(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AggregateNotFoundError)
    return problem_response(request, Problem(404, "not-found", "no such record"))


async def _on_view_behind(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ViewBehind)
    return problem_response(
        request,
        Problem(
            503,
            "view-behind",
            f"the {exc.projection} view has reached position {exc.reached}, "
            f"not yet {exc.wanted}; retry shortly",
            title="Read view not yet up to date",
            headers={"Retry-After": "1"},
            projection=exc.projection,
            wanted_position=exc.wanted,
            reached_position=exc.reached,
        ),
    )


async def _on_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("store unavailable: %r", exc)
    return problem_response(
        request,
        Problem(503, "store-unavailable", "the event store cannot be reached; retry shortly",
                headers={"Retry-After": "2"}),
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(request, Problem(500, "internal-error", "an unexpected error occurred"))


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(IllegalTransition, _on_illegal_transition)
    app.add_exception_handler(RuleViolation, _on_rule)
    app.add_exception_handler(IntegrityError, _on_conflict)
    app.add_exception_handler(AggregateNotFoundError, _on_not_found)
    app.add_exception_handler(ViewBehind, _on_view_behind)
    app.add_exception_handler(OperationalError, _on_unavailable)
    app.add_exception_handler(Exception, _on_unexpected)
