"""The demo's HTTP client: the public API only, with bounded parallelism and retries."""

from __future__ import annotations

import asyncio
import uuid
from types import TracebackType
from typing import Any

import httpx

RETRY_STATUSES = frozenset({429, 503})
ATTEMPTS = 8


class DemoRefused(RuntimeError):
    """The system refused a demo command: the demo and the system disagree."""

    def __init__(self, method: str, path: str, status: int, text: str) -> None:
        super().__init__(f"{method} {path} answered {status}: {text[:600]}")
        self.status = status


class DemoClient:
    def __init__(
        self, url: str, token: str, verifier_token: str, parallel: int = 12, timeout_s: float = 30
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=url.rstrip("/") + "/api",
            timeout=timeout_s,
            limits=httpx.Limits(max_connections=parallel, max_keepalive_connections=parallel),
        )
        self._token = token
        self._verifier = verifier_token
        self._slots = asyncio.Semaphore(parallel)
        self.run = uuid.uuid4().hex[:12]

    async def __aenter__(self) -> DemoClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._http.aclose()

    async def get(self, path: str, **params: Any) -> Any:
        return (await self._send("GET", path, params=params)).json()

    async def send(
        self, method: str, path: str, body: dict[str, Any], *, key: str | None, verifier: bool
    ) -> Any:
        headers = {"Idempotency-Key": f"demo-{self.run}-{key}"} if key else {}
        answer = await self._send(method, path, json=body, headers=headers, verifier=verifier)
        return answer.json() if answer.content else None

    async def _send(
        self,
        method: str,
        path: str,
        *,
        verifier: bool = False,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        token = self._verifier if verifier else self._token
        sent = {"Authorization": f"Bearer {token}", **(headers or {})}
        for attempt in range(ATTEMPTS):
            async with self._slots:
                answer = await self._http.request(method, path, headers=sent, **kwargs)
            if not _retryable(answer, headers) or attempt == ATTEMPTS - 1:
                break
            pause = float(answer.headers.get("Retry-After", 0.05 * (attempt + 1)))
            await asyncio.sleep(min(pause, 3.0))
        if answer.status_code >= 400:
            raise DemoRefused(method, path, answer.status_code, answer.text)
        return answer


def _retryable(answer: httpx.Response, headers: dict[str, str] | None) -> bool:
    """Refused before anything was recorded, or a creation that its key makes safe to repeat."""
    if answer.status_code == 409:
        # Two of the demo's own commands wrote one record (a file-number series, a key
        # area) at once: nothing was recorded, so it is sent again.
        return "concurrent-update" in answer.text
    if answer.status_code not in RETRY_STATUSES:
        return False
    unknown = "command-timed-out" in answer.text
    return not unknown or bool(headers and "Idempotency-Key" in headers)
