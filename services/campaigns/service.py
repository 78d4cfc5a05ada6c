"""The campaigns service, as the platform sees it."""

from campaigns.api.campaigns import router as campaigns_router
from campaigns.api.cases import router as cases_router
from campaigns.api.kinds import router as kinds_router
from campaigns.api.mass_incidents import router as mass_incidents_router
from campaigns.api.situation import reports_router, situation_router
from campaigns.api.warnings import router as warnings_router
from campaigns.application import CampaignsApplication
from campaigns.application.watch import WarningWatch
from campaigns.contracts import CONTRACTS, to_integration_event
from campaigns.domain.campaign import TRANSITIONS as CAMPAIGN_TRANSITIONS
from campaigns.domain.case import TRANSITIONS as CASE_TRANSITIONS
from campaigns.domain.event_labels import EVENT_LABELS
from campaigns.domain.mass_incident import TRANSITIONS as MASS_INCIDENT_TRANSITIONS
from campaigns.domain.warning import TRANSITIONS as WARNING_TRANSITIONS
from campaigns.messages import MESSAGES
from campaigns.projections import (
    CampaignDashboard,
    CaseLedger,
    MassIncidentRegister,
    SituationView,
    WarningRegister,
)
from pingan.service import ServiceSpec

SERVICE = ServiceSpec(
    name="campaigns",
    title="Campaigns",
    description=(
        "Strike-hard special campaigns and situation analysis (严打专项行动, 治安形势分析)."
    ),
    application=CampaignsApplication,
    translate=to_integration_event,
    views=(CaseLedger, CampaignDashboard, MassIncidentRegister, SituationView, WarningRegister),
    reactions=(WarningWatch,),
    routers=(
        campaigns_router,
        cases_router,
        mass_incidents_router,
        kinds_router,
        situation_router,
        reports_router,
        warnings_router,
    ),
    contracts=CONTRACTS,
    messages=MESSAGES,
    event_labels=EVENT_LABELS,
    transitions={
        CAMPAIGN_TRANSITIONS.entity: CAMPAIGN_TRANSITIONS,
        CASE_TRANSITIONS.entity: CASE_TRANSITIONS,
        WARNING_TRANSITIONS.entity: WARNING_TRANSITIONS,
        MASS_INCIDENT_TRANSITIONS.entity: MASS_INCIDENT_TRANSITIONS,
    },
)
