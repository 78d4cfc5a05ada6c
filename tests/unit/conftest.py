"""What every unit test of the hazards service shares."""

from __future__ import annotations

import pytest

from hazards.application import HazardsApplication
from pingan.testing import in_memory


@pytest.fixture
def app() -> HazardsApplication:
    """The hazards application on the in-memory store, fresh for each test."""
    return in_memory(HazardsApplication)
