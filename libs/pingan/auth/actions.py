"""The actions a route may declare: what the authorisation table grants to roles.

Each names a kind of work as the district divides it between offices; `pingan.auth.rules`
holds the table of roles allowed each.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from pingan.auth.principal import ROLE_TITLES


class Action(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed_in"
    ACCOUNTS_MANAGE = "accounts.manage"
    PERSONAL_DATA_MANAGE = "personal_data.manage"
    OPERATIONS_READ = "operations.read"
    HAZARDS_READ = "hazards.read"
    HAZARDS_REPORT = "hazards.report"
    HAZARDS_MANAGE = "hazards.manage"
    HAZARDS_VERIFY = "hazards.verify"
    HAZARDS_SUPERVISE = "hazards.supervise"
    HAZARDS_RULES = "hazards.rules"
    HAZARDS_ISSUE_REPORTS = "hazards.issue_reports"
    ROUNDS_MANAGE = "rounds.manage"
    KEY_AREAS_DESIGNATE = "key_areas.designate"
    KEY_AREAS_RECTIFY = "key_areas.rectify"
    KEY_AREAS_REVIEW = "key_areas.review"
    MONITORING_RECORD = "monitoring.record"
    MONITORING_WARN = "monitoring.warn"
    ACCIDENTS_REPORT = "accidents.report"
    ACCIDENTS_INVESTIGATE = "accidents.investigate"
    CAMPAIGNS_READ = "campaigns.read"
    CAMPAIGNS_ACT = "campaigns.act"
    CAMPAIGNS_PLAN = "campaigns.plan"
    INCIDENTS_REPORT = "incidents.report"
    SITUATION_READ = "situation.read"
    SITUATION_LOAD_FIGURES = "situation.load_figures"
    WARNINGS_RESPOND = "warnings.respond"
    WARNINGS_CLOSE = "warnings.close"
    SCORING_READ = "scoring.read"
    SCORING_REGISTER = "scoring.register"
    SCORING_ASSESS = "scoring.assess"
    SCORING_CONFER = "scoring.confer"
    SCORING_STARS = "scoring.stars"


#: How each action is named to a person: English here, Chinese in the platform's terms.
ACTION_NAMES: Mapping[Action, tuple[str, str]] = {
    Action.PUBLIC: ("open to all", "公开访问"),
    Action.SIGNED_IN: ("use the system", "使用本系统"),
    Action.ACCOUNTS_MANAGE: ("manage accounts", "管理账号"),
    Action.PERSONAL_DATA_MANAGE: ("audit and erase personal data", "个人信息查阅审计与删除"),
    Action.OPERATIONS_READ: ("read the operations status", "查看运行状态"),
    Action.HAZARDS_READ: ("read hazards", "查看隐患台账"),
    Action.HAZARDS_REPORT: ("report hazards", "上报隐患"),
    Action.HAZARDS_MANAGE: ("handle hazards", "办理隐患整改"),
    Action.HAZARDS_VERIFY: ("verify rectifications", "验收隐患整改"),
    Action.HAZARDS_SUPERVISE: ("supervise hazards", "挂牌督办与延期审批"),
    Action.HAZARDS_RULES: ("change the deadline rules", "修改期限规则"),
    Action.HAZARDS_ISSUE_REPORTS: ("issue the quarterly hazard report", "签发隐患季度报表"),
    Action.ROUNDS_MANAGE: ("organise investigation rounds", "组织滚动排查"),
    Action.KEY_AREAS_DESIGNATE: ("designate key areas", "确定重点整治区域"),
    Action.KEY_AREAS_RECTIFY: ("plan key-area rectification", "制定重点区域整治方案"),
    Action.KEY_AREAS_REVIEW: ("review key areas", "评估重点区域整治"),
    Action.MONITORING_RECORD: ("record risk monitoring", "记录风险监测"),
    Action.MONITORING_WARN: ("issue risk warnings", "发布风险预警"),
    Action.ACCIDENTS_REPORT: ("report accidents", "上报安全事故"),
    Action.ACCIDENTS_INVESTIGATE: ("investigate accidents", "调查处理安全事故"),
    Action.CAMPAIGNS_READ: ("read campaigns", "查看专项行动"),
    Action.CAMPAIGNS_ACT: ("act in campaigns", "办理专项行动与案件"),
    Action.CAMPAIGNS_PLAN: ("plan and conclude campaigns", "部署与总结专项行动"),
    Action.INCIDENTS_REPORT: ("report mass incidents", "报告群体性事件"),
    Action.SITUATION_READ: ("read the situation analysis", "查看治安形势分析"),
    Action.SITUATION_LOAD_FIGURES: ("load past monthly figures", "导入历史月度案件数"),
    Action.WARNINGS_RESPOND: ("acknowledge and answer warnings", "签收与处置治安预警"),
    Action.WARNINGS_CLOSE: ("close warnings", "办结治安预警"),
    Action.SCORING_READ: ("read safe-creation records", "查看平安创建"),
    Action.SCORING_REGISTER: ("register creation units", "登记创建单位"),
    Action.SCORING_ASSESS: ("assess creation units", "考评创建单位"),
    Action.SCORING_CONFER: ("confer and revoke titles", "命名与摘牌"),
    Action.SCORING_STARS: ("award and withdraw family stars", "评定平安家庭星级"),
}

#: The Chinese of the words a refusal carries, for the platform's catalogue.
TERMS: Mapping[str, str] = {
    **{english: chinese for english, chinese in ACTION_NAMES.values()},
    **{role.value: title for role, title in ROLE_TITLES.items()},
    "no township": "无辖区",
}
