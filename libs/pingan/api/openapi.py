"""The error answers of every operation, documented once: RFC 9457 problem details."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

from pingan.api.problems import MEDIA_TYPE, TYPE_PREFIX

COMMAND_METHODS = {"post", "put", "patch", "delete"}
_SCHEMA_REF = "#/components/schemas/ProblemDetails"


class ProblemDetails(BaseModel):
    """RFC 9457 problem details; members beyond these are the problem's extensions."""

    model_config = ConfigDict(extra="allow", title="ProblemDetails")

    type: str = Field(
        default="about:blank", description=f"Stable identifier, e.g. {TYPE_PREFIX}not-found"
    )
    title: str | None = Field(default=None, description="Short summary (zh-CN or en)")
    status: int | None = Field(default=None, ge=100, le=599)
    detail: str | None = None
    instance: str | None = None


_WHAT = {
    "400": "请求无效 (Bad request)",
    "401": "需要有效的令牌 (A valid bearer token is required)",
    "403": "无权执行该操作 (Forbidden)",
    "404": "未找到 (Not found)",
    "409": "与当前状态冲突 (Conflict with the current state)",
    "413": "请求内容过大 (Request body too large)",
    "414": "查询字符串过长 (Query string too long)",
    "415": "请以 JSON 格式提交 (Send JSON)",
    "422": "请求内容不符合要求 (Unprocessable request)",
    "429": "请求过于频繁,请按 Retry-After 稍后重试 (Too many requests; retry after Retry-After)",
    "503": "暂不可用,请稍后重试 (Unavailable; retry later)",
}


_RETRY_AFTER = {
    "description": "Seconds to wait before the next try (等待秒数)",
    "schema": {"type": "integer", "minimum": 1},
}


def _statuses(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    # Every request's query is bounded (414, or 422 for too many parameters).
    statuses = ["414", "422", "503"]
    if operation.get("security") or "401" in operation.get("responses", {}):
        statuses.append("401")
    if "403" in operation.get("responses", {}):
        statuses.append("403")
    if "{" in path:
        statuses.append("404")
    if method in COMMAND_METHODS:
        statuses += ["409", "429"]
    if "requestBody" in operation:
        statuses += ["413", "415"]
    # A body that is not even JSON text (bad bytes) is a 400 before any schema applies.
    if operation.get("parameters") or "requestBody" in operation:
        statuses.append("400")
    return sorted(statuses)


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Every operation answers its errors as problem+json; FastAPI's own 422 entry goes."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ProblemDetails"] = ProblemDetails.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "head", *COMMAND_METHODS}:
                continue
            responses = operation.setdefault("responses", {})
            for status in _statuses(method, path, operation):
                responses[status] = {
                    "description": _WHAT[status],
                    "content": {MEDIA_TYPE: {"schema": {"$ref": _SCHEMA_REF}}},
                }
                if status == "429":
                    responses[status]["headers"] = {"Retry-After": _RETRY_AFTER}
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


def install_openapi(app: FastAPI) -> None:
    """FastAPI's own document, with every operation's problem answers added once."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
