"""The shared state-machine guard: commands declared once with their API action and states."""

from __future__ import annotations

from enum import StrEnum

import pytest
from eventsourcing.domain import Aggregate, event

from pingan.api.messages import PLATFORM
from pingan.api.problems import problem_texts, to_problem
from pingan.write.domain import IllegalTransition, Label, StateMachine, Transitions


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


ACCIDENT = Transitions(
    "accident",
    Label("事故", "accident"),
    {Door.OPEN: Label("已报告", "reported"), Door.SHUT: Label("已结案", "closed")},
    close=("/close", Label("结案", "close"), (Door.OPEN,)),
    conclude=("/investigation", Label("作出调查结论", "conclude the investigation"), (Door.SHUT,)),
)


def test_a_refusal_speaks_in_labels_with_the_route_and_the_right_article() -> None:
    refused = ACCIDENT.refusal(Door.SHUT, "close")
    problem = to_problem(refused)

    assert problem_texts(problem, PLATFORM, "zh-CN")[1] == (
        "事故当前状态为「已结案」,不能执行「结案」(/close);"
        "当前可执行:「作出调查结论」(/investigation)"
    )
    assert problem_texts(problem, PLATFORM, "en")[1] == (
        "“close” (/close) is not allowed on an accident that is closed; "
        "allowed now: “conclude the investigation” (/investigation)"
    )
    assert (problem.extensions["command"], problem.extensions["current_state"]) == (
        "/close",
        "shut",
    )


def test_an_unlabelled_table_falls_back_to_its_routes_never_its_method_names() -> None:
    refused = DOOR.refusal(Door.SHUT, "slam")

    assert problem_texts(to_problem(refused), PLATFORM, "en")[1] == (
        "“/shut” (/shut) is not allowed on a door that is shut; "
        "allowed now: “/open” (/open), “/paint” (/paint)"
    )


def test_a_state_that_allows_nothing_says_so() -> None:
    closed = Transitions("accident", None, None, close=("/close", (Door.OPEN,)))
    problem = to_problem(closed.refusal(Door.SHUT, "close"))

    assert problem_texts(problem, PLATFORM, "zh-CN")[1] == (
        "accident当前状态为「shut」,不能执行「/close」(/close);当前可执行:无"
    )
    assert problem_texts(problem, PLATFORM, "en")[1] == (
        "“/close” (/close) is not allowed on an accident that is shut; allowed now: none"
    )


def test_english_articles_follow_the_sound() -> None:
    assert Label("事故", "accident").en_with_article == "an accident"
    assert Label("排查轮次", "investigation round").en_with_article == "an investigation round"
    assert Label("隐患", "hazard").en_with_article == "a hazard"
    assert Label("单位", "unit", article="a").en_with_article == "a unit"
