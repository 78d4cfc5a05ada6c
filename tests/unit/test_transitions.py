"""The shared state-machine guard: commands declared once with their API action and states."""

from __future__ import annotations

from enum import StrEnum

import pytest
from eventsourcing.domain import Aggregate, event

from pingan.write.domain import IllegalTransition, StateMachine, Transitions


class Door(StrEnum):
    OPEN = "open"
    SHUT = "shut"


DOOR = Transitions(
    "door",
    shut=("/shut", (Door.OPEN,)),
    slam=("/shut", (Door.OPEN,)),
    open=("/open", (Door.SHUT,)),
    paint=("/paint", (Door.OPEN, Door.SHUT)),
)


class Gate(StateMachine, Aggregate):
    transitions = DOOR

    @event("Built")
    def __init__(self) -> None:
        self.status = Door.OPEN

    def shut(self) -> None:
        self._require("shut")
        self._shut()

    @event("Shut")
    def _shut(self) -> None:
        self.status = Door.SHUT


def test_the_allowed_actions_are_derived_from_the_state_once_each() -> None:
    assert DOOR.allowed(Door.OPEN) == ["/paint", "/shut"]
    assert DOOR.allowed(Door.SHUT) == ["/open", "/paint"]


def test_a_refusal_names_the_state_the_api_action_and_the_allowed_actions() -> None:
    gate = Gate()
    gate.shut()

    with pytest.raises(IllegalTransition) as refused:
        gate.shut()

    assert refused.value.entity == "door"
    assert refused.value.current == "shut"
    assert refused.value.command == "/shut"
    assert refused.value.allowed == gate.allowed_commands() == ["/open", "/paint"]
    assert "/shut" in str(refused.value)
    assert "shut" in str(refused.value)


def test_a_command_never_declared_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        DOOR.require(Door.OPEN, "kick")
