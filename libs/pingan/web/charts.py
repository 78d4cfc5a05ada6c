"""Charts drawn on the server as SVG: no script library, readable with scripts off."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: Sequence[float]


def line_chart(
    labels: Sequence[str], series: Sequence[Series], *, title: str, width: int = 640
) -> str:
    """Cumulative lines over `labels`, with axes, ticks and a legend; `title` names it for
    screen readers."""
    height, left, right, top, bottom = 260, 44, 12, 16, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((v for s in series for v in s.values), default=0) or 1
    step = plot_w / max(1, len(labels) - 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return top + plot_h - v / peak * plot_h

    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        'class="chart" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#374151"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#374151"/>',
    ]
    # Counts are whole: a tick at a fraction would print a repeated, rounded label.
    for value in sorted({round(peak * tick / 4) for tick in range(5)}):
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="#374151">{value:.0f}</text>'
        )
    every = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'font-size="11" fill="#374151">{escape(label)}</text>'
            )
    for s in series:
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s.values))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{s.colour}" stroke-width="2.5"/>'
        )
    for n, s in enumerate(series):
        lx = left + n * 140
        parts.append(
            f'<rect x="{lx}" y="{height - 16}" width="12" height="12" fill="{s.colour}"/>'
            f'<text x="{lx + 18}" y="{height - 6}" font-size="12" fill="#111827">'
            f"{escape(s.name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def gauge(share: float | None, *, title: str, width: int = 240) -> str:
    """A horizontal bar of a share (clearance rate) with its percentage."""
    value = 0.0 if share is None else max(0.0, min(1.0, share))
    text = "—" if share is None else f"{share * 100:.1f}%"
    return (
        f'<svg viewBox="0 0 {width} 36" role="img" aria-label="{escape(title)} {text}" '
        'class="gauge" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)} {text}</title>"
        f'<rect x="0" y="8" width="{width - 70}" height="18" fill="#e5e7eb"/>'
        f'<rect x="0" y="8" width="{(width - 70) * value:.1f}" height="18" fill="#1d4ed8"/>'
        f'<text x="{width - 64}" y="23" font-size="14" fill="#111827">{text}</text></svg>'
    )
