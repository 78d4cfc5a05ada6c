"""The hazards application: one event store, commands grouped by aggregate."""

from hazards.application.accidents import AccidentCommands
from hazards.application.hazards import HazardCommands
from hazards.application.key_areas import KeyAreaCommands
from hazards.application.monitoring import MonitoringCommands
from hazards.application.reports import ReportCommands
from hazards.application.rounds import RoundCommands
from pingan.write.application import Recorded


class HazardsApplication(
    HazardCommands,
    KeyAreaCommands,
    RoundCommands,
    MonitoringCommands,
    AccidentCommands,
    ReportCommands,
):
    name = "hazards"


__all__ = ["HazardsApplication", "Recorded"]
