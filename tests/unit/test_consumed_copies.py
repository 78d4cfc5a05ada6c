"""A consumer's trimmed copy of an upstream contract, checked against the producer's snapshot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

import pytest

from pingan.bus.compatibility import incompatibilities
from pingan.bus.contracts import ConsumedEvent
from pingan.service import all_services
from tests.fixtures.tally import SPEC as TALLY
from tests.fixtures.tally import Reported

CONTRACTS_DIR = Path(__file__).resolve().parents[2] / "contracts"


def snapshot(event_type: str) -> dict[str, Any]:
    (path,) = CONTRACTS_DIR.glob(f"*/{event_type}.json")
    schema: dict[str, Any] = json.loads(path.read_text())
    return schema


def consumed_copies() -> list[type[ConsumedEvent]]:
    """Every trimmed copy any installed service's reactions and views read, and the test
    service's (a view's handlers of its own service's contracts are no copies, and the test
    stream's events have no producer to snapshot them)."""
    specs = [*all_services().values(), TALLY]
    sinks: list[Any] = [f() for spec in specs for f in (*spec.reactions, *spec.views)]
    handlers = [entry for sink in sinks for entry in sink.handlers.values()]
    copies = {
        contract
        for contract, _ in handlers
        if issubclass(contract, ConsumedEvent)
        and not contract.event_type.startswith("pingan.tests.")
    }
    return sorted(copies, key=lambda c: (c.event_type, c.__module__))


@pytest.mark.parametrize("copy", consumed_copies(), ids=lambda c: c.event_type)
def test_every_consumed_copy_fits_its_producers_snapshot(copy: type[ConsumedEvent]) -> None:
    assert incompatibilities(copy, snapshot(copy.event_type)) == []


def test_the_key_area_view_reads_its_campaigns_copies() -> None:
    assert "pingan.campaigns.case.registered.v1" in {c.event_type for c in consumed_copies()}


def test_the_tally_copy_reads_a_subset_of_hazard_reported() -> None:
    assert incompatibilities(Reported, snapshot(Reported.event_type)) == []


class Stricter(ConsumedEvent):
    event_type: ClassVar[str] = "pingan.hazards.hazard.reported.v1"
    subject: ClassVar[str] = "hazards.hazard.reported"

    hazard_id: UUID
    key_area_id: UUID
    urgency: int
    category: str
    source: int


def test_a_copy_that_reads_more_or_stricter_than_is_published_is_refused() -> None:
    found = incompatibilities(Stricter, snapshot(Stricter.event_type))

    assert "urgency: not published" in found
    assert "key_area_id: required here but optional in the contract" in found
    assert any(f.startswith("key_area_id: does not accept") for f in found)
    assert any(f.startswith("source: does not accept") for f in found)
    assert not any(f.startswith("category") for f in found)
