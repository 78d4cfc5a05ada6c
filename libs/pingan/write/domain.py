"""Errors a domain model raises and the API maps, and the state-machine guard that every
aggregate shares; free of any framework."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar


@dataclass(frozen=True)
class Label:
    """What a person reads for a name in the model: Chinese, and English.

    `article` is the English indefinite article where the spelling misleads ("a unit",
    "an hour"); otherwise it follows the first letter.
    """

    zh: str
    en: str
    article: str | None = None

    @property
    def en_with_article(self) -> str:
        article = self.article or ("an" if self.en[:1].lower() in "aeiou" else "a")
        return f"{article} {self.en}"


#: Each aggregate's facts as an audit trail names them: aggregate class name -> event class
#: name -> label.
EventLabels = Mapping[str, Mapping[str, Label]]


def plain(name: str) -> Label:
    """A stand-in for a name nobody labelled: its words, never its identifier."""
    words = name.replace("_", " ").strip()
    return Label(words, words)


class DomainError(Exception):
    """A command that the model refuses."""


class IllegalTransition(DomainError):
    """A command refused in the aggregate's current state.

    `entity`, `current`, `command` and `allowed` are what a program reads: the kind, the
    state's value and the actions as the API names them (e.g. "/start"). The labels are what
    a person reads: the kind, the state and each action in plain words.
    """

    def __init__(
        self,
        entity: str,
        current: str,
        command: str,
        allowed: Iterable[str],
        *,
        entity_label: Label | None = None,
        state_label: Label | None = None,
        command_label: Label | None = None,
        allowed_labels: Mapping[str, Label] | None = None,
    ) -> None:
        self.entity = entity
        self.current = current
        self.command = command
        self.allowed = sorted(allowed)
        self.entity_label = entity_label or plain(entity)
        self.state_label = state_label or plain(current)
        self.command_label = command_label or Label(command, command)
        labels = allowed_labels or {}
        self.allowed_labels = {a: labels.get(a) or Label(a, a) for a in self.allowed}
        shown_zh = "、".join(f"「{label.zh}」({a})" for a, label in self.allowed_labels.items())
        shown_en = ", ".join(f"“{label.en}” ({a})" for a, label in self.allowed_labels.items())
        super().__init__(
            f"{self.entity_label.zh}当前状态为「{self.state_label.zh}」,"
            f"不能执行「{self.command_label.zh}」({command});当前可执行:{shown_zh or '无'} "
            f"(“{self.command_label.en}” ({command}) is not allowed on "
            f"{self.entity_label.en_with_article} that is {self.state_label.en}; "
            f"allowed now: {shown_en or 'none'})"
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
    """Which states allow each command of one kind of aggregate, declared once, with the
    words a person reads for them.

    `entity` names the kind for programs ("key area") and `label` for people; `states`
    labels every state of the status enum. Each command is declared under its method name
    as `(action, label, states)`: the action the API names it by (several commands may share
    one), its label, and the states it is allowed in. An unlabelled `(action, states)` still
    works, but the labels test of every service refuses it.
    """

    def __init__(
        self,
        entity: str,
        label: Label | None = None,
        states: Mapping[StrEnum, Label] | None = None,
        /,
        **commands: tuple[str, Label, Iterable[StrEnum]] | tuple[str, Iterable[StrEnum]],
    ) -> None:
        self.entity = entity
        self.label = label
        self.state_labels: Mapping[StrEnum, Label] = dict(states or {})
        self._actions: dict[str, str] = {}
        self._labels: dict[str, Label | None] = {}
        self._states: dict[str, frozenset[StrEnum]] = {}
        for name, declared in commands.items():
            if len(declared) == 3:
                action, command_label, allowed = declared
            else:
                action, allowed = declared
                command_label = None
            self._actions[name] = action
            self._labels[name] = command_label
            self._states[name] = frozenset(allowed)

    @property
    def commands(self) -> frozenset[str]:
        return frozenset(self._actions)

    def action(self, command: str) -> str:
        return self._actions[command]

    def command_label(self, command: str) -> Label | None:
        return self._labels[command]

    def state_label(self, state: StrEnum) -> Label | None:
        return self.state_labels.get(state)

    def status_enums(self) -> set[type[StrEnum]]:
        """The enums whose members the commands are allowed in (one, in a sound table)."""
        found = {type(s) for states in self._states.values() for s in states}
        return found | {type(s) for s in self.state_labels}

    def allowed(self, state: StrEnum) -> list[str]:
        """The API actions allowed in `state`, sorted."""
        return sorted(self._allowed(state))

    def _allowed(self, state: StrEnum) -> dict[str, Label | None]:
        """Each API action allowed in `state`, with the label of a command that takes it."""
        found: dict[str, Label | None] = {}
        for command, states in self._states.items():
            if state in states:
                action = self._actions[command]
                found[action] = found.get(action) or self._labels[command]
        return found

    def refusal(self, state: StrEnum, command: str) -> IllegalTransition:
        allowed = self._allowed(state)
        return IllegalTransition(
            self.entity,
            state.value,
            self._actions[command],
            allowed,
            entity_label=self.label,
            state_label=self.state_label(state),
            command_label=self._labels[command],
            allowed_labels={a: label for a, label in allowed.items() if label is not None},
        )

    def require(self, state: StrEnum, command: str) -> None:
        if state not in self._states[command]:
            raise self.refusal(state, command)


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
