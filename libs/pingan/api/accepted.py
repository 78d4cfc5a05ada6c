"""What a command answers over HTTP: the record it changed and where its last event stands."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from pingan.write.application import Recorded


class Accepted(BaseModel):
    id: UUID
    position: int = Field(description="Pass as min_position to read your own write.")
    after: str | None = Field(
        default=None,
        description=(
            "STREAM:position of the last event: pass as `after` to another service's query "
            "to read what it made of this command."
        ),
        examples=["CAMPAIGNS:17"],
    )

    @classmethod
    def of(cls, recorded: Recorded) -> Accepted:
        after = f"{recorded.stream}:{recorded.position}" if recorded.stream else None
        return cls(id=recorded.id, position=recorded.position, after=after)
