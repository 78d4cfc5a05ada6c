"""The hazards service's texts: Chinese for its entities, states, actions and rules."""

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
_STATES = {
    "reported": "已上报",
    "rejected": "已退回",
    "filed": "已建档",
    "planned": "已制定方案",
    "assigned": "已落实责任",
    "scheduled": "已排期",
    "rectifying": "整改中",
    "rectification_reported": "已报整改",
    "verified": "已验收",
    "closed": "已关闭",
    "investigated": "调查结论已作出",
    "designated": "确定为重点整治区域",
    "under_rectification": "整治中",
    "reviewed": "已复查",
    "delisted": "已摘帽销号",
    "monitoring": "监测中",
    "assessed": "已评估",
    "warning": "预警中",
    "open": "排查中",
}
# Actions as the API names them (the path after the record's id) and as the model names them.
_ACTIONS = {
    "/file": "分类建档",
    "/reject": "退回",
    "/plan": "制定方案",
    "/responsibility": "落实责任",
    "/schedule": "排期整治",
    "/start": "开始整改",
    "/interim-controls": "记录临时管控措施",
    "/rectification": "上报整改",
    "/verification": "验收",
    "/close": "关闭",
    "/extension-request": "申请延期",
    "/extension-decision": "审批延期",
    "/listing": "挂牌督办",
    "/listing/raise": "提级挂牌督办",
    "/listing/lift": "摘牌",
    "/investigation": "作出调查结论",
    "/reclassification": "重新定级",
    "/delist": "摘帽销号",
    "/reviews": "复查",
    "/assessment": "风险评估",
    "/samples": "记录抽检结果",
    "/warning": "发布预警",
    "/warning/lift": "解除预警",
    "/findings": "记录排查发现",
    "/regulator-report": "报告监管部门",
    "/suspension": "责令停产停业",
    "/resumption-assessment": "复产专家评估",
    "/resumption": "恢复生产经营",
    "file": "分类建档",
    "reject": "退回",
    "plan": "制定方案",
    "rectify_on_spot": "立查立改",
    "assign_responsibility": "落实责任",
    "schedule": "排期整治",
    "start_rectification": "开始整改",
    "record_interim_control": "记录临时管控措施",
    "report_rectification": "上报整改",
    "verify": "验收",
    "close": "关闭",
    "request_extension": "申请延期",
    "decide_extension": "审批延期",
    "list_for_supervision": "挂牌督办",
    "raise_listing": "提级挂牌督办",
    "lift_listing": "摘牌",
    "report_to_regulator": "报告监管部门",
    "order_suspension": "责令停产停业",
    "assess_for_resumption": "复产专家评估",
    "lift_suspension": "恢复生产经营",
}

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
    terms={**_ENTITIES, **_STATES, **_ACTIONS},
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
        "the accident is already graded {severity}": "该事故已定为 {severity} 级",
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
