"""What each of the campaigns service's facts is called in an audit trail, by aggregate and
event class: Chinese, and English."""

from __future__ import annotations

from pingan.write.domain import EventLabels, Label

EVENT_LABELS: EventLabels = {
    "Campaign": {
        "Planned": Label("制定行动方案", "planned"),
        "Adjusted": Label("调整行动方案", "adjusted"),
        "Launched": Label("启动行动", "launched"),
        "CaseLinked": Label("计入案件", "case linked"),
        "Concluded": Label("行动总结", "concluded"),
    },
    "Case": {
        "Registered": Label("立案", "registered"),
        "Reclassified": Label("变更案件类别", "reclassified"),
        "FlaggedMajor": Label("认定重大治安案件", "flagged as major"),
        "Solved": Label("破案", "solved"),
        "SuspectsApprehended": Label("抓获嫌疑人", "suspects apprehended"),
        "GangsDismantled": Label("打掉团伙", "gangs dismantled"),
        "SeizuresRecorded": Label("记录缴获", "seizures recorded"),
        "Transferred": Label("移送起诉", "transferred for prosecution"),
        "Withdrawn": Label("撤案", "withdrawn"),
        "Closed": Label("结案", "closed"),
    },
    "MassIncident": {
        "Reported": Label("报告群体性事件", "reported"),
        "Resolved": Label("处置完毕", "resolved"),
    },
    "EarlyWarning": {
        "Raised": Label("发出预警", "raised"),
        "Acknowledged": Label("签收预警", "acknowledged"),
        "ResponseRecorded": Label("记录处置措施", "response recorded"),
        "Closed": Label("预警办结", "closed"),
    },
    "MonthlyTally": {
        "Opened": Label("开始月度统计", "month's tally opened"),
        "Counted": Label("计入案件", "case counted"),
        "Uncounted": Label("移出案件", "case uncounted"),
        "FigureLoaded": Label("录入历史数据", "figure loaded"),
        "Judged": Label("研判", "judged"),
    },
    "CountedCase": {
        "Counted": Label("计入统计", "counted"),
        "Moved": Label("改计其他月份或地区", "moved"),
        "Withdrawn": Label("撤出统计", "withdrawn"),
    },
    "CountHistory": {
        "Begun": Label("开始积累历史", "history begun"),
        "Reached": Label("统计至新月份", "month reached"),
        "Revised": Label("修正历史", "history revised"),
    },
    "MonthFigures": {
        "Opened": Label("开始录入月度数据", "month's figures opened"),
        "Loaded": Label("录入月度数据", "figures loaded"),
    },
}
