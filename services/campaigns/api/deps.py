"""Dependencies of the campaigns routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Depends

from campaigns.application import CampaignsApplication
from pingan.api.deps import get_runtime
from pingan.run.runtime import ServiceRuntime

CampaignsRuntime = Annotated[ServiceRuntime[CampaignsApplication], Depends(get_runtime)]


def get_application(runtime: CampaignsRuntime) -> CampaignsApplication:
    return runtime.application


def get_today(runtime: CampaignsRuntime) -> date:
    return runtime.clock.today()


def get_now(runtime: CampaignsRuntime) -> datetime:
    return runtime.clock.now()


CampaignsApp = Annotated[CampaignsApplication, Depends(get_application)]
Today = Annotated[date, Depends(get_today)]
Now = Annotated[datetime, Depends(get_now)]
