"""Errors a domain model raises and the API maps; free of any framework."""

from __future__ import annotations

from collections.abc import Iterable


class DomainError(Exception):
    """A command that the model refuses."""


class IllegalTransition(DomainError):
    def __init__(self, entity: str, current: str, command: str, allowed: Iterable[str]) -> None:
        self.entity = entity
        self.current = current
        self.command = command
        self.allowed = sorted(allowed)
        super().__init__(f"cannot {command} a {entity} that is {current}")


class RuleViolation(DomainError):
    """The command is well-formed but breaks a business rule."""
