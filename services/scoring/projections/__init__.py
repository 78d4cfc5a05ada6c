"""The scoring read views."""

from scoring.projections.incidents import IncidentList
from scoring.projections.register import UnitRegister
from scoring.projections.standings import Standings
from scoring.projections.stars import FamilyStars

__all__ = ["FamilyStars", "IncidentList", "Standings", "UnitRegister"]
