"""The kinds of campaign and of case, as configuration.

The source lists nine kinds of special campaign and ends the list with 等, so the office adds
kinds by configuration (`CAMPAIGN_KINDS_FILE`, see `campaigns.configuration`). A campaign kind
names the kinds of case that count towards it, and optionally a place tag a case must carry
(校园周边: a case near a school). Where practice has moved on since the source, today's name is
the primary one and the source's an alias (打黑除恶 → 常态化扫黑除恶, 电信诈骗 → 电信网络诈骗).

A case kind says whether it is criminal (刑事案件, 立案) or public-order (治安案件, 受理), and
whether it is one of the eight kinds that police statistics count as 命案 when they cause a
death (故意杀人 always; 故意伤害, 抢劫, 强奸, 放火, 爆炸, 投放危险物质, 绑架 when a person died).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, TypeVar

from pingan.write.domain import RuleViolation


class CaseCategory(StrEnum):
    CRIMINAL = "criminal"  # 刑事案件 (立案)
    PUBLIC_ORDER = "public_order"  # 治安案件 (受理)


class Homicide(StrEnum):
    """Whether a case of a kind is a 命案."""

    NEVER = "never"
    ALWAYS = "always"  # 故意杀人
    IF_DEATH = "if_death"  # the other seven kinds, when they cause a death


@dataclass(frozen=True)
class CaseKind:
    code: str
    name: str
    category: CaseCategory
    homicide: Homicide = Homicide.NEVER
    aliases: tuple[str, ...] = ()

    def is_homicide(self, deaths: int) -> bool:
        return self.homicide is Homicide.ALWAYS or (
            self.homicide is Homicide.IF_DEATH and deaths > 0
        )


@dataclass(frozen=True)
class CampaignKind:
    code: str
    name: str
    case_kinds: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    place_tag: str | None = None


C, P = CaseCategory.CRIMINAL, CaseCategory.PUBLIC_ORDER
D = Homicide.IF_DEATH

CASE_KINDS: tuple[CaseKind, ...] = (
    CaseKind("intentional_homicide", "故意杀人", C, Homicide.ALWAYS),
    CaseKind("intentional_injury", "故意伤害", C, D),
    CaseKind("robbery", "抢劫", C, D),
    CaseKind("rape", "强奸", C, D),
    CaseKind("arson", "放火", C, D),
    CaseKind("explosion", "爆炸", C, D),
    CaseKind("poisoning", "投放危险物质", C, D),
    CaseKind("kidnapping", "绑架", C, D),
    CaseKind("snatching", "抢夺", C),
    CaseKind("theft", "盗窃", C),
    CaseKind("organised_crime", "组织、领导、参加黑社会性质组织", C, aliases=("涉黑",)),
    CaseKind("evil_forces", "恶势力犯罪", C, aliases=("涉恶",)),
    CaseKind("provocation", "寻衅滋事", C),
    CaseKind("extortion", "敲诈勒索", C),
    CaseKind("drug_trafficking", "走私、贩卖、运输、制造毒品", C, aliases=("贩毒",)),
    CaseKind("drug_harbouring", "容留他人吸毒", C),
    CaseKind("counterfeit_goods", "生产、销售伪劣商品", C, aliases=("制假售假",)),
    CaseKind("trademark_counterfeiting", "假冒注册商标", C),
    CaseKind("telecom_fraud", "电信网络诈骗", C, aliases=("电信诈骗",)),
    CaseKind("fraud", "诈骗", C),
    CaseKind("pyramid_selling", "组织、领导传销活动", C, aliases=("传销",)),
    CaseKind("gambling", "赌博", C),
    CaseKind("casino", "开设赌场", C),
    CaseKind("illegal_guns", "非法制造、买卖、持有枪支弹药", C, aliases=("涉枪",)),
    CaseKind("illegal_explosives", "非法制造、买卖、储存爆炸物", C, aliases=("涉爆",)),
    CaseKind("drug_use", "吸毒", P),
    CaseKind("public_gambling", "参与赌博", P),
    CaseKind("public_theft", "盗窃(治安)", P),
    CaseKind("fighting", "殴打他人", P),
    CaseKind("disturbance", "扰乱公共秩序", P),
    CaseKind("public_pyramid_selling", "参与传销", P),
    CaseKind("public_fraud", "诈骗(治安)", P),
)

CAMPAIGN_KINDS: tuple[CampaignKind, ...] = (
    CampaignKind(
        "organised_crime",
        "常态化扫黑除恶",
        ("organised_crime", "evil_forces", "provocation", "extortion"),
        aliases=("打黑除恶", "扫黑除恶"),
    ),
    CampaignKind(
        "robbery_theft",
        "两抢一盗",
        ("robbery", "snatching", "theft", "public_theft"),
        aliases=("兩搶一盜",),
    ),
    CampaignKind("drugs", "禁毒", ("drug_trafficking", "drug_harbouring", "drug_use")),
    CampaignKind("counterfeiting", "制假售假", ("counterfeit_goods", "trademark_counterfeiting")),
    CampaignKind("telecom_fraud", "电信网络诈骗", ("telecom_fraud",), aliases=("电信诈骗",)),
    CampaignKind("pyramid_selling", "传销", ("pyramid_selling", "public_pyramid_selling")),
    CampaignKind("gambling", "赌博", ("gambling", "casino", "public_gambling")),
    CampaignKind(
        "homicide",
        "命案专项治理",
        (
            "intentional_homicide",
            "intentional_injury",
            "robbery",
            "rape",
            "arson",
            "explosion",
            "poisoning",
            "kidnapping",
        ),
    ),
    CampaignKind("guns_explosives", "缉枪治爆", ("illegal_guns", "illegal_explosives")),
    CampaignKind(
        "campus_surroundings",
        "校园周边治安整治",
        (
            "robbery",
            "snatching",
            "theft",
            "provocation",
            "extortion",
            "intentional_injury",
            "fighting",
            "disturbance",
            "public_theft",
        ),
        place_tag="campus",
    ),
)


class _Named(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...


K = TypeVar("K", bound=_Named)


def _key(name: str) -> str:
    return "".join(name.split()).casefold()


@dataclass(frozen=True)
class Vocabulary:
    """The kinds the office works with: the shipped ones and those it has configured."""

    case_kinds: tuple[CaseKind, ...] = CASE_KINDS
    campaign_kinds: tuple[CampaignKind, ...] = CAMPAIGN_KINDS
    _cases: Mapping[str, CaseKind] = field(init=False, repr=False, compare=False)
    _campaigns: Mapping[str, CampaignKind] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        codes = {k.code for k in self.case_kinds}
        for kind in self.campaign_kinds:
            unknown = sorted(set(kind.case_kinds) - codes)
            if unknown:
                raise ValueError(f"campaign kind {kind.code} names unknown case kinds {unknown}")
        object.__setattr__(self, "_cases", _index(self.case_kinds))
        object.__setattr__(self, "_campaigns", _index(self.campaign_kinds))

    def case_kind(self, name: str) -> CaseKind:
        """The case kind a code, name or alias names."""
        found = self._cases.get(_key(name))
        if found is None:
            raise RuleViolation(f"unknown case kind {name}")
        return found

    def campaign_kind(self, name: str) -> CampaignKind:
        """The campaign kind a code, name or alias names."""
        found = self._campaigns.get(_key(name))
        if found is None:
            raise RuleViolation(f"unknown campaign kind {name}")
        return found

    def extended(
        self, case_kinds: Iterable[CaseKind], campaign_kinds: Iterable[CampaignKind]
    ) -> Vocabulary:
        """This vocabulary with the office's own kinds added (a code already known is
        replaced)."""
        cases = {k.code: k for k in (*self.case_kinds, *case_kinds)}
        campaigns = {k.code: k for k in (*self.campaign_kinds, *campaign_kinds)}
        return Vocabulary(tuple(cases.values()), tuple(campaigns.values()))


def _index(kinds: Iterable[K]) -> dict[str, K]:
    found: dict[str, K] = {}
    for item in kinds:
        names = [item.code, item.name, *item.aliases]
        for name in names:
            found.setdefault(_key(name), item)
    return found
