"""Dependencies of the scoring routes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends

from pingan.api.deps import get_runtime
from pingan.run.runtime import ServiceRuntime
from scoring.application import ScoringApplication

ScoringRuntime = Annotated[ServiceRuntime[ScoringApplication], Depends(get_runtime)]


def get_application(runtime: ScoringRuntime) -> ScoringApplication:
    return runtime.application


def get_today(runtime: ScoringRuntime) -> date:
    return runtime.clock.today()


ScoringApp = Annotated[ScoringApplication, Depends(get_application)]
Today = Annotated[date, Depends(get_today)]
