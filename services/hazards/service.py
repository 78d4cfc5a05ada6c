"""The hazards service, as the platform sees it."""

from hazards.api.hazards import router as hazards_router
from hazards.application import HazardsApplication
from hazards.contracts import CONTRACTS, to_integration_event
from hazards.projections import HazardRegister
from pingan.service import ServiceSpec

SERVICE = ServiceSpec(
    name="hazards",
    title="Hazards",
    description="Public-safety hazard investigation and key-area rectification (隐患排查整治).",
    application=HazardsApplication,
    translate=to_integration_event,
    projections=(HazardRegister,),
    routers=(hazards_router,),
    contracts=CONTRACTS,
)
