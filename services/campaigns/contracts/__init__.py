"""Everything the campaigns service publishes."""

from campaigns.contracts import campaign, case, mass_incident, warning
from pingan.bus.contracts import IntegrationEvent, combine

CONTRACTS: tuple[type[IntegrationEvent], ...] = (
    *campaign.CONTRACTS,
    *case.CONTRACTS,
    *mass_incident.CONTRACTS,
    *warning.CONTRACTS,
)
to_integration_event = combine(
    campaign.translate, case.translate, mass_incident.translate, warning.translate
)
