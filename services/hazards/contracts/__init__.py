"""Everything the hazards service publishes."""

from hazards.contracts import accident, hazard, key_area, monitoring
from hazards.contracts import round as investigation_round
from pingan.bus.contracts import IntegrationEvent, combine

CONTRACTS: tuple[type[IntegrationEvent], ...] = (
    *hazard.CONTRACTS,
    *key_area.CONTRACTS,
    *investigation_round.CONTRACTS,
    *monitoring.CONTRACTS,
    *accident.CONTRACTS,
)
to_integration_event = combine(
    hazard.translate,
    key_area.translate,
    investigation_round.translate,
    monitoring.translate,
    accident.translate,
)
