"""What each of the hazards service's facts is called in an audit trail, by aggregate and
event class: Chinese, and English."""

from __future__ import annotations

from pingan.write.domain import EventLabels, Label

EVENT_LABELS: EventLabels = {
    "Hazard": {
        "Reported": Label("上报", "reported"),
        "Rejected": Label("驳回", "rejected"),
        "Filed": Label("分类建档", "filed"),
        "Planned": Label("制定方案", "plan made"),
        "ResponsibilityAssigned": Label("落实责任", "responsibility assigned"),
        "Scheduled": Label("分期分批", "scheduled"),
        "RectificationStarted": Label("开始整改", "rectification started"),
        "InterimControlRecorded": Label("临时管控", "interim control"),
        "RectificationReported": Label("报告整改完成", "rectification reported"),
        "VerificationPassed": Label("验收通过", "verification passed"),
        "VerificationFailed": Label("验收未通过,退回整改", "verification failed"),
        "Closed": Label("销号", "closed"),
        "ExtensionRequested": Label("申请延期", "extension requested"),
        "ExtensionApproved": Label("批准延期", "extension approved"),
        "ExtensionRejected": Label("驳回延期", "extension rejected"),
        "DeadlineApproaching": Label("临期提醒", "deadline approaching"),
        "BecameOverdue": Label("逾期", "overdue"),
        "Escalated": Label("逾期升级", "escalated"),
        "ListedForSupervision": Label("挂牌督办", "listed for supervision"),
        "ListingRaised": Label("提级督办", "listing raised"),
        "ListingLifted": Label("解除督办", "listing lifted"),
        "ReportedToRegulator": Label("报告监管部门", "reported to the regulator"),
        "SuspensionOrdered": Label("停产停业", "suspension ordered"),
        "ResumptionAssessed": Label("复产评估", "resumption assessed"),
        "SuspensionLifted": Label("复产复业", "suspension lifted"),
    },
    "KeyArea": {
        "Designated": Label("确定为重点整治区域", "designated"),
        "RectificationPlanned": Label("制定整治方案", "rectification planned"),
        "HazardLinked": Label("关联隐患", "hazard linked"),
        "HazardStruckOff": Label("隐患销号", "hazard struck off"),
        "Reviewed": Label("整治评估", "reviewed"),
        "Delisted": Label("摘帽退出", "delisted"),
    },
    "KeyAreaName": {"Reserved": Label("登记区域名称", "name reserved")},
    "InvestigationRound": {
        "Opened": Label("开始排查", "round opened"),
        "FindingRecorded": Label("记录排查发现", "finding recorded"),
        "Closed": Label("排查总结", "round closed"),
    },
    "RiskMonitoring": {
        "Started": Label("开始监测", "monitoring started"),
        "SampleRecorded": Label("记录抽检结果", "sample recorded"),
        "RiskAssessed": Label("风险评估", "risk assessed"),
        "WarningIssued": Label("发布风险预警", "warning issued"),
        "WarningLifted": Label("解除风险预警", "warning lifted"),
        "FollowUpOpened": Label("开始核查处置", "follow-up opened"),
        "DisposalRecorded": Label("记录处置情况", "disposal recorded"),
        "FollowUpClosed": Label("核查处置完毕", "follow-up closed"),
        "ReportedAsHazard": Label("转为隐患", "reported as a hazard"),
        "Closed": Label("监测结束", "monitoring closed"),
    },
    "SafetyAccident": {
        "Reported": Label("事故报告", "reported"),
        "Reclassified": Label("调整事故等级", "reclassified"),
        "FiguresRevised": Label("核定伤亡损失", "figures revised"),
        "ReportedOnward": Label("逐级上报", "reported onward"),
        "ReportOverdue": Label("迟报", "report overdue"),
        "OnwardReportOverdue": Label("上报超时", "onward report overdue"),
        "InvestigationExtended": Label("延长调查期限", "investigation extended"),
        "InvestigationOverdue": Label("调查超期", "investigation overdue"),
        "InvestigationConcluded": Label("调查结案", "investigation concluded"),
        "Closed": Label("事故结案", "closed"),
    },
    "FileNumber": {"Reserved": Label("预留档案编号", "file number reserved")},
    "FileNumberSequence": {
        "Started": Label("启用年度编号", "year's numbering started"),
        "Issued": Label("发放档案编号", "file number issued"),
    },
    "DeadlinePolicy": {
        "Set": Label("设定整改期限规则", "deadline policy set"),
        "Changed": Label("修改整改期限规则", "deadline policy changed"),
    },
    "QuarterlyReport": {
        "Issued": Label("发布季度报告", "quarterly report issued"),
        "Reissued": Label("重新发布季度报告", "quarterly report reissued"),
    },
}
