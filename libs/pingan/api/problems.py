"""RFC 9457 problem details for every error a service answers."""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
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

from pingan.api.i18n import Catalogue, Language, Text, fill, negotiate
from pingan.api.messages import PLATFORM, VALIDATION
from pingan.consume.consistency import (
    MalformedAfter,
    PositionAhead,
    StreamNotFollowed,
    TooManyAfter,
    TooManyWaiting,
    UpstreamBehind,
    ViewBehind,
)
from pingan.files.store import FilesNotStored, FileStoreUnavailable
from pingan.write.application import RecordNotFound
from pingan.write.domain import AlreadyTaken, IllegalTransition, Label, RuleViolation
from pingan.write.duties import DutyConflict

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:pingan:problem:"


class Problem(Exception):
    """An error answer. `slug` picks its texts from the catalogues; `params` fill their
    templates (and are not sent), `extensions` are sent as members of the problem."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str | None = None,
        *,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or slug)
        self.status = status
        self.slug = slug
        self.title = title or HTTPStatus(status).phrase
        self.detail = detail
        self.headers = headers
        self.params = dict(params or {})
        self.extensions = extensions


def catalogue_of(request: Request) -> Catalogue:
    service: Catalogue | None = getattr(request.app.state, "catalogue", None)
    return PLATFORM if service is None else service.over(PLATFORM)


def _term(value: Any, catalogue: Catalogue, language: Language) -> str:
    if isinstance(value, Text):
        return value(language)
    if isinstance(value, list | tuple):
        separator = "、" if language == "zh-CN" else ", "
        return separator.join(_term(v, catalogue, language) for v in value)
    return catalogue.term(value, language)


def problem_texts(
    problem: Problem, catalogue: Catalogue, language: Language
) -> tuple[str, str | None]:
    """The title and detail of a problem in `language`."""
    texts = catalogue.problems.get(problem.slug)
    if texts is None:
        detail = problem.detail and catalogue.detail(problem.detail, language)
        return problem.title, detail
    values = {
        key: _term(value, catalogue, language)
        for key, value in {**problem.extensions, **problem.params}.items()
    }
    template = texts.detail.en if texts.detail else ""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    if texts.detail is not None and names <= values.keys():
        return texts.title(language), fill(texts.detail(language), values)
    detail = problem.detail and catalogue.detail(problem.detail, language)
    return texts.title(language), detail


def _localise_errors(errors: Any, language: Language) -> Any:
    if not isinstance(errors, list):
        return errors
    out = []
    for error in errors:
        text = VALIDATION.get(error.get("type", "")) if isinstance(error, dict) else None
        if text is None:
            out.append(error)
            continue
        ctx = error.get("ctx") or {}
        values = {
            k: "、".join(map(str, v)) if isinstance(v, list) and language == "zh-CN" else v
            for k, v in ctx.items()
        }
        out.append({**error, "msg": fill(text(language), values)})
    return out


def problem_response(request: Request, problem: Problem) -> JSONResponse:
    language = negotiate(request.headers.get("accept-language"))
    title, detail = problem_texts(problem, catalogue_of(request), language)
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + problem.slug,
        "title": title,
        "status": problem.status,
        "instance": request.url.path,
    }
    if detail:
        body["detail"] = detail
    correlation_id = getattr(request.state, "correlation_id", None)
    if correlation_id:
        body["correlation_id"] = correlation_id
    extensions = dict(problem.extensions)
    if "errors" in extensions:
        extensions["errors"] = _localise_errors(extensions["errors"], language)
    body.update(jsonable_encoder(extensions))
    headers = {**(problem.headers or {}), "Content-Language": language, "Vary": "Accept-Language"}
    return JSONResponse(body, status_code=problem.status, media_type=MEDIA_TYPE, headers=headers)


def not_found(what: str, ident: object) -> Problem:
    return Problem(
        404, "not-found", f"no {what} with id {ident}", params={"what": what, "id": ident}
    )


def to_problem(exc: Exception) -> Problem:
    """The problem that answers an exception raised while handling a request."""
    match exc:
        case Problem():
            return exc
        case RequestValidationError():
            errors = [_error_entry(e) for e in exc.errors()]
            return Problem(
                422,
                "invalid-request",
                "the request does not match its schema",
                params={"count": len(errors)},
                errors=errors,
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
                params=_transition_words(exc),
                entity=exc.entity,
                current_state=exc.current,
                command=exc.command,
                allowed_commands=exc.allowed,
            )
        case DutyConflict():
            return Problem(409, "separation-of-duties", str(exc), rule=exc.rule)
        case AlreadyTaken():
            return Problem(409, "already-taken", str(exc), taken=exc.what, existing_id=exc.holder)
        case RuleViolation():
            return Problem(422, "rule-violation", str(exc))
        case FilesNotStored():
            return Problem(
                422,
                "files-not-stored",
                str(exc),
                params={"missing": exc.missing},
                missing=exc.missing,
            )
        case FileStoreUnavailable():
            log.warning("file store unavailable: %r", exc)
            return Problem(
                503,
                "store-unavailable",
                "the file store cannot be reached; retry shortly",
                headers={"Retry-After": "2"},
                params={"store": "file store"},
            )
        case IntegrityError():
            return Problem(
                409, "concurrent-update", "the record changed meanwhile; read it again and retry"
            )
        case RecordNotFound():
            return Problem(404, "not-found", str(exc), params={"what": exc.kind, "id": exc.ident})
        case AggregateNotFoundError():
            return Problem(404, "not-found", "no such record", params={"what": "record", "id": "-"})
        case ViewBehind():
            return Problem(
                503,
                "view-behind",
                f"the {exc.projection} view has reached position {exc.reached}, "
                f"not yet {exc.wanted}; retry shortly",
                headers={"Retry-After": "1"},
                params={"wanted": exc.wanted, "reached": exc.reached},
                projection=exc.projection,
                wanted_position=exc.wanted,
                reached_position=exc.reached,
            )
        case TooManyWaiting():
            return Problem(
                503,
                "too-many-waiting",
                f"{exc.limit} queries are already waiting for the read views; retry shortly",
                headers={"Retry-After": "1"},
                params={"limit": exc.limit},
                max_waiting=exc.limit,
            )
        case PositionAhead():
            return Problem(
                400,
                "position-ahead",
                f"{exc}: min_position must come from a command's answer",
                params={"wanted": exc.wanted, "written": exc.written},
                wanted_position=exc.wanted,
                written_position=exc.written,
            )
        case MalformedAfter():
            return Problem(400, "after-malformed", str(exc), params={"token": exc.token})
        case TooManyAfter():
            return Problem(
                400,
                "too-many-after",
                str(exc),
                params={"given": exc.given, "limit": exc.limit},
                max_after=exc.limit,
            )
        case StreamNotFollowed():
            return Problem(
                400,
                "stream-not-followed",
                str(exc),
                params={"stream": exc.stream, "followed": ", ".join(exc.followed)},
                stream=exc.stream,
                followed=exc.followed,
            )
        case UpstreamBehind():
            return Problem(
                503,
                "upstream-behind",
                f"{exc}; retry shortly",
                headers={"Retry-After": "1"},
                params={
                    "reaction": exc.reaction,
                    "stream": exc.after.stream,
                    "reached": exc.reached,
                    "wanted": exc.after.position,
                },
                reaction=exc.reaction,
                stream=exc.after.stream,
                wanted_position=exc.after.position,
                reached_position=exc.reached,
            )
        case OperationalError():
            log.warning("event store unavailable: %r", exc)
            return Problem(
                503,
                "store-unavailable",
                "the event store cannot be reached; retry shortly",
                headers={"Retry-After": "2"},
                params={"store": "event store"},
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
                params={"store": "read views"},
            )
    log.error("unhandled error", exc_info=exc)
    return Problem(500, "internal-error", "an unexpected error occurred")


def _transition_words(exc: IllegalTransition) -> dict[str, Any]:
    """The labels an illegal-transition text is filled with, in both languages."""

    def action(route: str, label: Label) -> Text:
        return Text(f"「{label.zh}」({route})", f"“{label.en}” ({route})")

    allowed = [action(route, label) for route, label in exc.allowed_labels.items()]
    return {
        "thing": Text(exc.entity_label.zh, exc.entity_label.en),
        "a_thing": Text(exc.entity_label.zh, exc.entity_label.en_with_article),
        "state": Text(exc.state_label.zh, exc.state_label.en),
        "action": action(exc.command, exc.command_label),
        "allowed": allowed or Text("无", "none"),
    }


def _error_entry(error: Mapping[str, Any]) -> dict[str, Any]:
    entry = {
        "loc": list(error.get("loc", ())),
        "msg": error.get("msg", ""),
        "type": error.get("type", ""),
    }
    ctx = error.get("ctx")
    if isinstance(ctx, Mapping):
        entry["ctx"] = {k: v for k, v in ctx.items() if isinstance(v, str | int | float | list)}
        if "matches" in ctx:
            entry["matches"] = ctx["matches"]
    return entry


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
    DutyConflict,
    AlreadyTaken,
    RuleViolation,
    FilesNotStored,
    FileStoreUnavailable,
    IntegrityError,
    AggregateNotFoundError,
    ViewBehind,
    TooManyWaiting,
    PositionAhead,
    MalformedAfter,
    TooManyAfter,
    StreamNotFollowed,
    UpstreamBehind,
    OperationalError,
    Exception,
)


def install_problem_handlers(app: FastAPI) -> None:
    for kind in HANDLED:
        app.add_exception_handler(kind, _on_error)
