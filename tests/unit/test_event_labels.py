"""Every fact of every aggregate of every service reads in plain words in an audit trail: each
event class an aggregate defines has its Chinese and English label in its service's
`event_labels` table, and the table names no event that does not exist.

An event added to an aggregate without a label fails here, naming the aggregate and the event;
add it to the service's `domain/event_labels.py`.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from importlib.metadata import entry_points
from typing import Any

import pytest
from eventsourcing.domain import BaseAggregate, DomainEvent

from pingan.service import ENTRY_POINT_GROUP, ServiceSpec
from pingan.web.labels import event
from pingan.write.domain import EventLabels

CHINESE = re.compile(r"[\u4e00-\u9fff]")
#: eventsourcing's own bases on every aggregate; the aggregates record named events instead.
FRAMEWORK = frozenset({"Event", "Created"})


def _aggregates(service: str) -> list[type[BaseAggregate[Any]]]:
    package = importlib.import_module(service)
    found: dict[str, type[BaseAggregate[Any]]] = {}
    for module_info in pkgutil.walk_packages(package.__path__, service + "."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseAggregate)
                and value.__module__ == module.__name__
            ):
                found[value.__name__] = value
    return [found[name] for name in sorted(found)]


def events_of(aggregate: type[BaseAggregate[Any]]) -> set[str]:
    return {
        name
        for name, value in vars(aggregate).items()
        if isinstance(value, type) and issubclass(value, DomainEvent) and name not in FRAMEWORK
    }


def _specs() -> list[tuple[str, EventLabels, type[BaseAggregate[Any]]]]:
    found = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        spec = entry.load()
        assert isinstance(spec, ServiceSpec)
        service = entry.module.split(".")[0]
        found += [(service, spec.event_labels, a) for a in _aggregates(service)]
    return sorted(found, key=lambda f: (f[0], f[2].__name__))


SPECS = _specs()


def missing_labels(labels: EventLabels, aggregate: type[BaseAggregate[Any]]) -> list[str]:
    table = labels.get(aggregate.__name__, {})
    problems = [
        f"{aggregate.__name__}.{name} has no label"
        for name in sorted(events_of(aggregate))
        if name not in table
    ]
    for name, label in table.items():
        if name not in events_of(aggregate):
            problems.append(f"{aggregate.__name__}.{name} is labelled but is no event of it")
        if not CHINESE.search(label.zh) or not label.en.strip():
            problems.append(f"{aggregate.__name__}.{name}: {label!r} lacks Chinese or English")
    return problems


def test_the_aggregates_of_the_three_services_are_all_found() -> None:
    names = {(service, a.__name__) for service, _, a in SPECS}
    assert names >= {
        ("hazards", "Hazard"),
        ("hazards", "SafetyAccident"),
        ("campaigns", "Case"),
        ("campaigns", "EarlyWarning"),
        ("scoring", "Unit"),
        ("scoring", "StarRating"),
    }


@pytest.mark.parametrize(
    ("service", "labels", "aggregate"), SPECS, ids=[f"{s}.{a.__name__}" for s, _, a in SPECS]
)
def test_each_event_of_each_aggregate_has_both_labels(
    service: str, labels: EventLabels, aggregate: type[BaseAggregate[Any]]
) -> None:
    assert events_of(aggregate), f"{service}.{aggregate.__name__} defines no events"
    assert missing_labels(labels, aggregate) == []


def test_an_unlabelled_event_is_caught() -> None:
    from hazards.domain.hazard import Hazard

    assert "Hazard.Filed has no label" in missing_labels({"Hazard": {}}, Hazard)


def test_the_pages_word_a_fact_by_its_service_and_an_unlabelled_one_by_its_words() -> None:
    assert event("scoring", "Unit", "TitleRevoked", "zh-CN") == "摘牌"
    assert event("scoring", "Unit", "TitleRevoked", "en") == "title revoked"
    assert event("hazards", "Hazard", "VerificationPassed", "zh-CN") == "验收通过"
    assert event("scoring", "Unit", "SomethingNew", "zh-CN") == "something new"
