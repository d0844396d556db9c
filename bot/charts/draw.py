# matplotlib.dates and the Agg canvas leave several functions unannotated; calling them is allowed in this module.
# mypy: disable-error-code="no-untyped-call"
"""The /timeline chart: one PNG of every commitment on a shared time axis, drawn off-screen with Agg.

Only matplotlib's object API is used (a ``Figure`` with its own ``FigureCanvasAgg``), never pyplot, so the bot
can render in a worker thread while it serves other chats. Two charts are never drawn at the same time, though:
matplotlib shares font objects and text-layout caches between threads, and two concurrent draws were seen to
produce a (slightly) different picture. The picture's pixel size
depends only on the number of rows, never on the text in them, so a chat always gets the same shape of image.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_month_names
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from PIL import Image

from bot.charts.model import MAX_ROWS, REPORT_ORDER, STATE_ORDER, ChartLabels, Row, chart_labels, ordered, pick, row_of
from bot.charts.shapes import CONFLICT_COLOUR, MARKS, NOW_COLOUR, STATE_COLOURS, WARN, Shapes, row_box
from tracking.state import instant

DPI = 120
WIDTH_IN = 11.0
# One chart at a time per process (module doc): /timeline is rare, a second request waits a second or two.
_RENDERING = threading.Lock()
_LABEL_IN = 3.9  # width of the row-label column
_HEADER_IN = 1.25  # title and a legend of up to three lines
_TOP_TICKS_IN = 0.3  # tall charts repeat the date axis on top
_TOP_TICKS_FROM = 30  # rows
_FOOTER_IN = 0.55  # axis tick labels and the time-zone note
_ROW_MAX_IN = 0.40
_ROW_MIN_IN = 0.16
_DAY = dt.timedelta(days=1)

# --- geometry ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    rows: int
    row_in: float
    font: float
    height_in: float


def _header_in(rows: int) -> float:
    return _HEADER_IN + (_TOP_TICKS_IN if rows > _TOP_TICKS_FROM else 0.0)


def _layout(rows: int) -> _Layout:
    """Row height and font shrink as rows grow, so 200 rows stay legible and the picture stays bounded."""
    row_in = max(_ROW_MIN_IN, min(_ROW_MAX_IN, 7.0 / max(rows, 1)))
    font = max(6.5, min(9.5, row_in * 72 * 0.55))
    height = _header_in(rows) + _FOOTER_IN + rows * row_in + 0.15
    return _Layout(rows=rows, row_in=row_in, font=font, height_in=height)


_CHAR_WIDTHS: dict[tuple[str, float, str], float] = {}


def _text_width(text: str, prop: FontProperties, renderer: RendererAgg) -> float:
    """Pixel width as the sum of cached glyph widths: shaping whole strings costs ~2 ms each, 200 rows add up.

    Single glyphs include their side bearings, so the sum errs on the wide side, which is the safe side here.
    """
    size, weight = float(prop.get_size_in_points()), str(prop.get_weight())
    total = 0.0
    for char in text:
        key = (char, size, weight)
        width = _CHAR_WIDTHS.get(key)
        if width is None:
            width = float(renderer.get_text_width_height_descent(char, prop, ismath=False)[0])
            if char == " ":  # a lone space measures as nothing
                width = float(renderer.get_text_width_height_descent("a a", prop, ismath=False)[0])
                width -= 2 * float(renderer.get_text_width_height_descent("a", prop, ismath=False)[0])
            _CHAR_WIDTHS[key] = width
        total += width
    return total


def _fit(text: str, width_px: float, prop: FontProperties, renderer: RendererAgg) -> str:
    """``text`` shortened with "…" until it is at most ``width_px`` wide in ``prop``."""
    if _text_width(text, prop, renderer) <= width_px:
        return text
    budget = width_px - _text_width("…", prop, renderer)
    used, cut = 0.0, 0
    for char in text:
        used += _text_width(char, prop, renderer)
        if used > budget:
            break
        cut += 1
    return text[:cut].rstrip(" ,;:—-") + "…"


_MARKER = re.compile(r"\x01([md])(\d\d)\x02")


class _LocalDateFormatter(ConciseDateFormatter):
    """ConciseDateFormatter with month names from Babel, so German ticks read "Mär" whatever the process locale."""

    def __init__(self, locator: AutoDateLocator, tz: ZoneInfo, language: str) -> None:
        month, day = "\x01m%m\x02", "\x01d%d\x02"
        if language == "de":
            zero = ["", "%Y", month, f"{day}. {month}", "%H:%M", "%H:%M"]
            offset = ["", "%Y", f"{month} %Y", f"{day}. {month} %Y", f"{day}. {month} %Y", f"{day}. {month} %Y %H:%M"]
        else:
            zero = ["", "%Y", month, f"{month} {day}", "%H:%M", "%H:%M"]
            offset = ["", "%Y", f"{month} %Y", f"{month} {day}, %Y", f"{month} {day}, %Y", f"{month} {day}, %Y %H:%M"]
        formats = ["%Y", month, day, "%H:%M", "%H:%M", "%S.%f"]
        super().__init__(locator, tz=tz, formats=formats, zero_formats=zero, offset_formats=offset)
        self._months = dict(get_month_names("abbreviated", "stand-alone", "de" if language == "de" else "en"))

    def _local(self, text: str) -> str:
        def swap(match: re.Match[str]) -> str:
            number = int(match.group(2))
            return self._months[number] if match.group(1) == "m" else str(number)

        return _MARKER.sub(swap, text)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self._local(super().__call__(x, pos))

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        return [self._local(s) for s in super().format_ticks(values)]

    def get_offset(self) -> str:
        return self._local(super().get_offset())


# --- drawing ----------------------------------------------------------------------------------------------------


def _empty_figure(labels: ChartLabels) -> Figure:
    fig = Figure(figsize=(6.0, 1.6), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, labels.empty, ha="center", va="center", fontsize=14, color="#333333")
    return fig


def _span(rows: Sequence[Row], at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    moments = [at]
    for row in rows:
        moments.extend(m for m in (row.start, row.end, row.due) if m is not None)
        moments.extend(when for _, when in row.reports)
    low, high = min(moments), max(moments)
    if high - low < 14 * _DAY:
        middle = low + (high - low) / 2
        low, high = middle - 7 * _DAY, middle + 7 * _DAY
    return low, high


def timeline_figure(
    items: Sequence[Mapping[str, Any]], *, at: dt.datetime, tz: ZoneInfo, language: str = "en"
) -> Figure:
    """The chart as a Figure (with an Agg canvas attached); :func:`timeline_png` is what the bot sends."""
    labels = chart_labels(language)
    at = instant(at, tz)
    if not items:
        return _empty_figure(labels)

    everything = [row_of(item, tz) for item in items]
    rows = ordered(pick(everything, MAX_ROWS))
    hidden = len(everything) - len(rows)
    geo = _layout(len(rows))
    fig = Figure(figsize=(WIDTH_IN, geo.height_in), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    height = geo.height_in
    plot_bottom = _FOOTER_IN / height
    plot_top = 1 - _header_in(len(rows)) / height
    ax = fig.add_axes((_LABEL_IN / WIDTH_IN, plot_bottom, 1 - (_LABEL_IN + 0.25) / WIDTH_IN, plot_top - plot_bottom))

    low, high = _span(rows, at)
    span = high - low
    fade = max(span * 0.06, _DAY)
    pad = span * 0.04
    ax.set_xlim(float(date2num(low - pad)), float(date2num(high + fade + pad)))
    ax.set_ylim(len(rows) - 0.5, -0.5)  # first row at the top

    marker_pt = max(geo.row_in * 72 * 0.4, 6.5)
    xlim = ax.get_xlim()
    shapes = Shapes()
    for y in range(0, len(rows), 2):
        shapes.shade.append(row_box(xlim[0], xlim[1], y, 1.0))

    present_states: set[str] = set()
    present_reports: set[str] = set()
    any_open = any_one_off = False
    for y, row in enumerate(rows):
        if row.start is not None or row.end is not None:
            present_states.add(row.state)
            if row.start is not None and row.end is not None:
                shapes.bar(row.state, row.start, max(row.end, row.start + dt.timedelta(hours=6)), y, edge=True)
            else:
                any_open = True
                shapes.open_bar(row, y, at, fade)
        if row.due is not None:
            present_states.add(row.state)
            any_one_off = True
            shapes.diamonds.setdefault(row.state, []).append((float(date2num(row.due)), y))
        if not row.dated:
            # The note goes to whichever edge of the row its report marks leave free.
            left_edge = low - pad + (span + fade + 2 * pad) * 0.2
            at_left = not any(when < left_edge for _, when in row.reports)
            ax.text(
                0.006 if at_left else 0.994,
                y,
                labels.no_dates,
                transform=ax.get_yaxis_transform(),
                va="center",
                ha="left" if at_left else "right",
                fontsize=geo.font * 0.9,
                fontstyle="italic",
                color="#6b6b6b",
                zorder=4,
            )
        present_reports.update(shapes.reports(row.reports, y))
    shapes.draw(ax, marker_pt, geo.font)

    now_x = float(date2num(at))
    ax.axvline(now_x, color=NOW_COLOUR, linestyle=(0, (4, 2)), linewidth=1.3, zorder=10, gid="now")
    ax.annotate(
        f" {labels.now} ",
        (now_x, 1.0),
        xycoords=ax.get_xaxis_transform(),
        xytext=(0, 24 if len(rows) > _TOP_TICKS_FROM else 3),
        textcoords="offset points",
        va="bottom",
        ha="center",
        fontsize=8.5,
        fontweight="bold",
        color="white",
        bbox={"boxstyle": "round,pad=0.2", "facecolor": NOW_COLOUR, "edgecolor": "none"},
        zorder=11,
        annotation_clip=False,
    )

    _axes_style(ax, rows, geo, tz, language)
    _row_labels(ax, rows, geo, canvas.get_renderer())
    _header(fig, labels, at, tz, language, present_states, present_reports, any_open, any_one_off, rows, height)
    footer = labels.time_zone.format(tz=tz.key)
    if hidden:
        footer += " · " + labels.more(hidden)
    fig.text(0.01, 0.12 / height, footer, fontsize=8, color="#555555", ha="left", va="bottom")
    return fig


def _axes_style(ax: Any, rows: Sequence[Row], geo: _Layout, tz: ZoneInfo, language: str) -> None:
    locator = AutoDateLocator(tz=tz, minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(_LocalDateFormatter(locator, tz, language))
    ax.grid(axis="x", color="#d9d9d9", linewidth=0.6, zorder=1)
    ax.set_axisbelow(True)
    ax.tick_params(axis="x", labelsize=8.5, labeltop=len(rows) > _TOP_TICKS_FROM, top=len(rows) > _TOP_TICKS_FROM)
    ax.tick_params(axis="y", length=0, labelsize=geo.font, pad=4)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color("#9e9e9e")
    ax.spines["bottom"].set_color("#9e9e9e")


def row_labels(ax: Axes) -> list[Text]:
    """The row labels of a chart made by :func:`timeline_figure`, top row first."""
    return [t for t in ax.texts if t.get_gid() == "row-label"]


def _row_labels(ax: Axes, rows: Sequence[Row], geo: _Layout, renderer: RendererAgg) -> None:
    """ "#12 title" per row, cut to the label column; rows with conflicting reports get ⚠N in bold orange.

    Plain texts rather than tick labels: 200 tick objects, each measured again for layout, cost about a second.
    """
    plain = FontProperties(size=geo.font)
    bold = FontProperties(size=geo.font, weight="bold")
    width_px = (_LABEL_IN - 0.15) * DPI
    ax.set_yticks([])
    for y, row in enumerate(rows):
        prefix = f"{WARN}{row.conflicts} " if row.conflicts else ""
        text = _fit(f"{prefix}#{row.id} {row.label}", width_px, bold if row.conflicts else plain, renderer)
        ax.annotate(
            text,
            (0, y),
            xycoords=ax.get_yaxis_transform(),
            xytext=(-4, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontproperties=bold if row.conflicts else plain,
            color=CONFLICT_COLOUR if row.conflicts else "#222222",
            annotation_clip=False,
            gid="row-label",
        )


def _header(
    fig: Figure,
    labels: ChartLabels,
    at: dt.datetime,
    tz: ZoneInfo,
    language: str,
    states: set[str],
    reports: set[str],
    any_open: bool,
    any_one_off: bool,
    rows: Sequence[Row],
    height: float,
) -> None:
    locale = "de" if language == "de" else "en"
    pattern = "d. MMM y, HH:mm" if locale == "de" else "d MMM y, HH:mm"
    when = format_datetime(at, pattern, tzinfo=tz, locale=locale)
    fig.text(
        0.01,
        1 - 0.12 / height,
        labels.title.format(when=when),
        fontsize=12,
        fontweight="bold",
        ha="left",
        va="top",
        color="#222222",
    )
    handles: list[Any] = []
    for state in STATE_ORDER:
        if state in states:
            handles.append(
                Patch(
                    facecolor=STATE_COLOURS[state],
                    edgecolor="#555555",
                    linewidth=0.4,
                    hatch="////" if state == "proposed" else None,
                    label=labels.states[state],
                )
            )
    if any_open:
        handles.append(Patch(facecolor="#3182bd", alpha=0.35, edgecolor="none", label=labels.open_ended))
    if any_one_off:
        handles.append(
            Line2D(
                [],
                [],
                marker="D",
                color="#9e9e9e",
                markeredgecolor="#333333",
                linestyle="none",
                markersize=7,
                label=labels.one_off,
            )
        )
    for kind in REPORT_ORDER:
        if kind in reports:
            mark = MARKS[kind]
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=mark.marker,
                    color=mark.face,
                    markeredgecolor=mark.edge,
                    markersize=8 * mark.size,
                    linestyle="none",
                    label=labels.reports[kind],
                )
            )
    if any(row.conflicts for row in rows):
        handles.append(
            Line2D([], [], marker="$⚠$", color=CONFLICT_COLOUR, linestyle="none", markersize=9, label=labels.conflicts)
        )
    handles.append(Line2D([], [], color=NOW_COLOUR, linestyle=(0, (4, 2)), linewidth=1.3, label=labels.now))
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.005, 1 - 0.42 / height),
        ncol=6,
        fontsize=8,
        frameon=False,
        handlelength=1.6,
        columnspacing=1.2,
        borderaxespad=0.0,
    )


def timeline_png(items: Sequence[Mapping[str, Any]], *, at: dt.datetime, tz: ZoneInfo, language: str = "en") -> bytes:
    """The /timeline picture as PNG bytes; its pixel size depends only on how many rows are drawn."""
    with _RENDERING:
        fig = timeline_figure(items, at=at, tz=tz, language=language)
        canvas = fig.canvas
        assert isinstance(canvas, FigureCanvasAgg)
        canvas.draw()
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    # A chart has few colours: a 256-colour palette keeps text crisp and makes the file a fraction of RGB's size.
    buffer = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        buffer, format="PNG", compress_level=6
    )
    return buffer.getvalue()
