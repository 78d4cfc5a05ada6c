"""How a service describes itself to the platform: one object, found by entry point."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from fastapi import APIRouter

from pingan.api.i18n import Catalogue
from pingan.bus.contracts import IntegrationEvent, Translate
from pingan.consume.reactions import Reaction
from pingan.consume.views import Projection
from pingan.write.application import ServiceApplication
from pingan.write.domain import EventLabels, Transitions

if TYPE_CHECKING:
    from pingan.run.jobs import Job

ENTRY_POINT_GROUP = "pingan.services"

AppT = TypeVar("AppT", bound=ServiceApplication)


@dataclass(frozen=True)
class ServiceSpec(Generic[AppT]):
    """A service: its application and what it publishes, its read views, its reactions to
    other streams, its HTTP routes and its scheduled jobs."""

    name: str
    title: str
    description: str = ""
    application: type[AppT] | None = None
    translate: Translate | None = None
    views: Sequence[Callable[[], Projection]] = ()
    reactions: Sequence[Callable[[], Reaction[AppT]]] = ()
    routers: Sequence[APIRouter] = ()
    contracts: Sequence[type[IntegrationEvent]] = field(default_factory=tuple)
    jobs: Sequence[Callable[[], Job[AppT]]] = ()
    messages: Catalogue | None = None
    #: Whether its commands refer to stored files (evidence): the runtime opens its store.
    files: bool = False
    #: Each aggregate's transitions by the entity they name: the pages take state names from
    #: them, so that a page and a refusal word a state alike.
    transitions: Mapping[str, Transitions] = field(default_factory=dict)
    #: What each aggregate's events are called in its audit trail.
    event_labels: EventLabels = field(default_factory=dict)

    @property
    def publishes(self) -> bool:
        return self.application is not None and self.translate is not None


class UnknownService(LookupError):
    pass


def all_services() -> dict[str, ServiceSpec[Any]]:
    found: dict[str, ServiceSpec[Any]] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        spec = entry.load()
        if not isinstance(spec, ServiceSpec):
            raise TypeError(f"entry point {entry.name} is not a ServiceSpec")
        found[entry.name] = spec
    return dict(sorted(found.items()))


def get_service(name: str) -> ServiceSpec[Any]:
    services = all_services()
    if name not in services:
        raise UnknownService(f"unknown service {name!r}; known: {', '.join(services)}")
    return services[name]
