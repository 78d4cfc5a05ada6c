"""The analysis and the report as documents (`pingan.api.documents`): CSV with Chinese heads,
English ones on request, and a printable HTML page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from campaigns.projections.analysis import (
    TOTAL,
    CampaignProgress,
    Comparison,
    Level,
    MonthlyAnalysis,
    QuarterlyReport,
    QuarterRow,
    SituationRow,
)
from campaigns.projections.situation import MonthWarning
from pingan.api.documents import Column, csv_response, page, percent, table_csv
from pingan.api.documents import td as _td
from pingan.api.i18n import Language

__all__ = ["csv_response", "monthly_csv", "monthly_html", "quarterly_csv", "quarterly_html"]

LEVELS = {
    Level.CELL: ("乡镇×案别", "township × kind"),
    Level.TOWNSHIP: ("乡镇合计", "township total"),
    Level.KIND: ("全区分案别", "kind, district"),
    Level.DISTRICT: ("全区合计", "district total"),
}
CATEGORIES = {"criminal": ("刑事", "criminal"), "public_order": ("治安", "public order")}


def signed(n: int) -> str:
    return f"{n:+d}"


def _cmp(name: str, zh: str, en: str) -> list[Column]:
    def part(attr: str, fmt: Callable[[Any], object] = str) -> Callable[[Any], object]:
        return lambda r: fmt(getattr(getattr(r, name), attr))

    return [
        (f"{zh}基数", f"{en} base", part("base")),
        # A number, not "+2": a spreadsheet sums it, and no sign is taken for a formula.
        (f"{zh}增减", f"{en} difference", part("difference")),
        (f"{zh}增幅", f"{en} change %", part("percent", percent)),
        (f"{zh}P值", f"{en} p-value", part("p_value")),
        (f"{zh}显著", f"{en} significant", part("significant", lambda b: "是" if b else "")),
    ]


def _level(language: Language) -> Callable[[Any], object]:
    i = 0 if language == "zh-CN" else 1
    return lambda r: LEVELS[r.level][i]


def monthly_columns(language: Language) -> list[Column]:
    i = 0 if language == "zh-CN" else 1
    return [
        ("层级", "level", _level(language)),
        ("乡镇(街道)", "township", lambda r: r.township or ("全区" if i == 0 else "district")),
        ("类别", "category", lambda r: CATEGORIES[r.category.value][i]),
        ("案别", "kind", lambda r: r.kind_name or ("合计" if i == 0 else "all kinds")),
        ("本月立案数", "registered", lambda r: r.registered),
        ("其中已破", "of which solved", lambda r: r.solved),
        *_cmp("month_on_month", "环比", "month on month"),
        *_cmp("year_on_year", "同比", "year on year"),
        ("累计", "year to date", lambda r: r.year_to_date),
        *_cmp("year_to_date_on_last_year", "累计同比", "year to date on last year"),
    ]


def quarterly_columns(language: Language) -> list[Column]:
    def get(name: str, fmt: Callable[[Any], object] = str) -> Callable[[Any], object]:
        return lambda r: fmt(getattr(r, name))

    return [
        ("乡镇(街道)", "township", get("township")),
        ("刑事案件立案数", "criminal registered", get("criminal_registered")),
        ("去年同期", "same quarter last year", get("criminal_registered_last_year")),
        ("同比增减", "difference", lambda r: r.criminal_on_last_year.difference),
        ("同比增幅", "change %", lambda r: percent(r.criminal_on_last_year.percent)),
        ("同比P值", "p-value", lambda r: r.criminal_on_last_year.p_value),
        ("破案数", "solved", get("criminal_solved")),
        ("其中本期立案", "of which registered in quarter", get("criminal_current_solved")),
        ("破案率", "clearance rate", get("criminal_clearance_rate", percent)),
        ("现行破案率", "current clearance rate", get("criminal_current_clearance_rate", percent)),
        ("治安案件受理数", "public-order accepted", get("public_order_registered")),
        ("治安案件查结数", "public-order concluded", get("public_order_solved")),
        ("命案发案数", "homicides", get("homicide_registered")),
        ("现行命案破案数", "current homicides solved", get("homicide_current_solved")),
        (
            "现行命案破案率",
            "current homicide clearance",
            get("homicide_current_clearance_rate", percent),
        ),
        ("命案积案破案数", "old homicides solved", get("homicide_old_solved")),
    ]


def monthly_csv(analysis: MonthlyAnalysis, language: Language) -> str:
    return table_csv(monthly_columns(language), analysis.rows, language)


def quarterly_csv(report: QuarterlyReport, language: Language) -> str:
    return table_csv(quarterly_columns(language), [*report.rows, report.total], language)


# ---- HTML ----------------------------------------------------------------------------------

STYLE = """
body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; margin: 2em; color: #000; }
h1 { font-size: 1.5em; text-align: center; } h2 { font-size: 1.15em; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #444; padding: 0.2em 0.4em; text-align: right; }
th { background: #eee; } td.name { text-align: left; }
tr.total td { font-weight: bold; } .significant { font-weight: bold; color: #a00; }
p.note { font-size: 0.8em; color: #333; }
@media print {
  body { margin: 0; } @page { size: A4 landscape; margin: 12mm; }
  tr, td, th { page-break-inside: avoid; } thead { display: table-header-group; }
  .significant { color: #000; text-decoration: underline; }
}
"""

NOTE = (
    "说明：增减为本期减基数；增幅仅在基数不少于10时列出；P值为双侧条件二项（泊松）检验，"
    "P&lt;0.05 为显著（加粗）。撤案不计，改变案别的计入新案别。"
)


def _cmp_cells(c: Comparison) -> str:
    return "".join(
        _td(v, mark=c.significant)
        for v in (c.base, signed(c.difference), percent(c.percent), c.p_value)
    )


def _monthly_table(rows: Sequence[SituationRow]) -> str:
    head = (
        "<thead><tr><th rowspan=2>层级</th><th rowspan=2>乡镇(街道)</th><th rowspan=2>类别</th>"
        "<th rowspan=2>案别</th><th rowspan=2>本月立案</th><th rowspan=2>已破</th>"
        "<th colspan=4>环比（上月）</th><th colspan=4>同比（去年同月）</th>"
        "<th rowspan=2>累计</th><th colspan=4>累计同比</th></tr><tr>"
        + "<th>基数</th><th>增减</th><th>增幅</th><th>P值</th>" * 3
        + "</tr></thead>"
    )
    body = []
    for r in rows:
        total = r.level is not Level.CELL
        body.append(
            f"<tr{' class=total' if total else ''}>"
            + _td(LEVELS[r.level][0], name=True)
            + _td(r.township or "全区", name=True)
            + _td(CATEGORIES[r.category.value][0], name=True)
            + _td(r.kind_name or "合计", name=True)
            + _td(r.registered)
            + _td(r.solved)
            + _cmp_cells(r.month_on_month)
            + _cmp_cells(r.year_on_year)
            + _td(r.year_to_date)
            + _cmp_cells(r.year_to_date_on_last_year)
            + "</tr>"
        )
    return f"<table>{head}<tbody>{''.join(body)}</tbody></table>"


def _warnings(warnings: Sequence[MonthWarning]) -> str:
    if not warnings:
        return "<p>本期无预警。</p>"
    items = "".join(
        f"<tr>{_td(w.township or '全区', True)}{_td(w.kind or '合计', True)}"
        f"{_td(w.status, True)}{_td(w.summary, True)}</tr>"
        for w in warnings
    )
    return (
        "<table><thead><tr><th>乡镇(街道)</th><th>案别</th><th>状态</th><th>内容</th></tr>"
        f"</thead><tbody>{items}</tbody></table>"
    )


def _campaigns(campaigns: Sequence[CampaignProgress]) -> str:
    if not campaigns:
        return "<p>本期无专项行动。</p>"
    rows = []
    for c in campaigns:
        targets = "；".join(
            f"{t.measure} {t.actual}/{t.target}（{t.attained}%）" for t in c.targets
        )
        rows.append(
            "<tr>"
            + _td(c.name, True)
            + _td(c.kind_name, True)
            + _td(c.status, True)
            + _td(f"{c.starts_on}—{c.ends_on}", True)
            + "".join(
                _td(v)
                for v in (
                    c.registered,
                    c.solved,
                    percent(c.clearance_rate),
                    percent(c.current_clearance_rate),
                    c.arrests,
                    c.gangs,
                )
            )
            + _td(targets, True)
            + "</tr>"
        )
    return (
        "<table><thead><tr><th>专项行动</th><th>类别</th><th>状态</th><th>期间</th>"
        "<th>立案</th><th>破案</th><th>破案率</th><th>现行破案率</th><th>抓获</th>"
        "<th>打掉团伙</th><th>目标完成</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def monthly_html(analysis: MonthlyAnalysis) -> str:
    year, month = analysis.month.split("-")
    scope = analysis.township or "全区"
    title = f"{scope}{year}年{int(month)}月治安形势分析"
    body = (
        "<h2>一、案件情况对比</h2>"
        + _monthly_table(analysis.rows)
        + f'<p class="note">{NOTE}</p>'
        + "<h2>二、预警情况</h2>"
        + _warnings(analysis.warnings)
        + "<h2>三、专项行动进展</h2>"
        + _campaigns(analysis.campaigns)
    )
    return page(title, body, STYLE)


def _quarter_table(rows: Sequence[QuarterRow]) -> str:
    columns = quarterly_columns("zh-CN")
    head = "".join(f"<th>{escape(zh)}</th>" for zh, _, _ in columns)
    body = "".join(
        f"<tr{' class=total' if r.township == TOTAL else ''}>"
        + "".join(_td(get(r), name=i == 0) for i, (_, _, get) in enumerate(columns))
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def quarterly_html(report: QuarterlyReport) -> str:
    title = f"{report.year}年第{report.quarter}季度治安形势报告"
    t = report.total
    homicide = (
        f"<p>命案发案 {t.homicide_registered} 起，现行命案破案 {t.homicide_current_solved} 起"
        f"（现行命案破案率 {percent(t.homicide_current_clearance_rate) or '—'}），"
        f"破命案积案 {t.homicide_old_solved} 起。</p>"
    )
    body = (
        "<h2>一、案件情况</h2>"
        + _quarter_table([*report.rows, report.total])
        + f'<p class="note">{NOTE}</p>'
        + "<h2>二、命案侦破</h2>"
        + homicide
        + "<h2>三、预警情况</h2>"
        + _warnings(report.warnings)
        + "<h2>四、专项行动进展</h2>"
        + _campaigns(report.campaigns)
    )
    return page(title, body, STYLE)
