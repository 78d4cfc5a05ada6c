"""Dependencies of the hazards routes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends

from hazards.application import HazardsApplication
from pingan.api.deps import Runtime


def get_application(runtime: Runtime) -> HazardsApplication:
    application: HazardsApplication = runtime.application
    return application


def get_today(runtime: Runtime) -> date:
    return runtime.clock.today()


HazardsApp = Annotated[HazardsApplication, Depends(get_application)]
Today = Annotated[date, Depends(get_today)]
