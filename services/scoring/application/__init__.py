"""The scoring application: one event store, commands grouped by aggregate."""

from pingan.write.application import Recorded
from scoring.application.units import UnitCommands


class ScoringApplication(UnitCommands):
    name = "scoring"


__all__ = ["Recorded", "ScoringApplication"]
