"""Every table of the dashboard as CSV (UTF-8 with BOM, for spreadsheet programs) or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from urllib.parse import quote

from fastapi import Response
from openpyxl import Workbook
from openpyxl.styles import Font

Cell = str | int | float | None
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_csv(heads: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(heads)
    writer.writerows(["" if c is None else c for c in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode()


def as_xlsx(title: str, heads: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = title[:31]
    sheet.append(list(heads))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(
    name: str, fmt: str, title: str, heads: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> Response:
    if fmt == "xlsx":
        body, media = as_xlsx(title, heads, rows), XLSX
    else:
        body, media, fmt = as_csv(heads, rows), "text/csv; charset=utf-8", "csv"
    disposition = f"attachment; filename=\"{name}.{fmt}\"; filename*=UTF-8''{quote(title)}.{fmt}"
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})
