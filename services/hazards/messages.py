"""The hazards service's texts: Chinese for its entities and rules (the words of its states
and actions are labels on each TRANSITIONS table)."""

from __future__ import annotations

from pingan.api.i18n import Catalogue

_ENTITIES = {
    "hazard": "隐患",
    "key area": "重点整治区域",
    "round": "排查轮次",
    "monitoring task": "监测任务",
    "accident": "事故",
}
# Accident grades as the rule texts name them, with and without their article.
_GRADES = {
    "general": "一般",
    "larger": "较大",
    "major": "重大",
    "especially major": "特别重大",
    "a larger": "较大",
    "a major": "重大",
    "an especially major": "特别重大",
}
MESSAGES = Catalogue(
    terms={**_ENTITIES, **_GRADES},
    details={
        "the deadline cannot be in the past": "整改期限不能早于今天",
        "the hazard has no deadline yet": "该隐患尚未确定整改期限",
        "the verifier of a rectification must be neither the person who reported the hazard "
        "nor the one who reported its rectification": "验收人不得是该隐患的上报人或整改的报告人",
        "a duplicate must name the hazard it duplicates": "重复上报须注明与哪条隐患重复",
        "only a duplicate names the hazard it duplicates": "只有重复上报才注明重复的隐患",
        "a hazard cannot duplicate itself": "隐患不能与自身重复",
        "the duplicated hazard does not exist: {id}": "所注明的重复隐患不存在:{id}",
        "the batch cannot start after the hazard's deadline": "整治批次的开始日期不能晚于整改期限",
        "only a general hazard may be rectified on the spot": "只有一般隐患可以立查立改",
        "a verification cannot be dated in the future": "验收日期不能晚于今天",
        "a failed verification must give its reason": "验收不通过须说明原因",
        "an extension request is already awaiting a decision": "已有延期申请待审批",
        "the requested deadline must be later than the current one": "申请的期限须晚于现有期限",
        "casualties and loss cannot be negative": "伤亡人数和损失不能为负数",
        "the time of the accident must carry its UTC offset": "事故时间须带时区",
        "an accident cannot be reported before it happens": "事故不能在发生前上报",
        "the accident is already graded {severity}": "该事故已定为{severity}事故",
        "{deaths} deaths, {injuries} serious injuries and a direct loss of {loss} yuan make "
        "at least {grade} accident, not {given}": (
            "死亡 {deaths} 人、重伤 {injuries} 人、直接经济损失 {loss} 元,"
            "至少应定为{grade}事故,不能定为{given}事故"
        ),
        "the conclusion date cannot be in the future": "结论日期不能晚于今天",
        "the investigation cannot conclude before the accident happened": (
            "调查结论不能早于事故发生"
        ),
        "a review cannot be dated in the future": "复查日期不能晚于今天",
        "a delisting must give its reason": "摘帽销号须说明理由",
        "the monitoring period cannot end before it starts": "监测期的结束不能早于开始",
        "sample {number} is already recorded in this task": "样品 {number} 已在本任务中记录",
        "a sample cannot be taken in the future": "抽样时间不能晚于现在",
        "a failed sample must name the indicator that failed": "不合格样品须注明不合格指标",
        "a risk assessment needs at least one sampling result": "风险评估至少需要一条抽检结果",
        "a round must name at least one area": "排查轮次至少须包括一个区域",
        "a round names each area once": "排查轮次中每个区域只列一次",
        "a round cannot end before it starts": "排查轮次的结束不能早于开始",
        "the round has already recorded this hazard": "本轮排查已记录该隐患",
        "a round is closed with a summary": "结束排查轮次须附总结",
        "days cannot be negative": "天数不能为负数",
        "escalation days start at 1, the first day overdue": "升级天数从 1 开始,即逾期第一天",
        "escalation steps must come in ladder order": "升级步骤须按层级顺序排列",
        "likelihood and severity run from 1 to 5": "可能性和严重程度的取值为 1 到 5",
        "occurred_from is after occurred_to": "起始日期晚于截止日期",
    },
)
