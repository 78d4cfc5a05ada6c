"""The hazards service, as the platform sees it."""

from hazards.api.accidents import router as accidents_router
from hazards.api.evidence import router as evidence_router
from hazards.api.hazards import router as hazards_router
from hazards.api.key_areas import router as key_areas_router
from hazards.api.monitoring import router as monitoring_router
from hazards.api.policy import router as policy_router
from hazards.api.reports import router as reports_router
from hazards.api.rounds import router as rounds_router
from hazards.application import HazardsApplication
from hazards.clocks import AccidentClockCheck
from hazards.contracts import CONTRACTS, to_integration_event
from hazards.domain.accident import TRANSITIONS as ACCIDENT_TRANSITIONS
from hazards.domain.event_labels import EVENT_LABELS
from hazards.domain.hazard import TRANSITIONS as HAZARD_TRANSITIONS
from hazards.domain.key_area import TRANSITIONS as KEY_AREA_TRANSITIONS
from hazards.domain.monitoring import TRANSITIONS as MONITORING_TRANSITIONS
from hazards.domain.round import TRANSITIONS as ROUND_TRANSITIONS
from hazards.jobs import DeadlineCheck
from hazards.messages import MESSAGES
from hazards.projections import (
    AccidentRegister,
    HazardRegister,
    InvestigationRounds,
    KeyAreas,
    RiskMonitoringView,
)
from pingan.service import ServiceSpec

SERVICE = ServiceSpec(
    name="hazards",
    title="Hazards",
    description="Public-safety hazard investigation and key-area rectification (隐患排查整治).",
    application=HazardsApplication,
    translate=to_integration_event,
    views=(
        HazardRegister,
        KeyAreas,
        InvestigationRounds,
        RiskMonitoringView,
        AccidentRegister,
    ),
    routers=(
        # Before the hazards' own routes, whose /hazards/{hazard_id} would take "evidence".
        evidence_router,
        hazards_router,
        key_areas_router,
        rounds_router,
        monitoring_router,
        accidents_router,
        policy_router,
        reports_router,
    ),
    contracts=CONTRACTS,
    jobs=(DeadlineCheck, AccidentClockCheck),
    messages=MESSAGES,
    files=True,
    event_labels=EVENT_LABELS,
    transitions={
        HAZARD_TRANSITIONS.entity: HAZARD_TRANSITIONS,
        KEY_AREA_TRANSITIONS.entity: KEY_AREA_TRANSITIONS,
        ROUND_TRANSITIONS.entity: ROUND_TRANSITIONS,
        MONITORING_TRANSITIONS.entity: MONITORING_TRANSITIONS,
        ACCIDENT_TRANSITIONS.entity: ACCIDENT_TRANSITIONS,
    },
)
