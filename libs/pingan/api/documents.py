"""Reports as documents, the same in every service: CSV (UTF-8 with a BOM, so that
spreadsheet programs read the Chinese; Chinese heads, English ones on request) and printable
HTML pages (Chinese first, every style inline, nothing fetched from the internet)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from fastapi.responses import Response

from pingan.api.i18n import Language

BOM = "\ufeff"
Column = tuple[str, str, Callable[[Any], object]]
"""A table's column: its Chinese head, its English head, and how a row gives its value."""

STYLE = """
body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; margin: 2em; color: #000; }
h1 { font-size: 1.5em; text-align: center; } h2 { font-size: 1.15em; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #444; padding: 0.2em 0.4em; text-align: right; }
th { background: #eee; } td.name { text-align: left; }
tr.total td { font-weight: bold; }
p.note { font-size: 0.8em; color: #333; }
@media print {
  body { margin: 0; } @page { size: A4 landscape; margin: 12mm; }
  tr, td, th { page-break-inside: avoid; } thead { display: table-header-group; }
}
"""


def cell(value: object) -> str:
    """A CSV cell; text a spreadsheet would take for a formula is quoted with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if isinstance(value, str) and text[:1] in ("=", "+", "-", "@") else text


def percent(value: object) -> str:
    return "" if value is None else f"{value}%"


def table_csv(columns: Sequence[Column], rows: Sequence[Any], language: Language) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([zh if language == "zh-CN" else en for zh, en, _ in columns])
    for row in rows:
        writer.writerow([cell(get(row)) for _, _, get in columns])
    return buffer.getvalue()


def csv_response(text: str, filename: str, language: Language) -> Response:
    return Response(
        content=BOM + text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Language": language,
            "Vary": "Accept-Language",
        },
    )


def td(value: object, name: bool = False, mark: bool = False) -> str:
    """A table cell: `name` for text (left-aligned), `mark` for a figure that stands out."""
    classes = " ".join(c for c, on in (("name", name), ("significant", mark)) if on)
    attr = f' class="{classes}"' if classes else ""
    return f"<td{attr}>{escape(str(value))}</td>"


def table_html(
    columns: Sequence[Column],
    rows: Sequence[Any],
    *,
    names: int = 1,
    total: Callable[[Any], bool] = lambda _: False,
) -> str:
    """A table with the Chinese heads; its first `names` columns are text."""
    head = "".join(f"<th>{escape(zh)}</th>" for zh, _, _ in columns)
    body = "".join(
        f"<tr{' class=total' if total(r) else ''}>"
        + "".join(
            td("" if (v := get(r)) is None else v, name=i < names)
            for i, (_, _, get) in enumerate(columns)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _shown(value: object) -> object:
    return "" if value is None else value


def page(title: str, body: str, style: str = STYLE) -> str:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{style}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )
