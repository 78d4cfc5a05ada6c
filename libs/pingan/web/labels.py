"""The words the pages show, Chinese first: the interface's own and the domain's codes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from pingan.api.i18n import Language
from pingan.service import UnknownService, get_service

Words = Mapping[str, tuple[str, str]]
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")

UI: Words = {
    "app": ("平安秦州 工作台", "Safe Qinzhou dashboard"),
    "overview": ("全区概览", "District overview"),
    "hazards": ("隐患台账", "Hazard register"),
    "campaigns": ("专项行动", "Campaigns"),
    "situation": ("治安形势月分析", "Monthly situation analysis"),
    "units": ("平安创建单位", "Safe units"),
    "revocations": ("摘牌记录", "Revocation log"),
    "map": ("乡镇示意图", "Township map"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出", "Sign out"),
    "token": ("令牌", "Token"),
    "login": ("账号", "Login"),
    "password": ("密码", "Password"),
    "or": ("或", "or"),
    "open_hazards": ("未销号隐患", "Open hazards"),
    "overdue_hazards": ("逾期隐患", "Overdue hazards"),
    "major_open": ("未销号重大隐患", "Open major hazards"),
    "active_warnings": ("未办结治安预警", "Active crime warnings"),
    "named_quarter": ("本季度命名", "Titles named this quarter"),
    "revoked_quarter": ("本季度摘牌", "Titles revoked this quarter"),
    "by_township": ("按乡镇(街道)", "By township"),
    "township": ("乡镇(街道)", "Township"),
    "village": ("村(社区)", "Village"),
    "grade": ("等级", "Grade"),
    "status": ("状态", "Status"),
    "category": ("类别", "Category"),
    "title": ("名称", "Title"),
    "deadline": ("整改期限", "Deadline"),
    "overdue": ("逾期", "Overdue"),
    "open_only": ("仅未销号", "Open only"),
    "filter": ("筛选", "Filter"),
    "all": ("全部", "All"),
    "total": ("合计", "Total"),
    "prev": ("上一页", "Previous"),
    "next": ("下一页", "Next"),
    "export_csv": ("导出 CSV", "Export CSV"),
    "export_xlsx": ("导出 Excel", "Export XLSX"),
    "report_hazard": ("上报隐患", "Report a hazard"),
    "submit": ("提交", "Submit"),
    "timeline": ("闭环进程", "Closed loop"),
    "history": ("操作记录", "Audit trail"),
    "evidence": ("佐证材料", "Evidence"),
    "no_evidence": ("尚无佐证材料", "No evidence yet"),
    "step_rectification": ("整改报告", "Rectification report"),
    "step_verification": ("验收", "Verification"),
    "actions": ("可办理事项", "Actions"),
    "done": ("已完成", "Done"),
    "recorded_at": ("记录时间", "Recorded"),
    "business_time": ("业务时间", "Business time"),
    "who": ("操作人", "By"),
    "event": ("事项", "Event"),
    "name": ("名称", "Name"),
    "kind": ("类别", "Kind"),
    "period": ("期间", "Period"),
    "cases": ("案件", "Cases"),
    "registered": ("立案", "Registered"),
    "solved": ("破案", "Solved"),
    "clearance": ("破案率", "Clearance"),
    "case_ledger": ("案件台账", "Case ledger"),
    "targets": ("目标任务完成情况", "Results against targets"),
    "target_measure": ("指标", "Measure"),
    "target": ("目标", "Target"),
    "actual": ("完成", "Actual"),
    "attained": ("完成率", "Attained"),
    "seizures": ("缴获", "Seizures"),
    "measure_cases_solved": ("破案数", "Cases solved"),
    "measure_clearance_rate": ("破案率 (%)", "Clearance rate (%)"),
    "measure_arrests": ("抓获犯罪嫌疑人", "Arrests"),
    "measure_gangs": ("打掉团伙", "Gangs dismantled"),
    "measure_drugs": ("毒品 (克)", "Drugs (g)"),
    "measure_guns": ("枪支 (支)", "Guns"),
    "measure_ammunition": ("弹药 (发)", "Ammunition (rounds)"),
    "measure_explosives": ("炸药 (千克)", "Explosives (kg)"),
    "measure_counterfeit_goods": ("假冒伪劣商品 (元)", "Counterfeit goods (yuan)"),
    "measure_fraud_money_recovered": ("追缴涉诈资金 (元)", "Fraud money recovered (yuan)"),
    "month": ("月份", "Month"),
    "warnings": ("预警", "Warnings"),
    "level": ("级别", "Level"),
    "unit_history": ("单位记录", "Unit history"),
    "revoked_on": ("摘牌日期", "Revoked on"),
    "reason": ("原因", "Reason"),
    "named_on": ("命名日期", "Named on"),
    "points": ("得分", "Points"),
    "live": ("实时更新", "Live"),
    "updated": ("有新变化,刷新查看", "Something changed: reload to see it"),
    "nothing": ("暂无记录", "Nothing yet"),
    "error": ("操作未成功", "That did not work"),
    "saved": ("已保存", "Saved"),
    "signed_in_as": ("当前用户", "Signed in as"),
    "language": ("English", "中文"),
    "map_note": (
        "示意图按乡镇(街道)相对位置排列,不表示行政边界。",
        "A schematic: tiles keep the townships' rough positions, not their boundaries.",
    ),
    "measure": ("着色依据", "Colour by"),
    "unavailable": ("该服务未启用", "This service is not running here"),
    "forbidden": ("无权查看", "Not allowed"),
    "sign_in_note": (
        "使用账号密码登录,或粘贴 pingan token 生成的令牌。",
        "Sign in with login and password, or paste a token from pingan token.",
    ),
    "file_number": ("档案编号", "File number"),
    "address": ("地址", "Address"),
    "reporter": ("举报人", "Reporter"),
    "source": ("来源", "Source"),
    "key_areas": ("重点整治区域", "Key areas"),
    "rounds": ("滚动排查", "Rolling rounds"),
    "monitoring": ("食品药品风险监测", "Food and drug monitoring"),
    "accidents": ("安全事故", "Accidents"),
    "warnings_page": ("治安预警", "Crime warnings"),
    "families": ("十星级平安家庭", "Ten-star families"),
    "league": ("单位评比", "League tables"),
    "reinspections": ("复查", "Re-inspections"),
    "quarterly": ("季度报告", "Quarterly report"),
    "standings": ("乡镇排名", "Township standings"),
    "rank": ("名次", "Rank"),
    "criminal": ("刑事案件", "criminal cases"),
    "public_order": ("治安案件", "public-order cases"),
    "case_trend": ("案件走势(累计)", "case trend (cumulative)"),
    "designated_on": ("确定日期", "Designated on"),
    "hazards_found": ("排查隐患", "Hazards found"),
    "hazards_closed": ("已销号", "Closed"),
    "share_closed": ("销号率", "Share closed"),
    "areas": ("排查范围", "Areas"),
    "starts_on": ("开始", "Starts"),
    "ends_on": ("结束", "Ends"),
    "organiser": ("组织单位", "Organiser"),
    "findings": ("发现隐患", "Findings"),
    "summary": ("总结", "Summary"),
    "product": ("品种", "Product"),
    "place": ("地点", "Place"),
    "samples": ("抽检批次", "Samples"),
    "failed": ("不合格", "Failed"),
    "risk_level": ("风险等级", "Risk level"),
    "warning_level": ("预警级别", "Warning level"),
    "follow_ups_open": ("待核查处置", "Open follow-ups"),
    "happened_at": ("发生时间", "Happened at"),
    "unit": ("单位", "Unit"),
    "severity": ("事故等级", "Severity"),
    "deaths": ("死亡", "Deaths"),
    "serious_injuries": ("重伤", "Serious injuries"),
    "direct_loss_yuan": ("直接经济损失(元)", "Direct loss (yuan)"),
    "major_case": ("重大治安案件", "Major case"),
    "year": ("年度", "Year"),
    "stars": ("星数", "Stars"),
    "star_names": ("星级", "Stars held"),
    "tier": ("档次", "Tier"),
    "assessed_on": ("考评日期", "Assessed on"),
    "reinspection_due": ("复查到期", "Re-inspection due"),
    "count": ("案件数", "Cases"),
    "baseline": ("历史均值", "Baseline"),
    "area": ("地区", "Area"),
    "acknowledge": ("签收预警", "Acknowledge"),
    "respond": ("记录处置措施", "Record a response"),
    "responses": ("处置措施", "Responses"),
    "cause": ("摘牌起因", "Cause"),
    "within_unit": ("发生于下级单位", "in a unit within"),
    "units_count": ("创建单位数", "Units"),
    "named_count": ("命名单位数", "Named"),
    "security": ("群众安全感", "Sense of security"),
    "revocations_count": ("摘牌数", "Revoked"),
    "hazards_due": ("到期隐患", "Hazards due"),
    "hazards_on_time": ("按期整改", "Closed on time"),
    "cases_registered": ("刑事立案", "Criminal cases"),
    "print": ("打印", "Print"),
    "quarter": ("季度", "Quarter"),
    "show": ("查看", "Show"),
}

CATEGORIES: Words = {
    "fire": ("防火", "fire"),
    "theft": ("防盗", "theft"),
    "explosion": ("防爆炸", "explosion"),
    "accident": ("防事故", "accident"),
    "food_drug": ("食品药品安全", "food and drugs"),
    "safe_production": ("安全生产", "safe production"),
    "flammable_explosive": ("易燃易爆物品", "flammable and explosive goods"),
    "transport": ("交通运输", "transport"),
    "prevention_facilities": ("防火防盗设施", "prevention facilities"),
    "public_order": ("治安", "public order"),
}

SOURCES: Words = {
    "self_check": ("自查", "self-check"),
    "inspection": ("排查", "inspection"),
    "public_report": ("群众举报", "public report"),
    "grid_worker": ("网格员", "grid worker"),
}

GRADES: Words = {"general": ("一般", "general"), "major": ("重大", "major")}

KEY_AREA_KINDS: Words = {
    "urban_rural_fringe": ("城乡结合部", "urban-rural fringe"),
    "urban_village": ("城中村", "urban village"),
    "industrial_mining": ("工矿区", "industrial and mining area"),
    "rental_housing": ("出租房屋集中区域", "rental-housing concentration"),
}

RISK_LEVELS: Words = {
    "low": ("低风险", "low"),
    "medium": ("中风险", "medium"),
    "high": ("高风险", "high"),
    "severe": ("严重风险", "severe"),
}

WARNING_LEVELS: Words = {
    "blue": ("蓝色预警", "blue"),
    "yellow": ("黄色预警", "yellow"),
    "orange": ("橙色预警", "orange"),
    "red": ("红色预警", "red"),
}

SEVERITIES: Words = {
    "general": ("一般事故", "general"),
    "larger": ("较大事故", "larger"),
    "major": ("重大事故", "major"),
    "especially_major": ("特别重大事故", "especially major"),
}

#: What stripped a title (摘牌制).
CAUSES: Words = {
    "major_case": ("重大治安案件", "major public-order case"),
    "safety_accident": ("安全生产事故", "safe-production accident"),
    "mass_incident": ("群体性事件", "mass incident"),
}

#: The ten stars of a 十星级平安和谐家庭.
STARS: Words = {
    "law": ("法纪星", "law"),
    "unity": ("团结星", "unity"),
    "learning": ("学习星", "learning"),
    "safety": ("安全星", "safety"),
    "care": ("关爱星", "care"),
    "prosperity": ("致富星", "prosperity"),
    "science": ("科技星", "science"),
    "environment": ("环保星", "environment"),
    "thrift": ("节俭星", "thrift"),
    "health": ("健康星", "health"),
}

UNIT_KINDS: Words = {
    "district": ("区", "district"),
    "street": ("街道", "street"),
    "township": ("乡镇", "township"),
    "community": ("社区", "community"),
    "village": ("村", "village"),
    "compound_old": ("老旧小区", "old compound"),
    "compound_new": ("新建小区", "new compound"),
    "organisation": ("机关单位", "organisation"),
    "enterprise": ("企业", "enterprise"),
    "industry": ("行业", "industry"),
    "hospital": ("医院", "hospital"),
    "market": ("市场", "market"),
    "school": ("学校", "school"),
    "family": ("家庭", "family"),
}


def word(words: Words, code: object, language: Language) -> str:
    if code is None:
        return ""
    pair = words.get(str(code))
    if pair is None:
        return str(code)
    return pair[0] if language == "zh-CN" else pair[1]


@cache
def _state_words(service: str, entity: str) -> Words:
    try:
        transitions = get_service(service).transitions.get(entity)
    except UnknownService:
        return {}
    if transitions is None:
        return {}
    return {str(state): (label.zh, label.en) for state, label in transitions.state_labels.items()}


def state(service: str, entity: str, code: object, language: Language) -> str:
    """A state's name as the aggregate's own transitions word it (and its refusals read)."""
    return word(_state_words(service, entity), code, language)


@cache
def _event_words(service: str, aggregate: str) -> Words:
    try:
        found = get_service(service).event_labels.get(aggregate, {})
    except UnknownService:
        return {}
    return {name: (label.zh, label.en) for name, label in found.items()}


def event(service: str, aggregate: str, name: str, language: Language) -> str:
    """An audit-trail fact in words, as the service labels its aggregate's events; a fact
    nobody labelled reads as its words, never as a class name run together."""
    pair = _event_words(service, aggregate).get(name)
    if pair is None:
        return CAMEL.sub(" ", name).lower()
    return pair[0] if language == "zh-CN" else pair[1]
