"""The printable quarterly report (季度报告): the campaigns' case figures and the scoring
standings of one quarter on one page, laid out for paper by the print style."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from pingan.auth.actions import Action as A
from pingan.auth.rules import TABLE
from pingan.web import exports, labels
from pingan.web.listings import Client, Running
from pingan.web.rendering import language_of, render
from pingan.web.session import Session, page_requires

QUARTER = r"^20[0-9]{2}-Q[1-4]$"


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def own(session: Session, standings: dict[str, Any]) -> dict[str, Any]:
    """The standings as a township officer may see them: their townships' rows only."""
    townships = session.grant.townships
    if townships is None:
        return standings
    rows = [s for s in standings["townships"] if s["township"] in townships]
    return {**standings, "townships": rows}


def add_routes(router: APIRouter, running: Running, client: Client, today: Any) -> None:
    @router.get("/reports/quarterly")
    async def quarterly(
        request: Request,
        session: Annotated[Session, page_requires(A.SIGNED_IN)],
        quarter: Annotated[str | None, Query(pattern=QUARTER)] = None,
        format: Annotated[str | None, Query(pattern="^(csv|xlsx)$")] = None,
    ) -> Response:
        """The quarter's report of cases, campaigns, warnings and township standings."""
        chosen = quarter or quarter_of(today(request))
        year, part = chosen.split("-Q")
        services = request.app.state.services
        role = session.principal.role
        cases: dict[str, Any] | None = None
        scoring: dict[str, Any] | None = None
        async with client(request, session) as api:
            if "campaigns" in services and role in TABLE[A.CAMPAIGNS_READ]:
                cases = await api.get(
                    "/api/campaigns/reports/quarterly", {"year": year, "quarter": part}
                )
            if "scoring" in services and role in TABLE[A.SCORING_READ]:
                scoring = await api.get("/api/scoring/reports/quarterly", {"quarter": chosen})
                scoring["standings"] = own(session, scoring["standings"])
        language = language_of(request)
        if format:
            heads = [
                labels.word(labels.UI, k, language)
                for k in ("rank", "township", "points", "units_count", "named_count")
            ]
            heads += [
                labels.word(labels.UI, k, language)
                for k in ("revocations_count", "cases_registered", "solved")
            ]
            rows: list[list[exports.Cell]] = [
                [
                    s["rank"],
                    s["township"],
                    s["points"],
                    s["figures"]["units"],
                    s["figures"]["named"],
                    s["figures"]["revocations"],
                    s["figures"]["cases_registered"],
                    s["figures"]["cases_solved"],
                ]
                for s in (scoring or {}).get("standings", {}).get("townships", [])
            ]
            return exports.download("quarterly", format, chosen, heads, rows)
        return render(
            request, "quarterly.html", session, quarter=chosen, cases=cases, scoring=scoring
        )
