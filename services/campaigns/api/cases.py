"""Routes of the case ledger (案件台账): commands decide on the case, queries read the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import AwareDatetime, Field, StringConstraints

from campaigns.api.deps import CampaignsApp, Today
from campaigns.api.schemas import (
    Count,
    KindName,
    LongText,
    OptionalText,
    Positive,
    SeizureBody,
    Stated,
    Text,
    Yuan,
)
from campaigns.application.suspects import SuspectDetails
from campaigns.domain.case import Case, CaseStatus
from campaigns.domain.kinds import CaseCategory
from campaigns.projections import ledger as view
from campaigns.projections.ledger import CaseFilter, CaseView, SuspectView
from pingan.api.accepted import Accepted
from pingan.api.commands import Command
from pingan.api.deps import CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.history import add_history_route
from pingan.api.idempotency import Idempotent, created
from pingan.api.pagination import Page, PageParams
from pingan.api.problems import Problem, not_found
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from pingan.privacy import Field as PersonalField
from pingan.privacy import PersonalFields, disclose
from pingan.reference import TownshipName, VillageName

router = APIRouter(prefix="/cases", tags=["cases"])
VIEW = "case_ledger"
Tag = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_]{0,39}$")]
IdNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[0-9]{17}[0-9X]$")
]


class RegisterCase(Command):
    kind: KindName = Field(description="案件类别; its category (刑事/治安) follows from the kind")
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    village: VillageName = Field(description="Village or community (村/社区)")
    place: LongText = Field(description="发案地点")
    place_tags: list[Tag] = Field(
        default_factory=list, max_length=10, description="e.g. campus (校园周边)"
    )
    happened_at: AwareDatetime = Field(description="发案时间, with its UTC offset")
    registered_on: date = Field(description="立案 (criminal) or 受理 (public-order) date")
    case_number: Text | None = Field(default=None, description="案件编号")
    unit_id: Text | None = Field(
        default=None, description="The creation unit (scoring) it happened in: 摘牌制 if major"
    )
    unit_name: Text | None = Field(
        default=None, description="The name of the creation unit it happened in"
    )
    deaths: Count = Field(default=0, description="Deaths (死亡人数); one or more make it major")
    serious_injuries: Count = Field(
        default=0, description="Seriously injured (重伤人数); three or more make it major"
    )
    loss_yuan: Yuan = Field(default=Decimal(0), description="直接经济损失, yuan")
    summary: OptionalText = Field(default="", description="简要案情")
    registered_by: Text = Field(description="Who registers or accepts it (立案/受理人)")


class ReclassifyCase(Stated):
    """Figures left out stay as recorded."""

    kind: KindName
    reason: LongText = Field(description="Why the kind or figures change, e.g. 治转刑")
    deaths: Count | None = Field(default=None, description="Deaths (死亡人数), revised")
    serious_injuries: Count | None = Field(
        default=None, description="Seriously injured (重伤人数), revised"
    )
    loss_yuan: Yuan | None = Field(
        default=None, description="Direct economic loss in yuan (直接经济损失), revised"
    )


class FlagMajor(Stated):
    reason: LongText = Field(description="Why the case is a 重大治安案件 though the rule misses it")


class WithdrawCase(Command):
    withdrawn_on: date = Field(
        description="The day it is withdrawn (撤案): not after today, nor before registration"
    )
    reason: LongText = Field(description="Why: no crime, or no liability to pursue")


class SolveCase(Command):
    solved_on: date = Field(
        description="The day it was solved (破案/查结): not after today, nor before registration"
    )


class Suspect(Command):
    name: Text = Field(description="犯罪嫌疑人姓名, sealed when recorded")
    id_number: IdNumber | None = Field(default=None, description="身份证号, sealed")


class ApprehendSuspects(Command):
    count: Positive = Field(description="Suspects apprehended (抓获人数), the named ones included")
    apprehended_on: date = Field(
        description="The day of apprehension (抓获日期): not after today, nor before registration"
    )
    suspects: list[Suspect] = Field(
        default_factory=list, max_length=200, description="Only those the ledger must name"
    )


class DismantleGangs(Command):
    count: Positive = Field(description="Criminal gangs dismantled (打掉团伙数)")
    dismantled_on: date = Field(
        description="The day they were dismantled: not after today, nor before registration"
    )
    description: OptionalText = Field(default="", description="The gangs and what they did")


class RecordSeizures(Command):
    seized_on: date = Field(
        description="The day of the seizure (缴获日期): not after today, nor before registration"
    )
    seizures: list[SeizureBody] = Field(
        min_length=1, max_length=50, description="What was seized (缴获), each typed"
    )


class TransferCase(Command):
    transferred_on: date = Field(
        description="The day of transfer (移送日期): not after today, nor before it was solved"
    )
    suspects: Positive = Field(description="Suspects transferred (移送起诉人数)")
    prosecutor: Text = Field(description="The procuratorate, e.g. 秦州区人民检察院")


class CloseCase(Command):
    closed_on: date = Field(
        description="The day it is closed (结案日期): not after today, nor before it was solved"
    )


@router.post("", status_code=status.HTTP_201_CREATED)
def register_case(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_ACT)],
    body: RegisterCase,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
    claim: Idempotent,
    request: Request,
    response: Response,
) -> Accepted:
    """Register (立案) a criminal case or accept (受理) a public-order case."""
    grant.within(body.township)
    recorded = app.create_once(
        claim, lambda: app.register_case(**body.model_dump(), today=today, metadata=meta)
    )
    created(response, recorded, str(request.url_for("get_case", case_id=recorded.id)))
    return Accepted.of(recorded)


@router.post("/{case_id}/reclassification")
def reclassify_case(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_ACT)],
    case_id: UUID,
    body: ReclassifyCase,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Change the case's kind or figures, with the reason."""
    grant.within(app.get_case(case_id).township)
    return Accepted.of(
        app.reclassify_case(case_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{case_id}/major")
def flag_major(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_ACT)],
    case_id: UUID,
    body: FlagMajor,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Flag the case as a major public-order case (重大治安案件), with the reason."""
    grant.within(app.get_case(case_id).township)
    return Accepted.of(
        app.flag_major_case(case_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{case_id}/withdraw")
def withdraw_case(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_ACT)],
    case_id: UUID,
    body: WithdrawCase,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Withdraw the case (撤案), with the reason: it counts no more."""
    grant.within(app.get_case(case_id).township)
    return Accepted.of(app.withdraw_case(case_id, **body.model_dump(), today=today, metadata=meta))


@router.post("/{case_id}/solve")
def solve_case(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_ACT)],
    case_id: UUID,
    body: SolveCase,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Solve the case (破案; 查结 for a public-order case)."""
    grant.within(app.get_case(case_id).township)
    return Accepted.of(app.solve_case(case_id, **body.model_dump(), today=today, metadata=meta))


@router.post("/{case_id}/apprehensions")
def apprehend_suspects(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_ACT)],
    case_id: UUID,
    body: ApprehendSuspects,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record suspects apprehended (抓获): a count, and those the ledger must name, sealed."""
    grant.within(app.get_case(case_id).township)
    return Accepted.of(
        app.apprehend_suspects(
            case_id,
            count=body.count,
            apprehended_on=body.apprehended_on,
            suspects=[SuspectDetails(s.name, s.id_number) for s in body.suspects],
            today=today,
            metadata=meta,
        )
    )


@router.post("/{case_id}/gangs")
def dismantle_gangs(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_ACT)],
    case_id: UUID,
    body: DismantleGangs,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record criminal gangs dismantled (打掉团伙)."""
    grant.within(app.get_case(case_id).township)
    return Accepted.of(
        app.dismantle_gangs(case_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{case_id}/seizures")
def record_seizures(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_ACT)],
    case_id: UUID,
    body: RecordSeizures,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record seizures (缴获) as typed quantities."""
    grant.within(app.get_case(case_id).township)
    return Accepted.of(
        app.record_seizures(
            case_id,
            seized_on=body.seized_on,
            seizures=[s.seizure() for s in body.seizures],
            today=today,
            metadata=meta,
        )
    )


@router.post("/{case_id}/transfer")
def transfer_case(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_ACT)],
    case_id: UUID,
    body: TransferCase,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Transfer a solved criminal case for prosecution (移送审查起诉)."""
    grant.within(app.get_case(case_id).township)
    return Accepted.of(app.transfer_case(case_id, **body.model_dump(), today=today, metadata=meta))


@router.post("/{case_id}/close")
def close_case(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_ACT)],
    case_id: UUID,
    body: CloseCase,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Close the case (结案)."""
    grant.within(app.get_case(case_id).township)
    return Accepted.of(app.close_case(case_id, **body.model_dump(), today=today, metadata=meta))


add_history_route(router, Case, "case", A.CAMPAIGNS_READ)


@router.get("/{case_id}")
async def get_case(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)],
    case_id: UUID,
    runtime: Runtime,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> CaseView:
    """One case as the ledger shows it, with the suspects the caller may see."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        found = await view.get_case(conn, case_id)
    if found is None:
        raise not_found("case", case_id)
    case, sealed = found
    grant.within(case.township)
    records = [
        PersonalFields(
            str(case.id),
            case.township,
            False,
            {PersonalField.NAME: s["name"], PersonalField.ID_NUMBER: s.get("id_number")},
        )
        for s in sealed
    ]
    shown = await disclose(runtime.people, grant.principal, "案件台账查阅", records)
    return case.model_copy(
        update={
            "suspects": [
                SuspectView(
                    person_id=s["person_id"],
                    name=a[PersonalField.NAME] or "",
                    id_number=a[PersonalField.ID_NUMBER],
                )
                for s, a in zip(sealed, shown, strict=True)
            ]
        }
    )


@router.get("")
async def list_cases(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)],
    runtime: Runtime,
    app: CampaignsApp,
    page: PageParams,
    category: CaseCategory | None = None,
    kind: Annotated[
        str | None, Query(max_length=100, description="A case kind's code, name or alias")
    ] = None,
    township: Annotated[str | None, Query(max_length=200)] = None,
    village: Annotated[str | None, Query(max_length=200)] = None,
    status: CaseStatus | None = None,
    major: bool | None = None,
    homicide: bool | None = None,
    unit_id: Annotated[str | None, Query(max_length=200)] = None,
    registered_from: Annotated[
        date | None, Query(description="First registration date (inclusive)")
    ] = None,
    registered_to: Annotated[
        date | None, Query(description="Last registration date (inclusive)")
    ] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[CaseView]:
    """The case ledger, filtered and paginated: the latest registration first."""
    if (
        registered_from is not None
        and registered_to is not None
        and registered_from > registered_to
    ):
        raise Problem(
            422,
            "invalid-request",
            "registered_from is after registered_to",
            errors=[
                {"loc": ["query", "registered_from"], "msg": "after registered_to", "type": ""}
            ],
        )
    await runtime.wait_for(VIEW, min_position, wait)
    flt = CaseFilter(
        category=category,
        kind=None if kind is None else app.vocabulary.case_kind(kind).code,
        township=grant.township_filter(township),
        village=village,
        status=status,
        major=major,
        homicide=homicide,
        unit_id=unit_id,
        registered_from=registered_from,
        registered_to=registered_to,
    )
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_cases(conn, flt, page.limit, page.offset)
    return Page.of(items, total, page)
