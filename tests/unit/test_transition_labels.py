"""Every state machine of every service speaks in plain words: each kind, state and command
carries its Chinese and English label, and no refusal names a Python identifier.

A command added to a TRANSITIONS table without a label fails here, naming the table and the
command; declare it as `name=(action, Label(zh, en), states)`.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from enum import StrEnum
from importlib.metadata import entry_points
from types import ModuleType

import pytest

from pingan.api.i18n import Catalogue, Language
from pingan.api.messages import PLATFORM
from pingan.api.problems import problem_texts, to_problem
from pingan.service import ENTRY_POINT_GROUP, ServiceSpec
from pingan.write.domain import Label, Transitions

IDENTIFIER = re.compile(r"[A-Za-z]+_[A-Za-z_]+")
WRONG_ARTICLE = re.compile(r"\ba [aeiou]|\ban [b-df-hj-np-tv-z]", re.IGNORECASE)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _modules(package: ModuleType) -> Iterator[ModuleType]:
    yield package
    for found in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        yield importlib.import_module(found.name)


def _tables() -> list[tuple[str, Transitions, Catalogue]]:
    tables: dict[int, tuple[str, Transitions, Catalogue]] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        spec = entry.load()
        assert isinstance(spec, ServiceSpec)
        catalogue = (spec.messages or Catalogue()).over(PLATFORM)
        package = importlib.import_module(entry.module.split(".")[0])
        for module in _modules(package):
            for name, value in vars(module).items():
                if isinstance(value, Transitions) and id(value) not in tables:
                    tables[id(value)] = (f"{module.__name__}.{name}", value, catalogue)
    return sorted(tables.values(), key=lambda found: found[0])


TABLES = _tables()
IDS = [where for where, _, _ in TABLES]


def _plain(label: Label | None, what: str) -> None:
    assert label is not None, f"{what} has no label: give it Label(zh, en)"
    assert CHINESE.search(label.zh), f"{what}: its Chinese label {label.zh!r} is not Chinese"
    assert label.en.strip(), f"{what} has no English label"
    assert not IDENTIFIER.search(label.en), f"{what}: {label.en!r} reads like an identifier"


def test_the_state_machines_of_the_services_are_all_found() -> None:
    assert {table.entity for _, table, _ in TABLES} >= {
        "hazard",
        "key area",
        "round",
        "monitoring task",
        "accident",
    }


@pytest.mark.parametrize(("where", "table", "catalogue"), TABLES, ids=IDS)
def test_each_kind_state_and_command_has_both_labels(
    where: str, table: Transitions, catalogue: Catalogue
) -> None:
    _plain(table.label, f"{where} (the kind {table.entity!r})")
    (status,) = table.status_enums()
    for state in status:
        _plain(table.state_label(state), f"{where}: the state {state.value!r}")
    for command in sorted(table.commands):
        _plain(table.command_label(command), f"{where}: the command {command!r}")


@pytest.mark.parametrize(("where", "table", "catalogue"), TABLES, ids=IDS)
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_refusal_reads_in_plain_words(
    where: str, table: Transitions, catalogue: Catalogue, language: Language
) -> None:
    (status,) = table.status_enums()
    refusals = [
        table.refusal(state, command)
        for state in status
        for command in sorted(table.commands)
        if table.action(command) not in table.allowed(state)
    ]
    assert refusals, f"{where} refuses nothing"
    for refusal in refusals:
        for text in (*problem_texts(to_problem(refusal), catalogue, language), str(refusal)):
            assert text is not None
            shown = IDENTIFIER.search(text)
            assert shown is None, f"{where}: {text!r} names {shown and shown.group()!r}"
            assert not WRONG_ARTICLE.search(text), f"{where}: {text!r}"
        assert refusal.command in (problem_texts(to_problem(refusal), catalogue, language)[1] or "")


class Door(StrEnum):
    OPEN = "open"
    HALF_SHUT = "half_shut"


def test_an_unlabelled_command_is_refused_by_the_labels_check() -> None:
    table = Transitions(
        "door",
        Label("门", "door"),
        {Door.OPEN: Label("开着", "open"), Door.HALF_SHUT: Label("半掩", "half shut")},
        shut=("/shut", Label("关门", "shut"), (Door.OPEN,)),
        open_wide=("/open", (Door.HALF_SHUT,)),
    )
    with pytest.raises(AssertionError, match="the command 'open_wide' has no label"):
        test_each_kind_state_and_command_has_both_labels("door", table, PLATFORM)
