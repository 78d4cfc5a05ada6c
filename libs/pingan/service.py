"""How a service describes itself to the platform: one object, found by entry point."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter

from pingan.api.i18n import Catalogue
from pingan.bus.contracts import IntegrationEvent
from pingan.consume.views import Projection

if TYPE_CHECKING:
    from pingan.run.jobs import Job

ENTRY_POINT_GROUP = "pingan.services"


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    title: str
    description: str = ""
    application: type[Any] | None = None
    translate: Callable[[Any], IntegrationEvent | None] | None = None
    projections: Sequence[Callable[[], Projection]] = ()
    routers: Sequence[APIRouter] = ()
    contracts: Sequence[type[IntegrationEvent]] = field(default_factory=tuple)
    jobs: Sequence[Callable[[], Job]] = ()
    messages: Catalogue | None = None

    @property
    def publishes(self) -> bool:
        return self.application is not None and self.translate is not None


class UnknownService(LookupError):
    pass


def all_services() -> dict[str, ServiceSpec]:
    found: dict[str, ServiceSpec] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        spec = entry.load()
        if not isinstance(spec, ServiceSpec):
            raise TypeError(f"entry point {entry.name} is not a ServiceSpec")
        found[entry.name] = spec
    return dict(sorted(found.items()))


def get_service(name: str) -> ServiceSpec:
    services = all_services()
    if name not in services:
        raise UnknownService(f"unknown service {name!r}; known: {', '.join(services)}")
    return services[name]
