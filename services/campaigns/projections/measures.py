"""How the views name what a case yields: one measure per kind of result."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from campaigns.contracts.common import SeizureItem
from campaigns.domain.measures import SeizureType

ARRESTS = "arrests"
GANGS = "gangs"
TRANSFERRED = "transferred"
SEIZURE = "seizure:"


def seizure_measures(seizures: Iterable[SeizureItem]) -> Iterator[tuple[str, Decimal]]:
    """Each seizure under its type (`drugs`, `guns`...) and a drug also under `drugs:<drug>`."""
    for item in seizures:
        yield item.type.value, item.quantity
        if item.type is SeizureType.DRUGS and item.drug:
            yield f"{item.type.value}:{item.drug}", item.quantity
