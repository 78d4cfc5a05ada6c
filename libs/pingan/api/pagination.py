"""One page of a listing, and the limit/offset query parameters that ask for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    offset: int = 0


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Matching items in all pages")
    limit: int
    offset: int

    @classmethod
    def of(cls, items: list[T], total: int, request: PageRequest) -> Page[T]:
        return cls(items=items, total=total, limit=request.limit, offset=request.offset)


def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0,
) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)


PageParams = Annotated[PageRequest, Depends(page_request)]
