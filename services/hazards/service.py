"""The hazards service, as the platform sees it."""

from hazards.api.hazards import router as hazards_router
from hazards.api.policy import router as policy_router
from hazards.api.reports import router as reports_router
from hazards.application import HazardsApplication
from hazards.contracts import CONTRACTS, to_integration_event
from hazards.jobs import DeadlineCheck
from hazards.projections import HazardRegister
from pingan.service import ServiceSpec

SERVICE = ServiceSpec(
    name="hazards",
    title="Hazards",
    description="Public-safety hazard investigation and key-area rectification (隐患排查整治).",
    application=HazardsApplication,
    translate=to_integration_event,
    projections=(HazardRegister,),
    routers=(hazards_router, policy_router, reports_router),
    contracts=CONTRACTS,
    jobs=(DeadlineCheck,),
)
