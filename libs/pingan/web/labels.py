"""The words the pages show, Chinese first: the interface's own and the domain's codes."""

from __future__ import annotations

from collections.abc import Mapping

from pingan.api.i18n import Language

Words = Mapping[str, tuple[str, str]]

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

#: The closed loop (闭环) in its order.
STATUSES: Words = {
    "reported": ("已上报", "reported"),
    "filed": ("已建档", "filed"),
    "planned": ("已制定方案", "plan made"),
    "assigned": ("已落实责任", "responsibility assigned"),
    "scheduled": ("已分批", "scheduled"),
    "rectifying": ("整改中", "rectifying"),
    "rectification_reported": ("已报整改", "rectification reported"),
    "verified": ("已验收", "verified"),
    "closed": ("已销号", "closed"),
    "rejected": ("已驳回", "rejected"),
}

CAMPAIGN_STATUSES: Words = {
    "planned": ("已部署", "planned"),
    "launched": ("进行中", "running"),
    "concluded": ("已总结", "concluded"),
}

UNIT_STATUSES: Words = {
    "registered": ("已登记", "registered"),
    "applied": ("已申报", "applied"),
    "assessed": ("已考评", "assessed"),
    "in_notice": ("公示中", "in public notice"),
    "named": ("已命名", "named"),
    "failed": ("未通过", "failed"),
    "revoked": ("已摘牌", "revoked"),
}

WARNING_STATUSES: Words = {
    "raised": ("已发出", "raised"),
    "acknowledged": ("已签收", "acknowledged"),
    "responded": ("已处置", "responded"),
    "closed": ("已办结", "closed"),
}


#: The hazard's facts as its audit trail names them; others show their own name.
EVENTS: Words = {
    "Reported": ("上报", "reported"),
    "Rejected": ("驳回", "rejected"),
    "Filed": ("分类建档", "filed"),
    "Planned": ("制定方案", "plan made"),
    "ResponsibilityAssigned": ("落实责任", "responsibility assigned"),
    "Scheduled": ("分期分批", "scheduled"),
    "RectificationStarted": ("开始整改", "rectification started"),
    "InterimControlRecorded": ("临时管控", "interim control"),
    "RectificationReported": ("报告整改完成", "rectification reported"),
    "VerificationPassed": ("验收通过", "verification passed"),
    "VerificationFailed": ("验收未通过,退回整改", "verification failed"),
    "Closed": ("销号", "closed"),
    "ExtensionRequested": ("申请延期", "extension requested"),
    "ExtensionApproved": ("批准延期", "extension approved"),
    "ExtensionRejected": ("驳回延期", "extension rejected"),
    "DeadlineApproaching": ("临期提醒", "deadline approaching"),
    "BecameOverdue": ("逾期", "overdue"),
    "Escalated": ("逾期升级", "escalated"),
    "ListedForSupervision": ("挂牌督办", "listed for supervision"),
    "ListingRaised": ("提级督办", "listing raised"),
    "ListingLifted": ("摘牌", "listing lifted"),
    "ReportedToRegulator": ("报告监管部门", "reported to the regulator"),
    "SuspensionOrdered": ("停产停业", "suspension ordered"),
    "ResumptionAssessed": ("复产评估", "resumption assessed"),
    "SuspensionLifted": ("复产复业", "suspension lifted"),
}


def word(words: Words, code: object, language: Language) -> str:
    if code is None:
        return ""
    pair = words.get(str(code))
    if pair is None:
        return str(code)
    return pair[0] if language == "zh-CN" else pair[1]
