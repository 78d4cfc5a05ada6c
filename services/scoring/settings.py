"""The scoring service's own settings, read from the environment (and `.env`) like the
platform's: the weights of the standings (`STANDING_WEIGHT_*`)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from scoring.domain.standing import Weights

_DEFAULT = Weights()


class StandingWeights(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="STANDING_WEIGHT_", env_file=".env", extra="ignore"
    )

    named: float = Field(default=_DEFAULT.named, ge=0, description="Share of units named")
    score: float = Field(default=_DEFAULT.score, ge=0, description="Average assessment score")
    security: float = Field(
        default=_DEFAULT.security, ge=0, description="Sense of security (群众安全感)"
    )
    hazards: float = Field(
        default=_DEFAULT.hazards, ge=0, description="Share of hazards due closed on time"
    )
    clearance: float = Field(
        default=_DEFAULT.clearance, ge=0, description="Share of criminal cases solved"
    )
    revocations: float = Field(
        default=_DEFAULT.revocations, ge=0, description="Points deducted per title revoked"
    )
    warnings: float = Field(
        default=_DEFAULT.warnings, ge=0, description="Points deducted per early warning"
    )

    def weights(self) -> Weights:
        return Weights(**self.model_dump())


@lru_cache
def standing_weights() -> Weights:
    return StandingWeights().weights()
