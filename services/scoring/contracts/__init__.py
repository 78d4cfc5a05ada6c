"""Everything the scoring service publishes."""

from pingan.bus.contracts import IntegrationEvent, combine
from scoring.contracts import incident, restoration, stars, unit

CONTRACTS: tuple[type[IntegrationEvent], ...] = (
    *unit.CONTRACTS,
    *restoration.CONTRACTS,
    *incident.CONTRACTS,
    *stars.CONTRACTS,
)
to_integration_event = combine(
    unit.translate, restoration.translate, incident.translate, stars.translate
)
