"""Evidence of a rectification or a verification: files (photos, PDFs) kept in the service's
file store, each recorded by its SHA-256, size, type and name.

Before files were stored, evidence was recorded as free-text references (a photo's file name,
a report number). Those old facts are read as evidence with only a name: no hash, size or type.
"""

from __future__ import annotations

from typing import TypedDict


class Evidence(TypedDict):
    sha256: str | None
    size: int | None
    media_type: str | None
    name: str


def legacy_references(references: list[str]) -> list[Evidence]:
    """Old free-text references as evidence that names them and nothing more."""
    return [Evidence(sha256=None, size=None, media_type=None, name=ref) for ref in references]
