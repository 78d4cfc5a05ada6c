"""Request and response bodies of the hazards API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hazards.domain.vocabulary import Category, Grade, HazardStatus

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReportHazard(Command):
    title: LongText
    category: Category
    township: Text = Field(description="Township or street (乡镇/街道)")
    village: Text = Field(description="Village or community (村/社区)")
    address: LongText
    reporter: Text


class FileHazard(Command):
    category: Category
    grade: Grade = Field(description="general (一般) or major (重大)")
    file_number: Text


class Accepted(BaseModel):
    id: UUID
    position: int = Field(description="Pass as min_position to read your own write.")


class HazardView(BaseModel):
    id: UUID
    title: str
    category: Category
    grade: Grade | None
    file_number: str | None
    status: HazardStatus
    township: str
    village: str
    address: str
    reporter: str
    reported_at: datetime
    filed_at: datetime | None
    position: int


class HazardPage(BaseModel):
    items: list[HazardView]
    total: int
    limit: int
    offset: int
