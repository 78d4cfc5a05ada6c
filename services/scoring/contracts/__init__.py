"""Everything the scoring service publishes."""

from pingan.bus.contracts import IntegrationEvent, combine
from scoring.contracts import incident, unit

CONTRACTS: tuple[type[IntegrationEvent], ...] = (*unit.CONTRACTS, *incident.CONTRACTS)
to_integration_event = combine(unit.translate, incident.translate)
