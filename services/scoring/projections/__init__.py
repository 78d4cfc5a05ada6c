"""The scoring read views."""

from scoring.projections.incidents import IncidentList
from scoring.projections.register import UnitRegister
from scoring.projections.standings import Standings

__all__ = ["IncidentList", "Standings", "UnitRegister"]
