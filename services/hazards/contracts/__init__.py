"""Everything the hazards service publishes."""

from hazards.contracts import hazard
from pingan.contracts import IntegrationEvent, combine

CONTRACTS: tuple[type[IntegrationEvent], ...] = (*hazard.CONTRACTS,)
to_integration_event = combine(hazard.translate)
