"""Errors a domain model raises and the API maps, and the state-machine guard that every
aggregate shares; free of any framework."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, ClassVar


class DomainError(Exception):
    """A command that the model refuses."""


class IllegalTransition(DomainError):
    """A command refused in the aggregate's current state; `command` and `allowed` are the
    actions as the API names them (e.g. "/start")."""

    def __init__(self, entity: str, current: str, command: str, allowed: Iterable[str]) -> None:
        self.entity = entity
        self.current = current
        self.command = command
        self.allowed = sorted(allowed)
        shown = ", ".join(self.allowed) or "无 (none)"
        super().__init__(
            f"{entity}当前状态为 {current},不能执行 {command};可执行: {shown} "
            f"(a {entity} that is {current} does not allow {command})"
        )


class RuleViolation(DomainError):
    """The command is well-formed but breaks a business rule."""


class AlreadyTaken(DomainError):
    """A name or number that must be unique is held by another record, `holder`."""

    def __init__(self, what: str, value: str, holder: Any, message: str) -> None:
        self.what = what
        self.value = value
        self.holder = holder
        super().__init__(message)


class Transitions:
    """Which states allow each command of one kind of aggregate, declared once.

    Each command is declared under its method name with the action the API names it by and
    the states it is allowed in; several commands may share one action.
    """

    def __init__(self, entity: str, **commands: tuple[str, Iterable[StrEnum]]) -> None:
        self.entity = entity
        self._actions = {name: action for name, (action, _) in commands.items()}
        self._states = {name: frozenset(states) for name, (_, states) in commands.items()}

    @property
    def commands(self) -> frozenset[str]:
        return frozenset(self._actions)

    def action(self, command: str) -> str:
        return self._actions[command]

    def allowed(self, state: StrEnum) -> list[str]:
        """The API actions allowed in `state`, sorted."""
        return sorted({self._actions[c] for c, states in self._states.items() if state in states})

    def require(self, state: StrEnum, command: str) -> None:
        if state not in self._states[command]:
            raise IllegalTransition(
                self.entity, state.value, self._actions[command], self.allowed(state)
            )


class StateMachine:
    """Mixed into an aggregate whose `status` moves along its `transitions`."""

    transitions: ClassVar[Transitions]

    def allowed_commands(self) -> list[str]:
        """The API actions the current state allows."""
        return self.transitions.allowed(self._state())

    def _require(self, command: str) -> None:
        self.transitions.require(self._state(), command)

    def _state(self) -> StrEnum:
        status: Any = vars(self)["status"]
        if not isinstance(status, StrEnum):
            raise TypeError(f"{type(self).__name__}.status is not a state")
        return status
