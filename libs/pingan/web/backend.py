"""The backend-for-frontend: each page reads and commands through the services' own HTTP
API, in this process, as the signed-in user (their token, their language)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.types import ASGIApp

from pingan.api.i18n import Language

#: Where the API's problems end and the page shows them in plain words.
PROBLEM = "application/problem+json"


@dataclass
class ApiError(Exception):
    status: int
    title: str
    detail: str
    errors: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, response: httpx.Response) -> ApiError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        errors = body.get("errors") if isinstance(body.get("errors"), list) else []
        return cls(
            response.status_code,
            str(body.get("title") or response.reason_phrase),
            str(body.get("detail") or ""),
            errors or [],
        )

    def lines(self) -> list[str]:
        """Each field error as "field: message", for the form that sent it."""
        out = []
        for error in self.errors:
            where = [str(p) for p in error.get("loc", []) if p not in ("body", "query")]
            out.append(f"{'.'.join(where)}: {error.get('msg', '')}".strip(": "))
        return out


#: The API in this process (its root app), or the base URL of a gateway in front of it.
Api = ASGIApp | str


def http_client(api: Api, headers: Mapping[str, str]) -> httpx.AsyncClient:
    if isinstance(api, str):
        return httpx.AsyncClient(base_url=api, headers=dict(headers), timeout=40.0)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=api),
        base_url="http://pingan.internal",
        headers=dict(headers),
        timeout=40.0,
    )


class Backend:
    def __init__(
        self, api: Api, token: str | None, language: Language, correlation: str | None
    ) -> None:
        headers: dict[str, str] = {"Accept-Language": language}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if correlation:
            headers["X-Request-ID"] = correlation
        self._http = http_client(api, headers)

    async def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        response = await self._http.get(path, params=_clean(params))
        if response.status_code >= 400:
            raise ApiError.of(response)
        return response.json()

    async def file(self, path: str) -> httpx.Response:
        """A file the API serves (evidence), as it answered it."""
        response = await self._http.get(path)
        if response.status_code >= 400:
            raise ApiError.of(response)
        return response

    async def page(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        found = await self.get(path, params)
        if isinstance(found, list):
            return {"items": found, "total": len(found), "limit": len(found), "offset": 0}
        if not isinstance(found, dict):
            raise ApiError(502, "unexpected answer", path)
        return found

    async def all_items(
        self, path: str, params: Mapping[str, Any] | None = None, *, most: int = 5000
    ) -> list[dict[str, Any]]:
        """Every item of a paginated list, up to `most`."""
        items: list[dict[str, Any]] = []
        while len(items) < most:
            page = await self.page(path, {**(params or {}), "limit": 500, "offset": len(items)})
            items += page["items"]
            if not page["items"] or len(items) >= page["total"]:
                break
        return items

    async def command(
        self, path: str, body: Mapping[str, Any], *, created: int | None = None
    ) -> dict[str, Any]:
        response = await self._http.post(path, json=dict(body))
        if response.status_code >= 400 or (created and response.status_code != created):
            raise ApiError.of(response)
        answer = response.json() if response.content else {}
        return answer if isinstance(answer, dict) else {}

    async def delete(self, path: str) -> None:
        response = await self._http.delete(path)
        if response.status_code >= 400:
            raise ApiError.of(response)

    async def close(self) -> None:
        await self._http.aclose()


@asynccontextmanager
async def backend(
    api: Api, token: str | None, language: Language, correlation: str | None
) -> AsyncIterator[Backend]:
    client = Backend(api, token, language, correlation)
    try:
        yield client
    finally:
        await client.close()


def _clean(params: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (params or {}).items() if v not in (None, "")}
