"""Dependencies of the hazards routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from hazards.application import HazardsApplication
from pingan.api.deps import Runtime


def get_application(runtime: Runtime) -> HazardsApplication:
    application: HazardsApplication = runtime.application
    return application


HazardsApp = Annotated[HazardsApplication, Depends(get_application)]
