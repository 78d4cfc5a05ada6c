"""The commands a page offers as forms: each names its API path, the action the table
requires, the statuses it applies in, and its fields, so that a page shows only what the
user's role may do and the record's state allows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pingan.auth.actions import Action


@dataclass(frozen=True)
class Field:
    name: str
    zh: str
    en: str
    kind: str = "text"  # text, textarea, date, number, select, checkbox
    required: bool = True
    choices: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    default: str = ""

    def parse(self, raw: str | None) -> Any:
        if self.kind == "checkbox":
            return raw is not None
        if raw is None or raw.strip() == "":
            return None
        value = raw.strip()
        if self.kind == "number":
            try:
                return int(value)
            except ValueError:
                return value
        return value


@dataclass(frozen=True)
class Command:
    slug: str
    zh: str
    en: str
    action: Action
    statuses: frozenset[str]
    fields: Sequence[Field] = ()

    def body(self, form: Mapping[str, str]) -> dict[str, Any]:
        values = {f.name: f.parse(form.get(f.name)) for f in self.fields}
        return {k: v for k, v in values.items() if v is not None}


def today_field(name: str, zh: str, en: str) -> Field:
    return Field(name, zh, en, "date", required=True, default=date.today().isoformat())
