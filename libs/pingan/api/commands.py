"""The base of every command body: unknown fields refused, text and dates kept sane."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

# PostgreSQL text cannot hold NUL, and no other control character belongs in a record
# (tab, newline and carriage return aside): refused here, they never reach a view.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


def check_value(value: Any) -> None:
    if isinstance(value, str):
        if _CONTROL.search(value):
            raise ValueError("control characters are not allowed")
    elif isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        if not EARLIEST <= day <= LATEST:
            raise ValueError(f"dates run from {EARLIEST} to {LATEST}")
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            check_value(item)


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _sane(cls, value: Any) -> Any:
        check_value(value)
        return value
