"""The campaigns application: one event store, commands grouped by aggregate."""

from campaigns.application.campaigns import CampaignCommands
from campaigns.application.cases import CaseCommands
from campaigns.application.incidents import IncidentCommands
from campaigns.application.warnings import WarningCommands
from pingan.write.application import Recorded


class CampaignsApplication(CampaignCommands, CaseCommands, IncidentCommands, WarningCommands):
    name = "campaigns"


__all__ = ["CampaignsApplication", "Recorded"]
