"""What each of the scoring service's facts is called in an audit trail, by aggregate and
event class: Chinese, and English."""

from __future__ import annotations

from pingan.write.domain import EventLabels, Label

EVENT_LABELS: EventLabels = {
    "Unit": {
        "Registered": Label("登记创建单位", "registered"),
        "Applied": Label("申报创建", "applied"),
        "Assessed": Label("考评", "assessed"),
        "Publicised": Label("命名公示", "notice published"),
        "ObjectionLodged": Label("公示异议", "objection lodged"),
        "ObjectionSettled": Label("异议处理", "objection settled"),
        "Named": Label("命名", "named"),
        "FollowedUp": Label("跟踪回访", "followed up"),
        "Upgraded": Label("升级达标", "upgraded"),
        "Reinspected": Label("复查", "re-inspected"),
        "IncidentRecorded": Label("记录摘牌事由", "incident recorded"),
        "IncidentCorrected": Label("更正摘牌事由", "incident corrected"),
        "TitleRevoked": Label("摘牌", "title revoked"),
        "AppealLodged": Label("提出申诉", "appeal lodged"),
        "AppealDecided": Label("申诉决定", "appeal decided"),
        "TitleRestored": Label("恢复称号", "title restored"),
    },
    "Incident": {
        "Noted": Label("登记事件", "noted"),
        "Matched": Label("对应创建单位", "matched to a unit"),
        "Escalated": Label("升级为摘牌事由", "escalated"),
        "Corrected": Label("更正", "corrected"),
    },
    "StarRating": {
        "Opened": Label("建立星级档案", "rating opened"),
        "CycleOpened": Label("开始年度评星", "year's cycle opened"),
        "StarAwarded": Label("评星", "star awarded"),
        "StarWithdrawn": Label("撤星", "star withdrawn"),
    },
}
