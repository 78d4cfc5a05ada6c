"""The reference pages kept in `docs/`, written from the code so that they cannot drift:
`docs/api.md` from the OpenAPI documents of the assembled apps (every route, with its body
fields and query parameters), `docs/settings.md` from the settings model.

`python -m pingan.docs` (or `pingan docs`) writes them; `--check` only compares, and a test
fails while a committed page is stale.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from pingan.run.settings import Settings

API_PAGE = "api.md"
SETTINGS_PAGE = "settings.md"
METHODS = ("get", "post", "put", "patch", "delete")
_GENERATED = "<!-- Written by `python -m pingan.docs`; edit the code, not this page. -->"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return dict(components.get(ref.rsplit("/", 1)[-1], {}))
    return schema


def _type(schema: dict[str, Any], components: dict[str, Any]) -> str:
    """A field's type in a few words: its JSON type, format, choices and bounds."""
    if "anyOf" in schema:
        kinds = [s for s in schema["anyOf"] if s.get("type") != "null"]
        shown = " or ".join(_type(s, components) for s in kinds)
        return shown + (" or null" if len(kinds) < len(schema["anyOf"]) else "")
    schema = {**_resolve(schema, components), **{k: v for k, v in schema.items() if k != "$ref"}}
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    kind = str(schema.get("type", "object"))
    if kind == "array":
        shown = f"list of {_type(schema.get('items', {}), components)}"
    elif kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        shown = f"object of {_type(schema['additionalProperties'], components)}"
    else:
        shown = kind
    if "format" in schema:
        shown += f" ({schema['format']})"
    bounds = []
    for key, word in (
        ("minLength", "length ≥"),
        ("maxLength", "length ≤"),
        ("minimum", "≥"),
        ("exclusiveMinimum", ">"),
        ("maximum", "≤"),
        ("exclusiveMaximum", "<"),
        ("minItems", "items ≥"),
        ("maxItems", "items ≤"),
        ("pattern", "matching"),
    ):
        if key in schema:
            value = schema[key]
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            value = f"`{value}`" if key == "pattern" else value
            bounds.append(f"{word} {value}")
    return shown + (f", {', '.join(bounds)}" if bounds else "")


def _description(schema: dict[str, Any], components: dict[str, Any]) -> str:
    if "description" in schema:
        return str(schema["description"])
    for option in schema.get("anyOf", ()):
        resolved = _resolve(option, components)
        if "description" in resolved:
            return str(resolved["description"])
    return str(_resolve(schema, components).get("description", ""))


def _default(schema: dict[str, Any]) -> str:
    return f"`{json.dumps(schema['default'], ensure_ascii=False)}`" if "default" in schema else ""


def body_fields(operation: dict[str, Any], components: dict[str, Any]) -> list[dict[str, str]]:
    """The fields of an operation's JSON body: name, type, required, default, description."""
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return []
    body = _resolve(schema, components)
    required = set(body.get("required", ()))
    return [
        {
            "name": name,
            "type": _type(field, components),
            "required": "yes" if name in required else "",
            "default": _default(field),
            "description": _description(field, components),
        }
        for name, field in body.get("properties", {}).items()
    ]


def query_parameters(operation: dict[str, Any], components: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "name": parameter["name"],
            "type": _type(parameter.get("schema", {}), components),
            "required": "yes" if parameter.get("required") else "",
            "default": _default(parameter.get("schema", {})),
            "description": parameter.get("description")
            or _description(parameter.get("schema", {}), components),
        }
        for parameter in operation.get("parameters", ())
        if parameter.get("in") == "query"
    ]


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def _summary(operation: dict[str, Any]) -> str:
    """The first paragraph of the route's docstring (FastAPI's own summary is only the
    function's name)."""
    description = str(operation.get("description") or "").strip()
    return description.split("\n\n", 1)[0] if description else str(operation.get("summary", ""))


def _table(rows: list[dict[str, str]], heading: str) -> list[str]:
    lines = [
        f"| {heading} | type | required | default | description |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| `{r['name']}` | {_cell(r['type'])} | {r['required']} | {_cell(r['default'])} "
        f"| {_cell(r['description'])} |"
        for r in rows
    ]
    return lines


def render_api(documents: dict[str, dict[str, Any]]) -> str:
    """The API reference: per app (under `/api/<name>`), every route, then each route's body
    fields and query parameters."""
    lines = [
        "# API reference",
        "",
        _GENERATED,
        "",
        "Every service answers under `/api/<service>` (interactive docs at `/api/<service>/docs`).",
        "Every route but sign-in and health needs `Authorization: Bearer <token>`; a command's",
        "body is JSON (`Content-Type: application/json`). A time given without an offset is",
        "office time (the `TIMEZONE` setting, Asia/Shanghai), and times are answered with the",
        "office's offset (`+08:00`). Errors are `application/problem+json` (see README, Errors).",
        "",
    ]
    for name, document in documents.items():
        components = document.get("components", {}).get("schemas", {})
        prefix = f"/api/{name}"
        lines += [f"## {name} (`{prefix}`)", ""]
        description = document.get("info", {}).get("description")
        if description:
            lines += [_cell(description), ""]
        lines += ["| method and path | what it does |", "|---|---|"]
        operations = sorted(_operations(document), key=lambda o: (o[1], METHODS.index(o[0])))
        for method, path, operation in operations:
            lines.append(f"| `{method.upper()} {path}` | {_cell(_summary(operation))} |")
        lines.append("")
        for method, path, operation in operations:
            fields = body_fields(operation, components)
            parameters = query_parameters(operation, components)
            if not fields and not parameters:
                continue
            lines += [f"### `{method.upper()} {prefix}{path}`", ""]
            text = operation.get("description") or operation.get("summary")
            if text:
                lines += [_cell(text), ""]
            if fields:
                lines += [*_table(fields, "body field"), ""]
            if parameters:
                lines += [*_table(parameters, "query parameter"), ""]
    return "\n".join(lines).rstrip() + "\n"


def env_name(name: str) -> str:
    return name.upper()


def _setting_type(info: FieldInfo) -> str:
    annotation = info.annotation
    text = getattr(annotation, "__name__", None) if annotation is not None else None
    shown = str(annotation) if text is None or "[" in str(annotation) else text
    return shown.replace("pathlib.", "").replace("pydantic.types.", "").replace("typing.", "")


def _setting_default(info: FieldInfo) -> str:
    if info.default_factory is not None:
        value: Any = info.default_factory()  # type: ignore[call-arg]
    elif info.default is PydanticUndefined:
        return "(required)"
    else:
        value = info.default
    if value is None:
        return "unset"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"`{json.dumps(value, ensure_ascii=False, default=str)}`"


def render_settings(settings: type[Settings] = Settings) -> str:
    lines = [
        "# Settings",
        "",
        _GENERATED,
        "",
        "Every process reads these from its environment, and from a `.env` file in the",
        "directory it starts in (a variable set in the environment wins). Names are",
        "upper-cased field names of `pingan.run.settings.Settings`; a list or mapping is",
        "given as JSON (`CORS_ALLOWED_ORIGINS='[\"https://portal.example\"]'`). Durations",
        "ending in `_s` are seconds, `_h` hours.",
        "",
        "| variable | type | default | description |",
        "|---|---|---|---|",
    ]
    for name, info in settings.model_fields.items():
        lines.append(
            f"| `{env_name(name)}` | {_cell(_setting_type(info))} | {_setting_default(info)} "
            f"| {_cell(info.description or '')} |"
        )
    return "\n".join(lines) + "\n"


def openapi_documents() -> dict[str, dict[str, Any]]:
    """The OpenAPI document of each app `pingan serve` mounts, by its name under `/api`,
    built without opening any connection."""
    from pingan.api.app import create_service_app
    from pingan.auth.app import create_accounts_app
    from pingan.auth.keys import KeyFiles, create_signing_key
    from pingan.auth.runtime import ACCOUNTS, AuthRuntime
    from pingan.run.runtime import ServiceRuntime
    from pingan.service import all_services

    with tempfile.TemporaryDirectory() as directory:
        files = KeyFiles.in_dir(Path(directory))
        create_signing_key(files)
        # The defaults, whatever this process's environment or `.env` says.
        settings = Settings.model_construct(auth_signing_key_file=files.signing)
        auth = AuthRuntime(settings)
        documents = {ACCOUNTS: create_accounts_app(auth).openapi()}
        for name, spec in all_services().items():
            documents[name] = create_service_app(ServiceRuntime(spec, settings), auth).openapi()
    return documents


def pages() -> dict[str, str]:
    return {API_PAGE: render_api(openapi_documents()), SETTINGS_PAGE: render_settings()}


def stale(directory: Path, expected: dict[str, str] | None = None) -> list[str]:
    """The pages in `directory` that differ from what the code says."""
    return [
        name
        for name, text in (expected or pages()).items()
        if not (directory / name).is_file() or (directory / name).read_text("utf-8") != text
    ]


def write(directory: Path, expected: dict[str, str] | None = None) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (expected or pages()).items():
        path = directory / name
        if not path.is_file() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
            written.append(name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pingan.docs", description=__doc__)
    parser.add_argument("--dir", type=Path, default=Path("docs"))
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 if stale")
    args = parser.parse_args(argv)
    if args.check:
        differing = stale(args.dir)
        for name in differing:
            print(f"stale: {args.dir / name}; run `python -m pingan.docs`", file=sys.stderr)
        return 1 if differing else 0
    for name in write(args.dir):
        print(f"wrote {args.dir / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
