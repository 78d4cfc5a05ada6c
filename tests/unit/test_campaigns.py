"""The campaigns model on the in-memory store: lifecycle guards, kinds and their aliases, the
major-case rule, homicide, typed seizures and targets."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

import campaigns
from campaigns.application import CampaignsApplication
from campaigns.application.suspects import SuspectDetails
from campaigns.configuration import vocabulary
from campaigns.contracts import to_integration_event
from campaigns.contracts.case import CaseRegisteredV1
from campaigns.domain.campaign import CampaignStatus
from campaigns.domain.case import CaseStatus
from campaigns.domain.kinds import CaseCategory, Vocabulary
from campaigns.domain.major import MajorBasis
from campaigns.domain.measures import Seizure, SeizureType, Targets
from campaigns.messages import MESSAGES
from pingan.testing import in_memory
from pingan.write.domain import IllegalTransition, RuleViolation
from pingan.write.metadata import EventMetadata

TODAY = date(2026, 6, 20)
META = EventMetadata.new("unit")
CASE: dict[str, Any] = {
    "kind": "theft",
    "township": "玉泉镇",
    "village": "莲亭村",
    "place": "莲亭批发市场",
    "happened_at": datetime(2026, 3, 2, 13, tzinfo=UTC),
    "registered_on": date(2026, 3, 3),
    "registered_by": "玉泉派出所",
}


@pytest.fixture
def app() -> CampaignsApplication:
    return in_memory(CampaignsApplication)


def plan(app: CampaignsApplication, **overrides: Any) -> UUID:
    body: dict[str, Any] = {
        "kind": "两抢一盗",
        "name": "春季两抢一盗",
        "townships": [],
        "starts_on": date(2026, 3, 1),
        "ends_on": date(2026, 5, 31),
        "lead_unit": "秦州公安分局",
        "targets": Targets(cases_solved=10),
        "planned_by": "区委政法委",
        "business_date": date(2026, 2, 20),
        **overrides,
    }
    return app.plan_campaign(**body, metadata=META, today=TODAY).id


def register(app: CampaignsApplication, **overrides: Any) -> UUID:
    return app.register_case(**{**CASE, **overrides}, metadata=META, today=TODAY).id


def test_a_campaign_is_launched_once_and_concluded_only_while_running(
    app: CampaignsApplication,
) -> None:
    campaign_id = plan(app)
    with pytest.raises(IllegalTransition) as refused:
        app.conclude_campaign(
            campaign_id, concluded_on=TODAY, summary="x", metadata=META, today=TODAY
        )
    assert refused.value.allowed == ["/adjustments", "/launch", "/links"]

    app.launch_campaign(campaign_id, launched_on=date(2026, 3, 1), metadata=META, today=TODAY)
    with pytest.raises(IllegalTransition):
        app.launch_campaign(campaign_id, launched_on=date(2026, 3, 2), metadata=META, today=TODAY)
    app.conclude_campaign(
        campaign_id, concluded_on=date(2026, 6, 1), summary="完成", metadata=META, today=TODAY
    )

    campaign = app.get_campaign(campaign_id)
    assert campaign.status is CampaignStatus.CONCLUDED
    assert campaign.allowed_commands() == []


def test_a_running_campaign_may_move_its_end_and_targets_but_not_its_start(
    app: CampaignsApplication,
) -> None:
    campaign_id = plan(app)
    app.launch_campaign(campaign_id, launched_on=date(2026, 3, 1), metadata=META, today=TODAY)

    with pytest.raises(RuleViolation, match="keeps its start"):
        app.adjust_campaign(
            campaign_id, reason="提前", starts_on=date(2026, 2, 1), metadata=META, today=TODAY
        )
    with pytest.raises(RuleViolation, match="changes nothing"):
        app.adjust_campaign(campaign_id, reason="无", metadata=META, today=TODAY)
    app.adjust_campaign(
        campaign_id,
        reason="延长",
        ends_on=date(2026, 8, 31),
        targets=Targets(cases_solved=20),
        metadata=META,
        today=TODAY,
    )

    campaign = app.get_campaign(campaign_id)
    assert (campaign.ends_on, campaign.targets.cases_solved) == (date(2026, 8, 31), 20)
    adjusted = list(app.events.get(campaign_id))[-1]
    assert vars(adjusted)["reason"] == "延长"


def test_a_campaign_period_and_targets_must_make_sense(app: CampaignsApplication) -> None:
    with pytest.raises(RuleViolation, match="cannot end before it starts"):
        plan(app, ends_on=date(2026, 2, 1))
    with pytest.raises(RuleViolation, match="between 0 and 100"):
        Targets(clearance_rate=Decimal(120))
    with pytest.raises(RuleViolation, match="negative"):
        Targets(arrests=-1)


def test_kinds_answer_to_todays_names_and_the_sources_aliases() -> None:
    kinds = Vocabulary()

    assert kinds.campaign_kind("打黑除恶").name == "常态化扫黑除恶"
    assert kinds.campaign_kind("电信诈骗").name == "电信网络诈骗"
    assert kinds.campaign_kind("缉枪治爆").code == "guns_explosives"
    assert kinds.campaign_kind("校园周边治安整治").place_tag == "campus"
    assert len(kinds.campaign_kinds) == 10
    assert kinds.case_kind("电信诈骗").code == "telecom_fraud"
    with pytest.raises(RuleViolation, match="unknown campaign kind"):
        kinds.campaign_kind("偷菜")


def test_the_office_adds_kinds_by_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "kinds.yaml"
    config.write_text(
        "case_kinds:\n"
        "  - {code: elder_fraud, name: 养老诈骗, category: criminal}\n"
        "campaign_kinds:\n"
        "  - {code: elder_fraud, name: 打击整治养老诈骗, case_kinds: [elder_fraud, fraud],"
        " aliases: [养老诈骗专项]}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CAMPAIGN_KINDS_FILE", str(config))
    app = in_memory(CampaignsApplication)

    campaign = app.get_campaign(plan(app, kind="养老诈骗专项"))

    assert vocabulary(config).campaign_kind("elder_fraud").case_kinds == ("elder_fraud", "fraud")
    assert campaign.case_kinds == ("elder_fraud", "fraud")
    assert app.vocabulary.campaign_kind("两抢一盗").code == "robbery_theft"


def test_a_case_moves_from_registration_to_closing(app: CampaignsApplication) -> None:
    case_id = register(app)
    with pytest.raises(IllegalTransition):
        app.transfer_case(
            case_id,
            transferred_on=TODAY,
            suspects=1,
            prosecutor="秦州区人民检察院",
            metadata=META,
            today=TODAY,
        )
    app.solve_case(case_id, solved_on=date(2026, 3, 10), metadata=META, today=TODAY)
    with pytest.raises(IllegalTransition):
        app.solve_case(case_id, solved_on=date(2026, 3, 11), metadata=META, today=TODAY)
    app.transfer_case(
        case_id,
        transferred_on=date(2026, 4, 1),
        suspects=1,
        prosecutor="秦州区人民检察院",
        metadata=META,
        today=TODAY,
    )
    with pytest.raises(IllegalTransition):
        app.withdraw_case(case_id, withdrawn_on=TODAY, reason="x", metadata=META, today=TODAY)
    app.close_case(case_id, closed_on=date(2026, 5, 1), metadata=META, today=TODAY)

    case = app.get_case(case_id)
    assert case.status is CaseStatus.CLOSED
    with pytest.raises(IllegalTransition):
        app.record_seizures(
            case_id,
            seized_on=TODAY,
            seizures=[Seizure(SeizureType.GUNS, Decimal(1))],
            metadata=META,
            today=TODAY,
        )


def test_a_public_order_case_is_never_transferred_for_prosecution(
    app: CampaignsApplication,
) -> None:
    case_id = register(app, kind="殴打他人")
    app.solve_case(case_id, solved_on=date(2026, 3, 4), metadata=META, today=TODAY)

    with pytest.raises(RuleViolation, match="only a criminal case"):
        app.transfer_case(
            case_id, transferred_on=TODAY, suspects=1, prosecutor="x", metadata=META, today=TODAY
        )
    assert app.get_case(case_id).category is CaseCategory.PUBLIC_ORDER


def test_a_withdrawn_case_takes_no_further_step(app: CampaignsApplication) -> None:
    case_id = register(app)
    app.withdraw_case(
        case_id, withdrawn_on=date(2026, 3, 5), reason="不构成犯罪", metadata=META, today=TODAY
    )

    assert app.get_case(case_id).allowed_commands() == []
    with pytest.raises(IllegalTransition):
        app.solve_case(case_id, solved_on=TODAY, metadata=META, today=TODAY)


def test_facts_of_a_case_are_not_dated_before_its_registration(
    app: CampaignsApplication,
) -> None:
    with pytest.raises(RuleViolation, match="registered before it happened"):
        register(app, registered_on=date(2026, 3, 1))
    case_id = register(app)
    with pytest.raises(RuleViolation):
        app.solve_case(case_id, solved_on=date(2026, 3, 1), metadata=META, today=TODAY)


def test_homicide_is_the_eight_kinds_when_they_cause_a_death(
    app: CampaignsApplication,
) -> None:
    murder = app.get_case(register(app, kind="故意杀人"))
    robbery = app.get_case(register(app, kind="抢劫"))
    fatal_robbery = app.get_case(register(app, kind="抢劫", deaths=1))
    fatal_theft = app.get_case(register(app, kind="盗窃", deaths=1))

    assert (murder.homicide, robbery.homicide, fatal_robbery.homicide) == (True, False, True)
    assert fatal_theft.homicide is False


def test_the_major_rule_and_the_officers_flag(app: CampaignsApplication) -> None:
    injuries = app.get_case(register(app, serious_injuries=3))
    loss = app.get_case(register(app, loss_yuan=Decimal(500_000)))
    murder = app.get_case(register(app, kind="故意杀人"))
    minor_id = register(app, serious_injuries=2, loss_yuan=Decimal(499_999))
    assert app.get_case(minor_id).major is False

    app.flag_major_case(minor_id, reason="发生在敏感时期", metadata=META, today=TODAY)
    with pytest.raises(RuleViolation, match="already major"):
        app.flag_major_case(minor_id, reason="again", metadata=META, today=TODAY)

    assert injuries.major_basis is MajorBasis.INJURIES
    assert loss.major_basis is MajorBasis.LOSS
    assert murder.major_basis is MajorBasis.HOMICIDE
    assert app.get_case(minor_id).major_basis is MajorBasis.OFFICER


def test_a_reclassification_changes_the_kind_and_keeps_a_major_case_major(
    app: CampaignsApplication,
) -> None:
    case_id = register(app, kind="殴打他人", serious_injuries=3)
    app.reclassify_case(
        case_id, kind="故意伤害", reason="治转刑", deaths=1, metadata=META, today=TODAY
    )
    with pytest.raises(RuleViolation, match="changes nothing"):
        app.reclassify_case(case_id, kind="故意伤害", reason="x", metadata=META, today=TODAY)

    case = app.get_case(case_id)
    assert (case.category, case.kind, case.homicide) == (
        CaseCategory.CRIMINAL,
        "intentional_injury",
        True,
    )
    assert case.major_basis is MajorBasis.INJURIES


def test_seizures_are_typed_quantities() -> None:
    with pytest.raises(RuleViolation, match="names its drug"):
        Seizure(SeizureType.DRUGS, Decimal(10))
    with pytest.raises(RuleViolation, match="names its drug"):
        Seizure(SeizureType.GUNS, Decimal(1), drug="海洛因")
    with pytest.raises(RuleViolation, match="whole"):
        Seizure(SeizureType.AMMUNITION, Decimal("1.5"))
    with pytest.raises(RuleViolation, match="more than zero"):
        Seizure(SeizureType.EXPLOSIVES, Decimal(0))
    assert Seizure(SeizureType.EXPLOSIVES, Decimal("2.5")).type.unit == "kg"


def test_more_suspects_cannot_be_named_than_apprehended(app: CampaignsApplication) -> None:
    case_id = register(app)
    with pytest.raises(RuleViolation, match="more suspects"):
        app.apprehend_suspects(
            case_id,
            count=1,
            apprehended_on=date(2026, 3, 4),
            suspects=[SuspectDetails("甲"), SuspectDetails("乙")],
            metadata=META,
            today=TODAY,
        )


def test_a_registration_publishes_what_scoring_needs_and_seals_no_one(
    app: CampaignsApplication,
) -> None:
    case_id = register(app, kind="故意杀人", unit_id="unit-x")

    published = to_integration_event(next(iter(app.events.get(case_id))))

    assert isinstance(published, CaseRegisteredV1)
    assert (published.major, published.unit_id, published.township) == (True, "unit-x", "玉泉镇")
    assert published.registered_on == date(2026, 3, 3)
    assert published.business_date == date(2026, 3, 3)


def test_a_mass_incident_is_resolved_once(app: CampaignsApplication) -> None:
    now = datetime(2026, 6, 20, 4, tzinfo=UTC)
    incident_id = app.report_incident(
        happened_at=datetime(2026, 6, 18, 1, tzinfo=UTC),
        township="玉泉镇",
        village="莲亭村",
        place="村委会",
        participants=60,
        cause="征地补偿",
        handling="现场接访",
        reported_by="玉泉镇综治办",
        now=now,
        metadata=META,
    ).id
    app.resolve_incident(
        incident_id, resolved_on=date(2026, 6, 19), outcome="达成协议", metadata=META, today=TODAY
    )

    with pytest.raises(IllegalTransition):
        app.resolve_incident(
            incident_id, resolved_on=TODAY, outcome="x", metadata=META, today=TODAY
        )
    with pytest.raises(RuleViolation, match="participants"):
        app.report_incident(
            happened_at=now,
            township="玉泉镇",
            village="莲亭村",
            place="x",
            participants=0,
            cause="x",
            handling="x",
            reported_by="x",
            now=now,
            metadata=META,
            unit_id=str(uuid4()),
        )


def test_every_rule_the_campaigns_model_states_reads_in_chinese() -> None:
    sources = Path(campaigns.__file__).parent
    refusals = re.compile(r'RuleViolation\(\s*f?"([^"]+)"')
    stated = {
        re.sub(r"\{[^}]+\}", "X", text)
        for path in sources.rglob("*.py")
        for text in refusals.findall(path.read_text(encoding="utf-8"))
    }

    untranslated = sorted(s for s in stated if MESSAGES.detail(s, "zh-CN") == s)

    assert len(stated) > 20
    assert not untranslated
