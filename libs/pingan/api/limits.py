"""Bounds on what one request may carry: its body and its query string.

A body is bounded while it streams in: a Content-Length over the bound is refused before any
of the body is read, and a chunked body is counted as its chunks arrive and refused at the
first byte past the bound. The app then sees the client as gone, so nothing past the bound is
ever buffered. JSON commands share one bound; a route that takes files declares the larger
upload bound with `openapi_extra=body_limit("upload")`, which also shows in its document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.routing import Mount, Route, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pingan.api.problems import Problem, problem_response
from pingan.run.settings import Settings

BodyKind = Literal["json", "upload"]

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON_TYPE = "application/json"

#: The OpenAPI extension that names a route's body bound.
BODY_LIMIT_KEY = "x-body-limit"


def body_limit(kind: BodyKind) -> dict[str, Any]:
    """A route's `openapi_extra` that gives it the named body bound."""
    return {BODY_LIMIT_KEY: kind}


def body_too_large(limit: int) -> Problem:
    return Problem(
        413,
        "body-too-large",
        f"the request body is larger than {limit} bytes",
        headers={"Connection": "close"},
        params={"limit": limit},
        max_bytes=limit,
    )


def query_too_long(limit: int) -> Problem:
    return Problem(
        414,
        "query-too-long",
        f"the query string is longer than {limit} bytes",
        params={"limit": limit},
        max_bytes=limit,
    )


def not_json(content_type: str) -> Problem:
    return Problem(
        415,
        "unsupported-media-type",
        f"the body is {content_type}; send JSON with Content-Type: application/json",
        headers={"Accept-Post": JSON_TYPE},
        params={"content_type": content_type},
        content_type=content_type,
    )


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == JSON_TYPE or (media.startswith("application/") and media.endswith("+json"))


def too_many_query_parameters(limit: int) -> Problem:
    return Problem(
        422,
        "too-many-query-parameters",
        f"the query has more than {limit} parameters",
        params={"limit": limit},
        max_parameters=limit,
    )


@dataclass(frozen=True)
class RouteBound:
    methods: frozenset[str]
    path: re.Pattern[str]
    max_bytes: int


@dataclass(frozen=True)
class RequestBounds:
    body_bytes: int
    upload_body_bytes: int
    query_bytes: int
    query_params: int
    routes: tuple[RouteBound, ...] = ()

    @classmethod
    def of(cls, settings: Settings) -> RequestBounds:
        return cls(
            settings.limit_body_bytes,
            settings.limit_upload_body_bytes,
            settings.limit_query_bytes,
            settings.limit_query_params,
        )

    def learn(self, app: Starlette) -> RequestBounds:
        """These bounds with the per-route ones that `app`'s routes (and mounted apps') declare."""
        sizes = {"json": self.body_bytes, "upload": self.upload_body_bytes}
        found = tuple(
            RouteBound(methods, compile_path(path)[0], sizes[kind])
            for path, methods, kind in _declared(app, "")
        )
        return RequestBounds(
            self.body_bytes, self.upload_body_bytes, self.query_bytes, self.query_params, found
        )

    def body_bound(self, method: str, path: str) -> int:
        for route in self.routes:
            if method in route.methods and route.path.match(path):
                return route.max_bytes
        return self.body_bytes


def _declared(app: ASGIApp, prefix: str) -> list[tuple[str, frozenset[str], BodyKind]]:
    """Each route that declares a body bound: its full path, methods and kind. A FastAPI app
    is read through its OpenAPI document, since the routes of its included routers are not
    listed in `app.routes` in every FastAPI version; a route left out of the document is
    bounded as JSON."""
    found: list[tuple[str, frozenset[str], BodyKind]] = []
    if isinstance(app, FastAPI):
        for path, item in (app.openapi().get("paths") or {}).items():
            for method, operation in item.items():
                kind = operation.get(BODY_LIMIT_KEY) if isinstance(operation, dict) else None
                if kind is not None:
                    found.append((prefix + path, frozenset({method.upper()}), kind))
    for route in getattr(app, "routes", ()):
        if isinstance(route, Mount):
            found += _declared(route.app, prefix + route.path)
        elif isinstance(route, Route) and not isinstance(app, FastAPI):
            kind = (getattr(route, "openapi_extra", None) or {}).get(BODY_LIMIT_KEY)
            if kind is not None:
                found.append((prefix + route.path, frozenset(route.methods or ()), kind))
    return found


def _content_length(headers: Headers) -> int | None:
    value = headers.get("content-length", "")
    return int(value) if value.isdigit() else None


class RequestLimitMiddleware:
    def __init__(self, app: ASGIApp, bounds: RequestBounds) -> None:
        self.app = app
        self.bounds = bounds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query: bytes = scope.get("query_string", b"")
        if len(query) > self.bounds.query_bytes:
            await self._refuse(scope, receive, send, query_too_long(self.bounds.query_bytes))
            return
        if query and query.count(b"&") + query.count(b";") + 1 > self.bounds.query_params:
            problem = too_many_query_parameters(self.bounds.query_params)
            await self._refuse(scope, receive, send, problem)
            return
        limit = self.bounds.body_bound(scope["method"], scope["path"])
        headers = Headers(scope=scope)
        length = _content_length(headers)
        if length is not None and length > limit:
            await self._refuse(scope, receive, send, body_too_large(limit))
            return
        # A JSON route's body without a content type is read as JSON; one declared as
        # something else (a form, text) is refused before FastAPI reports it as a bad field.
        # The dashboard's pages outside /api take HTML forms.
        content_type = headers.get("content-type")
        carries_body = bool(length) or "transfer-encoding" in headers
        is_api = str(scope["path"]).startswith("/api/")
        if (
            carries_body
            and is_api
            and limit == self.bounds.body_bytes
            and scope["method"] in BODY_METHODS
        ):
            if content_type is None:
                scope = {
                    **scope,
                    "headers": [*scope["headers"], (b"content-type", b"application/json")],
                }
            elif not _is_json(content_type):
                await self._refuse(scope, receive, send, not_json(content_type))
                return

        received = 0
        refused = started = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit and not refused:
                    refused = True
                    if not started:
                        await self._refuse(scope, receive, send, body_too_large(limit))
                    # The app sees a client that has gone: it stops reading and its answer
                    # (if any) is dropped below.
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not refused:
                raise

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, problem: Problem) -> None:
        await problem_response(Request(scope), problem)(scope, receive, send)
