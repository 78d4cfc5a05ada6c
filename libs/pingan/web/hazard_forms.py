"""The hazard's closed-loop commands, as the hazard page offers them."""

from __future__ import annotations

from pingan.auth.actions import Action as A
from pingan.web.forms import Command, Field, today_field
from pingan.web.labels import CATEGORIES, GRADES, SOURCES

REJECTION = {"duplicate": ("重复上报", "duplicate"), "not_a_hazard": ("不属于隐患", "not a hazard")}

REPORT = Command(
    "report",
    "上报隐患",
    "Report a hazard",
    A.HAZARDS_REPORT,
    frozenset(),
    (
        Field("title", "隐患名称", "Title"),
        Field("category", "类别", "Category", "select", choices=CATEGORIES),
        Field("source", "来源", "Source", "select", choices=SOURCES),
        Field("township", "乡镇(街道)", "Township"),
        Field("village", "村(社区)", "Village or community"),
        Field("address", "地址", "Address"),
        Field("reporter", "举报人", "Reporter"),
        Field("description", "详细情况", "Details", "textarea", required=False),
    ),
)

COMMANDS = (
    Command(
        "file",
        "分类建档",
        "File",
        A.HAZARDS_MANAGE,
        frozenset({"reported"}),
        (
            Field("category", "类别", "Category", "select", choices=CATEGORIES),
            Field("grade", "等级", "Grade", "select", choices=GRADES),
            Field("likelihood", "可能性(1-5)", "Likelihood (1-5)", "number"),
            Field("severity", "严重性(1-5)", "Severity (1-5)", "number"),
            Field("determination_basis", "判定依据", "Determination basis", required=False),
            Field("grade_reason", "定级理由", "Grade reason", required=False),
        ),
    ),
    Command(
        "reject",
        "驳回",
        "Reject",
        A.HAZARDS_MANAGE,
        frozenset({"reported"}),
        (
            Field("reason", "原因", "Reason", "select", choices=REJECTION),
            Field("explanation", "说明", "Explanation", "textarea"),
        ),
    ),
    Command(
        "plan",
        "制定方案",
        "Make the plan",
        A.HAZARDS_MANAGE,
        frozenset({"filed"}),
        (
            Field("measures", "整改措施", "Measures", "textarea"),
            Field("deadline", "整改期限", "Deadline", "date"),
            Field("responsible_person", "责任人", "Responsible person", required=False),
            Field("funds_yuan", "整改资金(元)", "Funds (yuan)", required=False),
            Field("contingency_plan", "应急预案", "Contingency plan", required=False),
        ),
    ),
    Command(
        "responsibility",
        "落实责任",
        "Assign responsibility",
        A.HAZARDS_MANAGE,
        frozenset({"planned"}),
        (
            Field("responsible_unit", "责任单位", "Responsible unit"),
            Field("responsible_person", "责任人", "Responsible person"),
        ),
    ),
    Command(
        "start",
        "开始整改",
        "Start rectifying",
        A.HAZARDS_MANAGE,
        frozenset({"assigned", "scheduled"}),
    ),
    Command(
        "rectification",
        "报告整改完成",
        "Report the rectification",
        A.HAZARDS_MANAGE,
        frozenset({"rectifying"}),
        (Field("summary", "整改情况", "What was done", "textarea"),),
    ),
    Command(
        "verification",
        "验收",
        "Verify",
        A.HAZARDS_VERIFY,
        frozenset({"rectification_reported"}),
        (
            Field("inspector", "验收人", "Inspector"),
            today_field("verified_on", "验收日期", "Verified on"),
            Field("passed", "验收通过", "Passed", "checkbox", required=False),
            Field("notes", "意见", "Notes", "textarea", required=False),
        ),
    ),
    Command(
        "close",
        "销号",
        "Close",
        A.HAZARDS_MANAGE,
        frozenset({"verified"}),
        (Field("closed_by", "销号人", "Closed by"),),
    ),
)

BY_SLUG = {c.slug: c for c in COMMANDS}

#: The closed loop's steps in order, as the timeline shows them.
LOOP = (
    "reported",
    "filed",
    "planned",
    "assigned",
    "rectifying",
    "rectification_reported",
    "verified",
    "closed",
)
