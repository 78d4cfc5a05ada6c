"""Dependencies of the hazards routes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends

from hazards.application import HazardsApplication
from pingan.api.deps import get_runtime
from pingan.run.runtime import ServiceRuntime

HazardsRuntime = Annotated[ServiceRuntime[HazardsApplication], Depends(get_runtime)]


def get_application(runtime: HazardsRuntime) -> HazardsApplication:
    return runtime.application


def get_today(runtime: HazardsRuntime) -> date:
    return runtime.clock.today()


HazardsApp = Annotated[HazardsApplication, Depends(get_application)]
Today = Annotated[date, Depends(get_today)]
