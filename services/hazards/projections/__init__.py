"""The hazards read views."""

from hazards.projections.accidents import AccidentRegister
from hazards.projections.key_areas import KeyAreas
from hazards.projections.monitoring import RiskMonitoringView
from hazards.projections.register import HazardRegister
from hazards.projections.rounds import InvestigationRounds

__all__ = [
    "AccidentRegister",
    "HazardRegister",
    "InvestigationRounds",
    "KeyAreas",
    "RiskMonitoringView",
]
