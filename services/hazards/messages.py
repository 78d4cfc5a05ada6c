"""The hazards service's texts: Chinese for its entities and rules (the words of its states
and actions are labels on each TRANSITIONS table)."""

from __future__ import annotations

from pingan.api.i18n import Catalogue, ProblemText, Text

_ENTITIES = {
    "hazard": "隐患",
    "key area": "重点整治区域",
    "round": "排查轮次",
    "monitoring task": "监测任务",
    "accident": "事故",
    "quarterly report": "季度报表",
}
# Accident grades as the rule texts name them, with and without their article.
_GRADES = {
    "general": "一般",
    "larger": "较大",
    "major": "重大",
    "especially major": "特别重大",
    "a general": "一般",
    "a larger": "较大",
    "a major": "重大",
    "an especially major": "特别重大",
}
# The levels an accident is reported on to (条例 art. 11).
_LEVELS = {"city": "设区的市级", "province": "省级", "state_council": "国务院"}

MESSAGES = Catalogue(
    problems={
        "file-number-taken": ProblemText(
            Text("档案编号已被占用", "File number in use"),
            Text(
                "档案编号 {number} 已由隐患 {holder} 使用",
                "the file number {number} is already held by hazard {holder}",
            ),
        ),
    },
    terms={**_ENTITIES, **_GRADES, **_LEVELS},
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
        "a batch cannot start before the day it is scheduled on": (
            "整治批次的开始日期不能早于排期当日"
        ),
        "a major hazard starts rectifying from its batch: schedule it first (分期分批)": (
            "重大隐患须先排入整治批次(分期分批)再开始整改"
        ),
        "a general hazard rated red on the risk matrix must state the reason for its grade": (
            "风险矩阵评为红色的隐患定为一般隐患时,须说明定级理由"
        ),
        "a major hazard must name the standard it was judged by (判定依据)": (
            "重大隐患须注明判定依据"
        ),
        "the hazard is under a suspension order (停产停业): lift it before closing": (
            "该隐患处于停产停业状态,须先恢复生产经营再销号"
        ),
        "only a major hazard is reported to the regulator or suspended": (
            "只有重大隐患需报告监管部门或责令停产停业"
        ),
        "a suspension order is already in force": "已有停产停业指令在执行",
        "no suspension order is in force": "没有正在执行的停产停业指令",
        "a failed assessment must give its reason": "评估不通过须说明原因",
        "resumption needs an expert assessment (专家评估) passed since the order": (
            "恢复生产经营须在停产停业后经专家评估通过"
        ),
        "the office's series of file numbers kept moving; retry": "档案编号序列正被同时使用,请重试",
        "only a general hazard may be rectified on the spot": "只有一般隐患可以立查立改",
        "a verification cannot be dated in the future": "验收日期不能晚于今天",
        "a failed verification must give its reason": "验收不通过须说明原因",
        "an extension request is already awaiting a decision": "已有延期申请待审批",
        "the requested deadline must be later than the current one": "申请的期限须晚于现有期限",
        "casualties and loss cannot be negative": "伤亡人数和损失不能为负数",
        "the time of the accident must carry its UTC offset": "事故时间须带时区",
        "an accident cannot be reported before it happens": "事故不能在发生前上报",
        "{deaths} deaths, {injuries} serious injuries and a direct loss of {loss} yuan make "
        "{grade} accident, not {severity}; the figures set the grade (条例 art. 3)": (
            "死亡 {deaths} 人、重伤 {injuries} 人、直接经济损失 {loss} 元,为{grade}事故,"
            "不是{severity}事故;事故等级由伤亡和损失确定 (条例第三条)"
        ),
        "the time the report was received must carry its UTC offset": "接报时间须带时区",
        "the report is received after the accident happens and not in the future": (
            "接报时间须在事故发生之后,且不晚于现在"
        ),
        "the report to the {level} level is already recorded": "已记录向{level}的报告",
        "{grade} accident is reported to {levels}, in that order; the next is {next}": (
            "{grade}事故依次上报 {levels};下一级为 {next}"
        ),
        "the time of the onward report must carry its UTC offset": "上报时间须带时区",
        "an onward report follows the district's receipt and the level before it, "
        "and is not in the future": "逐级上报须在区接报和上一级报告之后,且不晚于现在",
        "the revision changes none of the figures": "补报未改变任何数字",
        "changes in the casualties of a {kind} accident are taken within {days} days of it "
        "(条例 art. 13); they became final at {at}": (
            "伤亡人数变化须自事故发生之日起 {days} 日内补报 (条例第十三条);已于 {at} 确定"
        ),
        "the investigation's time may be extended only once": "调查期限只能延长一次",
        "an extension is 1 to 60 days (条例 art. 29)": "延长期限为 1 至 60 日 (条例第二十九条)",
        "the investigation's time ran out at {at}; an extension is approved before then": (
            "调查期限已于 {at} 届满;延期须在届满前批准"
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
        "only a failed sample takes a result date or a village": "只有不合格样品填写结果日期或村",
        "the failed result is received after the sample, by today": (
            "不合格结果的收到日期须在抽样之后,且不晚于今天"
        ),
        "a failed sample reported as a hazard needs the village where it was taken": (
            "作为隐患上报的不合格样品须注明抽样所在的村/社区"
        ),
        "a follow-up is due at least one day after the result": "核查处置期限至少为一天",
        "sample {number} is not a failed sample of this task": (
            "样品 {number} 不是本任务的不合格样品"
        ),
        "sample {number} is already followed up": "样品 {number} 已在核查处置",
        "sample {number} has no follow-up in this task": "样品 {number} 在本任务中没有核查处置",
        "the follow-up of sample {number} is already closed": "样品 {number} 的核查处置已办结",
        "a disposal cannot be dated in the future": "处置日期不能晚于今天",
        "a disposal cannot be dated before {day}, the follow-up's latest step": (
            "处置日期不能早于该核查处置上一步的日期 {day}"
        ),
        "a follow-up closes once a disposal is recorded": "记录处置措施后方可办结",
        "a follow-up closes after its latest step ({day}) and not in the future": (
            "办结日期须不早于上一步 ({day}),且不晚于今天"
        ),
        "the follow-ups of samples {numbers} are still open": "样品 {numbers} 的核查处置尚未办结",
        "a round must name at least one area": "排查轮次至少须包括一个区域",
        "a round names each area once": "排查轮次中每个区域只列一次",
        "a round cannot end before it starts": "排查轮次的结束不能早于开始",
        "the round has already recorded this hazard": "本轮排查已记录该隐患",
        "a round is closed with a summary": "结束排查轮次须附总结",
        "days cannot be negative": "天数不能为负数",
        "escalation days start at 1, the first day overdue": "升级天数从 1 开始,即逾期第一天",
        "escalation steps must come in ladder order": "升级步骤须按层级顺序排列",
        "the listing unit must be named": "须写明挂牌督办单位",
        "the hazard is not listed for supervision": "该隐患未挂牌督办",
        "a listing can only be raised to a higher level": "挂牌督办只能提升到更高一级",
        "raising a listing must give its reason": "提级挂牌督办须说明理由",
        "lifting a listing must give its reason": "摘牌须说明理由",
        "a quarter's report is issued after the quarter has ended": "季度报表须在该季度结束后签发",
        "a reissued report must give its reason": "重新签发报表须说明理由",
        "the figures have not changed since the last issue": "报表数据与上次签发相同,无需重新签发",
        "likelihood and severity run from 1 to 5": "可能性和严重程度的取值为 1 到 5",
        "occurred_from is after occurred_to": "起始日期晚于截止日期",
    },
)
