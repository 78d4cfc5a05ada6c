"""The scoring application: one event store, commands grouped by aggregate."""

from pingan.write.application import Recorded
from scoring.application.incidents import IncidentCommands
from scoring.application.restoration import RestorationCommands
from scoring.application.stars import StarCommands
from scoring.application.units import UnitCommands


class ScoringApplication(RestorationCommands, StarCommands, UnitCommands, IncidentCommands):
    name = "scoring"


__all__ = ["Recorded", "ScoringApplication"]
