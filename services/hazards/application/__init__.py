"""The hazards application: one event store, commands grouped by aggregate."""

from hazards.application.hazards import HazardCommands
from pingan.application import Recorded


class HazardsApplication(HazardCommands):
    name = "hazards"


__all__ = ["HazardsApplication", "Recorded"]
