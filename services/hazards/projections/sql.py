"""Positional arguments of a query, numbered as they are added."""

from __future__ import annotations

from typing import Any


class Args:
    """`args(value)` keeps the value and answers its placeholder ($1, $2, ...)."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"
