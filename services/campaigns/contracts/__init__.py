"""Everything the campaigns service publishes."""

from campaigns.contracts import campaign, case, mass_incident
from pingan.bus.contracts import IntegrationEvent, combine

CONTRACTS: tuple[type[IntegrationEvent], ...] = (
    *campaign.CONTRACTS,
    *case.CONTRACTS,
    *mass_incident.CONTRACTS,
)
to_integration_event = combine(campaign.translate, case.translate, mass_incident.translate)
