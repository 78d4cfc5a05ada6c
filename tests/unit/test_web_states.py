"""The pages name states as each aggregate's transitions do, found through the services'
entry points."""

from __future__ import annotations

from pingan.service import all_services
from pingan.web import labels


def test_every_declared_state_reads_in_both_languages_as_its_transitions_word_it() -> None:
    for name, spec in all_services().items():
        for entity, transitions in spec.transitions.items():
            for state, label in transitions.state_labels.items():
                assert labels.state(name, entity, state.value, "zh-CN") == label.zh
                assert labels.state(name, entity, state.value, "en") == label.en


def test_the_pages_entities_are_declared() -> None:
    declared = {(n, e) for n, s in all_services().items() for e in s.transitions}

    assert {
        ("hazards", "hazard"),
        ("hazards", "key area"),
        ("hazards", "round"),
        ("hazards", "monitoring task"),
        ("hazards", "accident"),
        ("campaigns", "campaign"),
        ("campaigns", "case"),
        ("campaigns", "warning"),
        ("scoring", "creation unit"),
    } <= declared


def test_an_unknown_state_or_service_shows_its_code() -> None:
    assert labels.state("hazards", "hazard", "elsewhere", "zh-CN") == "elsewhere"
    assert labels.state("nowhere", "hazard", "closed", "en") == "closed"
