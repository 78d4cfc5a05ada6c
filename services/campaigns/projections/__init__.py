"""The campaigns read views."""

from campaigns.projections.dashboard import CampaignDashboard
from campaigns.projections.incidents import MassIncidentRegister
from campaigns.projections.ledger import CaseLedger
from campaigns.projections.situation import SituationView
from campaigns.projections.warnings import WarningRegister

__all__ = [
    "CampaignDashboard",
    "CaseLedger",
    "MassIncidentRegister",
    "SituationView",
    "WarningRegister",
]
