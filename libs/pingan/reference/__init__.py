"""The district's areas as reference data: townships and streets, villages and communities."""

from pingan.reference.areas import District, Township, UnknownArea, Village
from pingan.reference.fields import (
    AreaName,
    TownshipName,
    VillageName,
    current_district,
    use_district,
)
from pingan.reference.load import load_district
from pingan.reference.names import normalise

__all__ = [
    "AreaName",
    "District",
    "Township",
    "TownshipName",
    "UnknownArea",
    "Village",
    "VillageName",
    "current_district",
    "load_district",
    "normalise",
    "use_district",
]
