"""The scoring service, as the platform sees it."""

from pingan.service import ServiceSpec
from scoring.api.families import router as families_router
from scoring.api.incidents import router as incidents_router
from scoring.api.reinspections import router as reinspections_router
from scoring.api.restoration import router as restoration_router
from scoring.api.standards import router as standards_router
from scoring.api.standings import reports as reports_router
from scoring.api.standings import router as standings_router
from scoring.api.units import revocations as revocations_router
from scoring.api.units import router as units_router
from scoring.application import ScoringApplication
from scoring.contracts import CONTRACTS, to_integration_event
from scoring.domain.event_labels import EVENT_LABELS
from scoring.domain.unit import TRANSITIONS as UNIT_TRANSITIONS
from scoring.messages import MESSAGES
from scoring.projections import FamilyStars, IncidentList, Standings, UnitRegister
from scoring.reactions.plaques import PlaqueRemoval

SERVICE: ServiceSpec[ScoringApplication] = ServiceSpec(
    name="scoring",
    title="Scoring",
    description="Safe-unit creation: assessment, naming, re-inspection, title removal (平安创建).",
    application=ScoringApplication,
    translate=to_integration_event,
    views=(UnitRegister, IncidentList, Standings, FamilyStars),
    reactions=(PlaqueRemoval,),
    routers=(
        units_router,
        restoration_router,
        revocations_router,
        reinspections_router,
        incidents_router,
        standards_router,
        standings_router,
        reports_router,
        families_router,
    ),
    contracts=CONTRACTS,
    messages=MESSAGES,
    event_labels=EVENT_LABELS,
    transitions={UNIT_TRANSITIONS.entity: UNIT_TRANSITIONS},
)
