"""Who may do what, and where: the one table of actions and the roles allowed each, and the
dependency that every route declares to enforce its action.

A route declares its action once, as a parameter ``grant: Annotated[Grant, requires(A.X)]``
(or ``dependencies=[requires(A.X)]`` when it needs no township check). The dependency answers
403 when the caller's role is not in the table for that action. Where the caller may act is a
property of the role, not of the action:

- ``district_office``, ``inspector``, ``assessor``, ``viewer``, ``service``: every township;
- ``township_officer``: their own township (the token's ``township``);
- ``police``: the townships of their station (``AUTH_STATION_TOWNSHIPS``; a station not listed
  there whose name is a township's covers that township).

The route then checks the record's township with `Grant.within` (the body's township on
creation, the aggregate's or the view row's otherwise) and narrows list queries with
`Grant.township_filter`. A record of another township is a 403 that says so, for a single
read as for a command: ids are random, so the answer tells an officer why, and leaks nothing
a 404 would hide.

| action                 | office | township | police | inspector | assessor | viewer | service |
|------------------------|:------:|:--------:|:------:|:---------:|:--------:|:------:|:-------:|
| public                 |   x    |    x     |   x    |     x     |    x     |   x    |    x    |
| signed_in              |   x    |    x     |   x    |     x     |    x     |   x    |    x    |
| accounts.manage        |   x    |          |        |           |          |        |         |
| personal_data.manage   |   x    |          |        |           |          |        |         |
| operations.read        |   x    |          |        |           |          |        |    x    |
| hazards.read           |   x    |    x     |        |     x     |    x     |   x    |    x    |
| hazards.report         |   x    |    x     |        |     x     |          |        |    x    |
| hazards.manage         |   x    |    x     |        |           |          |        |    x    |
| hazards.verify         |   x    |          |        |     x     |          |        |    x    |
| hazards.supervise      |   x    |          |        |           |          |        |    x    |
| hazards.rules          |   x    |          |        |           |          |        |    x    |
| hazards.issue_reports  |   x    |          |        |           |          |        |    x    |
| rounds.manage          |   x    |          |        |           |          |        |    x    |
| key_areas.designate    |   x    |          |        |           |          |        |    x    |
| key_areas.rectify      |   x    |    x     |        |           |          |        |    x    |
| key_areas.review       |   x    |          |        |     x     |          |        |    x    |
| monitoring.record      |   x    |    x     |        |     x     |          |        |    x    |
| monitoring.warn        |   x    |          |        |           |          |        |    x    |
| accidents.report       |   x    |    x     |        |           |          |        |    x    |
| accidents.investigate  |   x    |          |        |     x     |          |        |    x    |
| campaigns.read         |   x    |    x     |   x    |           |          |   x    |    x    |
| campaigns.act          |   x    |          |   x    |           |          |        |    x    |
| campaigns.plan         |   x    |          |        |           |          |        |    x    |
| incidents.report       |   x    |    x     |   x    |           |          |        |    x    |
| situation.read         |   x    |    x     |   x    |           |          |   x    |    x    |
| situation.load_figures |   x    |          |        |           |          |        |    x    |
| warnings.respond       |   x    |    x     |        |           |          |        |    x    |
| warnings.close         |   x    |          |        |           |          |        |    x    |
| scoring.read           |   x    |    x     |        |           |    x     |   x    |    x    |
| scoring.register       |   x    |    x     |        |           |          |        |    x    |
| scoring.assess         |   x    |          |        |           |    x     |        |    x    |
| scoring.confer         |   x    |          |        |           |          |        |    x    |
| scoring.stars          |   x    |    x     |        |           |    x     |        |    x    |

``public`` needs no token; ``signed_in`` is any valid token.
(The README carries the same table; `tests/unit/test_rules.py` checks that they agree.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute, iter_route_contexts

from pingan.api.problems import Problem
from pingan.auth.actions import ACTION_NAMES, Action
from pingan.auth.guard import CurrentPrincipal
from pingan.auth.principal import ROLE_TITLES, Principal, Role

R = Role
_EVERY_ROLE = frozenset(Role)
#: The district office and the service account act on everything but the accounts.
_OFFICE = frozenset({R.DISTRICT_OFFICE, R.SERVICE})

TABLE: Mapping[Action, frozenset[Role]] = {
    Action.PUBLIC: _EVERY_ROLE,
    Action.SIGNED_IN: _EVERY_ROLE,
    Action.ACCOUNTS_MANAGE: frozenset({R.DISTRICT_OFFICE}),
    Action.PERSONAL_DATA_MANAGE: frozenset({R.DISTRICT_OFFICE}),
    Action.OPERATIONS_READ: _OFFICE,
    Action.HAZARDS_READ: _OFFICE | {R.TOWNSHIP_OFFICER, R.INSPECTOR, R.ASSESSOR, R.VIEWER},
    Action.HAZARDS_REPORT: _OFFICE | {R.TOWNSHIP_OFFICER, R.INSPECTOR},
    Action.HAZARDS_MANAGE: _OFFICE | {R.TOWNSHIP_OFFICER},
    Action.HAZARDS_VERIFY: _OFFICE | {R.INSPECTOR},
    Action.HAZARDS_SUPERVISE: _OFFICE,
    Action.HAZARDS_RULES: _OFFICE,
    Action.HAZARDS_ISSUE_REPORTS: _OFFICE,
    Action.ROUNDS_MANAGE: _OFFICE,
    Action.KEY_AREAS_DESIGNATE: _OFFICE,
    Action.KEY_AREAS_RECTIFY: _OFFICE | {R.TOWNSHIP_OFFICER},
    Action.KEY_AREAS_REVIEW: _OFFICE | {R.INSPECTOR},
    Action.MONITORING_RECORD: _OFFICE | {R.TOWNSHIP_OFFICER, R.INSPECTOR},
    Action.MONITORING_WARN: _OFFICE,
    Action.ACCIDENTS_REPORT: _OFFICE | {R.TOWNSHIP_OFFICER},
    Action.ACCIDENTS_INVESTIGATE: _OFFICE | {R.INSPECTOR},
    Action.CAMPAIGNS_READ: _OFFICE | {R.TOWNSHIP_OFFICER, R.POLICE, R.VIEWER},
    Action.CAMPAIGNS_ACT: _OFFICE | {R.POLICE},
    Action.CAMPAIGNS_PLAN: _OFFICE,
    Action.INCIDENTS_REPORT: _OFFICE | {R.TOWNSHIP_OFFICER, R.POLICE},
    Action.SITUATION_READ: _OFFICE | {R.TOWNSHIP_OFFICER, R.POLICE, R.VIEWER},
    Action.SITUATION_LOAD_FIGURES: _OFFICE,
    Action.WARNINGS_RESPOND: _OFFICE | {R.TOWNSHIP_OFFICER},
    Action.WARNINGS_CLOSE: _OFFICE,
    Action.SCORING_READ: _OFFICE | {R.TOWNSHIP_OFFICER, R.ASSESSOR, R.VIEWER},
    Action.SCORING_REGISTER: _OFFICE | {R.TOWNSHIP_OFFICER},
    Action.SCORING_ASSESS: _OFFICE | {R.ASSESSOR},
    Action.SCORING_CONFER: _OFFICE,
    Action.SCORING_STARS: _OFFICE | {R.TOWNSHIP_OFFICER, R.ASSESSOR},
}

#: Routes FastAPI serves itself, outside any router: the documents and their assets.
PUBLIC_DOCUMENTS = frozenset(
    {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/docs-assets"}
)

#: Where each role may act, unless it may act everywhere.
SCOPED_ROLES = frozenset({Role.TOWNSHIP_OFFICER, Role.POLICE})


#: The table's column heads, in the order of `Role`.
COLUMN_HEADS: Mapping[Role, str] = {
    Role.DISTRICT_OFFICE: "office",
    Role.TOWNSHIP_OFFICER: "township",
    Role.POLICE: "police",
    Role.INSPECTOR: "inspector",
    Role.ASSESSOR: "assessor",
    Role.VIEWER: "viewer",
    Role.SERVICE: "service",
}


def markdown_table() -> str:
    """The table as the README and this module's docstring show it."""
    heads = [COLUMN_HEADS[r] for r in Role]
    width = max(len(a.value) for a in Action)
    lines = [
        "| " + "action".ljust(width) + " | " + " | ".join(heads) + " |",
        "|" + "-" * (width + 2) + "|" + "|".join(":" + "-" * len(h) + ":" for h in heads) + "|",
    ]
    for action in Action:
        cells = [
            ("x" if role in TABLE[action] else "").center(len(head))
            for role, head in zip(Role, heads, strict=True)
        ]
        lines.append("| " + action.value.ljust(width) + " | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def roles_for(action: Action) -> list[Role]:
    """The roles allowed `action`, in the order of `Role`."""
    return [role for role in Role if role in TABLE[action]]


def township_scope(
    principal: Principal, station_townships: Mapping[str, Iterable[str]]
) -> frozenset[str] | None:
    """The townships the principal may act in; None for every township."""
    match principal.role:
        case Role.TOWNSHIP_OFFICER:
            return frozenset({principal.township} if principal.township else ())
        case Role.POLICE:
            station = principal.station
            if station is None:
                return frozenset()
            if station in station_townships:
                return frozenset(station_townships[station])
            return frozenset({station})
    return None


@dataclass(frozen=True)
class Grant:
    """The caller's leave to do one action, and where."""

    principal: Principal
    action: Action
    #: The townships the caller may act in; None for every township.
    townships: frozenset[str] | None

    def covers(self, township: str) -> bool:
        return self.townships is None or township in self.townships

    def within(self, township: str) -> None:
        """Refuse (403) unless the record's township is the caller's."""
        if not self.covers(township):
            raise other_township(self, township)

    def township_filter(self, requested: str | None) -> str | None:
        """The township a list query keeps to: the one asked for, if the caller's; the
        caller's own when none is asked for and the caller has exactly one."""
        if requested is not None:
            self.within(requested)
            return requested
        if self.townships is None:
            return None
        if len(self.townships) == 1:
            return next(iter(self.townships))
        raise other_township(self, None)


def role_not_allowed(principal: Principal, action: Action) -> Problem:
    english = ACTION_NAMES[action][0]
    allowed = roles_for(action)
    return Problem(
        403,
        "role-not-allowed",
        f"the role {principal.role} may not {english}; allowed: " + ", ".join(allowed),
        params={"role": principal.role.value, "action_name": english, "allowed_roles": allowed},
        action=action.value,
        roles=[r.value for r in allowed],
    )


def other_township(grant: Grant, township: str | None) -> Problem:
    scope = sorted(grant.townships or ()) or ["no township"]
    return Problem(
        403,
        "other-township" if township else "township-required",
        f"the record lies in {township}, outside your townships: {', '.join(scope)}"
        if township
        else f"name one of your townships: {', '.join(scope)}",
        params={"scope": scope},
        action=grant.action.value,
        township=township,
        your_townships=sorted(grant.townships or ()),
    )


#: The attribute that marks a route dependency as the check of an action.
ACTION_ATTRIBUTE = "__pingan_action__"


def requires(action: Action) -> Any:
    """The dependency a route declares for `action`: for a public action it checks nothing,
    for any other it checks the token (again, if the router already did: FastAPI runs a
    dependency once per request) and the role, and answers the caller's `Grant`."""
    if action is Action.PUBLIC:

        async def public() -> None:
            return None

        setattr(public, ACTION_ATTRIBUTE, action)
        return Depends(public)
    roles = TABLE[action]

    async def check(request: Request, principal: CurrentPrincipal) -> Grant:
        if principal.role not in roles:
            raise role_not_allowed(principal, action)
        stations = request.app.state.auth.settings.auth_station_townships
        return Grant(principal, action, township_scope(principal, stations))

    setattr(check, ACTION_ATTRIBUTE, action)
    return Depends(check)


def action_of(route: APIRoute) -> Action | None:
    """The action a route declares, found among its dependencies."""
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        action = getattr(dependant.call, ACTION_ATTRIBUTE, None)
        if isinstance(action, Action):
            return action
        pending.extend(dependant.dependencies)
    return None


class UndeclaredRoute(LookupError):
    """A route that declares no action."""


def declared_routes(app: FastAPI) -> list[tuple[str, frozenset[str], Action | None]]:
    """Each route of the app (included routers unfolded) as path, methods and the action it
    declares; FastAPI's own documents aside."""
    found = []
    for context in iter_route_contexts(app.routes):
        path = str(context.path or "")
        if path in PUBLIC_DOCUMENTS:
            continue
        route = context.original_route
        action = action_of(route) if isinstance(route, APIRoute) else None
        found.append((path, frozenset(context.methods or ()), action))
    return found


def undeclared(app: FastAPI) -> list[str]:
    """Routes of the app that declare no action."""
    return [
        f"{' '.join(sorted(methods))} {path}"
        for path, methods, action in declared_routes(app)
        if action is None
    ]


def document_rules(app: FastAPI) -> None:
    """Every guarded operation documents its 403 and the roles allowed (``x-roles``); a
    route that declares no action is an error at start, not an open door. Call before
    `install_openapi`, which then documents the 403 as a problem."""
    missing = undeclared(app)
    if missing:
        raise UndeclaredRoute("routes that declare no action: " + "; ".join(missing))
    actions = {
        (path, method.lower()): action
        for path, methods, action in declared_routes(app)
        for method in methods
        if action is not None
    }
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                action = actions.get((path, method))
                if action is not None:
                    _document(operation, action)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document(operation: dict[str, Any], action: Action) -> None:
    operation["x-action"] = action.value
    if action is Action.PUBLIC:
        operation["x-roles"] = []
        return
    roles = roles_for(action)
    operation["x-roles"] = [r.value for r in roles]
    scoped = [r.value for r in roles if r in SCOPED_ROLES]
    operation["x-township-scoped-roles"] = scoped
    operation.setdefault("responses", {})["403"] = {"description": "Forbidden"}
    who = "、".join(ROLE_TITLES[r] for r in roles)
    note = f"可执行:{who}(allowed roles: {', '.join(roles)})"
    if scoped:
        note += ";乡镇与派出所账号限本辖区 (township officers and police: own townships)"
    operation["description"] = f"{operation.get('description', '')}\n\n{note}".strip()
