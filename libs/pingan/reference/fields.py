"""Command fields that name an area: an unknown name is refused with the close matches, a
known one is stored under its canonical name."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, StringConstraints, ValidationInfo
from pydantic_core import PydanticCustomError

from pingan.reference.areas import District, UnknownArea
from pingan.reference.load import load_district

UNKNOWN_TOWNSHIP = "unknown_township"
UNKNOWN_VILLAGE = "unknown_village"
UNKNOWN_AREA = "unknown_area"

# One district per process: the service app installs the configured one when it is built.
_district: list[District] = []


def use_district(district: District) -> None:
    _district[:] = [district]


def current_district() -> District:
    if not _district:
        _district.append(load_district())
    return _district[0]


def _refusal(kind: str, exc: UnknownArea) -> PydanticCustomError:
    return PydanticCustomError(
        kind,
        "unknown {kind} {name!r}; close matches: {matches}",
        {
            "kind": exc.kind,
            "name": exc.name,
            "matches": list(exc.matches),
            "township": exc.township,
        },
    )


def canonical_township(value: str) -> str:
    try:
        return current_district().township(value).name
    except UnknownArea as exc:
        raise _refusal(UNKNOWN_TOWNSHIP, exc) from None


def canonical_village(value: str, info: ValidationInfo) -> str:
    """Looked up in the township named before it; when that one was refused, left alone (the
    request fails on the township)."""
    township = info.data.get("township")
    if not isinstance(township, str):
        return value
    try:
        return current_district().village(township, value).name
    except UnknownArea as exc:
        raise _refusal(UNKNOWN_VILLAGE, exc) from None


def canonical_area(value: str) -> str:
    try:
        return current_district().area(value)
    except UnknownArea as exc:
        raise _refusal(UNKNOWN_AREA, exc) from None


_Name = StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
TownshipName = Annotated[str, _Name, AfterValidator(canonical_township)]
VillageName = Annotated[str, _Name, AfterValidator(canonical_village)]
#: A township, or a village or community of any township ("township village" where the name
#: alone is ambiguous), as a round's areas name them.
AreaName = Annotated[str, _Name, AfterValidator(canonical_area)]
