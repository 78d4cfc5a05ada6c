"""The campaigns service's texts: Chinese for its entities and rules (states and actions
are labelled in their transition tables)."""

from __future__ import annotations

from pingan.api.i18n import Catalogue

_ENTITIES = {
    "campaign": "专项行动",
    "case": "案件",
    "mass incident": "群体性事件",
    "warning": "治安预警",
}

MESSAGES = Catalogue(
    terms=_ENTITIES,
    details={
        "unknown case kind {kind}": "未知的案件类别:{kind}",
        "unknown campaign kind {kind}": "未知的专项行动类别:{kind}",
        "a campaign cannot end before it starts": "专项行动的结束日期不能早于开始日期",
        "a campaign names each township once": "专项行动的每个乡镇只列一次",
        "a campaign cannot be launched after its period has ended": "专项行动期限已过,不能启动",
        "a running campaign keeps its start date": "开展中的专项行动不能变更开始日期",
        "the adjustment changes nothing": "调整内容与现有内容相同",
        "the case is already linked to this campaign": "该案件已关联本专项行动",
        "a campaign cannot conclude before it was launched": "专项行动的总结日期不能早于启动日期",
        "a target cannot be negative": "目标不能为负数",
        "a clearance rate target lies between 0 and 100 per cent": "破案率目标应在 0 到 100 之间",
        "a seized quantity must be more than zero": "缴获数量须大于零",
        "{type} are counted in whole {unit}": "{type} 须以整数计",
        "a drug seizure names its drug, and only a drug seizure does": (
            "缴获毒品须注明毒品种类,其他缴获不注明"
        ),
        "the time of the case must carry its UTC offset": "发案时间须带时区",
        "a case cannot be registered before it happened": "立案日期不能早于发案时间",
        "casualties and loss cannot be negative": "伤亡人数和损失不能为负数",
        "the reclassification changes nothing": "变更内容与现有内容相同",
        "the case is already major": "该案件已是重大治安案件",
        "at least one suspect is apprehended": "抓获人数至少为 1",
        "more suspects are named than apprehended": "登记的嫌疑人多于抓获人数",
        "at least one gang is dismantled": "打掉团伙数至少为 1",
        "a seizure record names at least one seizure": "缴获记录至少包括一项",
        "only a criminal case is transferred for prosecution": "只有刑事案件可以移送起诉",
        "at least one suspect is transferred": "移送人数至少为 1",
        "a case cannot be transferred before it was solved": "移送起诉日期不能早于破案日期",
        "a case cannot be closed before it was solved": "结案日期不能早于破案日期",
        "a fact of a case cannot be dated before its registration": (
            "案件事项的日期不能早于立案日期"
        ),
        "the time of the incident must carry its UTC offset": "事件时间须带时区",
        "an incident cannot be reported before it happens": "事件不能在发生前报告",
        "a mass incident has participants": "群体性事件须有参与人数",
        "an incident cannot be resolved before it happened": "处置日期不能早于事件发生",
        "registered_from is after registered_to": "起始日期晚于截止日期",
        "the linked case does not exist: {id}": "所关联的案件不存在:{id}",
        "a response says what was done": "处置措施须写明所做工作",
        "past figures are for months before this one": "历史数据只能导入本月之前的月份",
        "the figures name each township and kind once": "每个乡镇的每类案件只能填报一次",
        "a count cannot be negative": "案件数不能为负数",
    },
)
