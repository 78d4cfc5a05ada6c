"""The scoring read views."""

from scoring.projections.incidents import IncidentList
from scoring.projections.register import UnitRegister

__all__ = ["IncidentList", "UnitRegister"]
