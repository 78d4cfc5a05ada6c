"""What a command answers over HTTP: the record it changed and where its last event stands."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from pingan.write.application import Recorded


class Accepted(BaseModel):
    id: UUID
    position: int = Field(description="Pass as min_position to read your own write.")

    @classmethod
    def of(cls, recorded: Recorded) -> Accepted:
        return cls(id=recorded.id, position=recorded.position)
