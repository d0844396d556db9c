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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_month_names
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from PIL import Image

from articles.model import parse_moment
from articles.plausible import clamp
from bot.i18n import N_, Ctx, Language
from tracking.state import instant

__all__ = ["MAX_ROWS", "ChartLabels", "chart_labels", "row_labels", "timeline_figure", "timeline_png"]

DPI = 120
WIDTH_IN = 11.0
# One chart at a time per process (module doc): /timeline is rare, a second request waits a second or two.
_RENDERING = threading.Lock()
MAX_ROWS = 200  # more rows than this cannot be read in one picture: the least pressing ones are left out
_LABEL_IN = 3.9  # width of the row-label column
_HEADER_IN = 1.25  # title and a legend of up to three lines
_TOP_TICKS_IN = 0.3  # tall charts repeat the date axis on top
_TOP_TICKS_FROM = 30  # rows
_FOOTER_IN = 0.55  # axis tick labels and the time-zone note
_ROW_MAX_IN = 0.40
_ROW_MIN_IN = 0.16
_DAY = dt.timedelta(days=1)

STATE_COLOURS: dict[str, str] = {
    "proposed": "#cfcfcf",
    "upcoming": "#9ecae1",
    "active": "#3182bd",
    "lapsed": "#a3a3a3",
    "due": "#fdae6b",
    "overdue": "#d94801",
    "fulfilled": "#41ab5d",
}
_STATE_ORDER = tuple(STATE_COLOURS)
# Pressing first: used only to choose which rows stay when there are more than MAX_ROWS.
_URGENCY = {"overdue": 0, "due": 1, "active": 2, "upcoming": 3, "proposed": 4, "fulfilled": 5, "lapsed": 6}


@dataclass(frozen=True, slots=True)
class _Mark:
    marker: str
    face: str
    edge: str
    size: float  # relative to the row's marker size
    z: int


# Violation claims must stand out on any bar colour: big red crosses with a white rim, drawn on top.
_MARKS: dict[str, _Mark] = {
    "violation": _Mark("X", "#e31a1c", "white", 1.15, 9),
    "fulfilment": _Mark("P", "#006d2c", "white", 1.05, 8),
    "compliance": _Mark("o", "#74c476", "#1b5e20", 0.8, 7),
    "extension": _Mark(">", "#6a51a3", "white", 0.9, 7),
    "expiry": _Mark("s", "#525252", "white", 0.75, 7),
    "denial": _Mark("v", "#8c8c8c", "white", 0.85, 6),
    "reaction": _Mark("o", "#bdbdbd", "#737373", 0.55, 6),
}
_REPORT_ORDER = tuple(_MARKS)
_CONFLICT = "#c2410c"
_NOW = "#111111"
_WARN = "⚠"


# The chart's own words for states and report kinds. Most are the bot's words; where a legend has room for less
# ("due", not "due today") or says more ("violation claimed", not "violation"), the chart keeps a msgid of its own.
_STATE_WORDS: dict[str, str] = {
    "proposed": N_("proposed"),
    "upcoming": N_("upcoming"),
    "active": N_("in force"),
    "lapsed": N_("lapsed"),
    # TRANSLATORS: a commitment's state in the chart's legend and a calendar event: its due date has come.
    "due": N_("due"),
    "overdue": N_("overdue"),
    "fulfilled": N_("fulfilled"),
}
_REPORT_WORDS: dict[str, str] = {
    "violation": N_("violation claimed"),
    "fulfilment": N_("fulfilment reported"),
    "compliance": N_("compliance"),
    "extension": N_("extension"),
    "expiry": N_("expiry"),
    "denial": N_("denial"),
    "reaction": N_("reaction"),
}


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """Every word the chart shows, in one language, taken from the message catalog once per chart."""

    language: Language
    title: str
    empty: str
    now: str
    no_dates: str
    one_off: str
    open_ended: str
    conflicts: str
    time_zone: str
    states: dict[str, str]
    reports: dict[str, str]

    def more(self, count: int) -> str:
        """The footer's note on rows left out: a count, so its words follow the language's plural rules."""
        text = Ctx.of(self.language).n_(
            "{count} more not shown (least pressing)", "{count} more not shown (least pressing)", count
        )
        return text.format(count=count)


def chart_labels(language: str) -> ChartLabels:
    """The chart's words for ``language``; anything but German falls back to English."""
    ctx = Ctx.of(language)
    return ChartLabels(
        language=ctx.language,
        # TRANSLATORS: the chart's title; {when} is a date and time such as "22 Mar 2025, 13:00".
        title=ctx._("Ceasefire commitments — as of {when}"),
        empty=ctx._("Nothing tracked yet."),
        # TRANSLATORS: the label on the chart's line for the present moment; keep it short.
        now=ctx._("now"),
        no_dates=ctx._("no dates"),
        one_off=ctx._("one-off act (due date)"),
        open_ended=ctx._("no end date"),
        conflicts=ctx._("conflicting reports"),
        # TRANSLATORS: under the chart; {tz} is a time zone name such as "Europe/Berlin".
        time_zone=ctx._("Dates in {tz}"),
        states={state: ctx._(word) for state, word in _STATE_WORDS.items()},
        reports={kind: ctx._(word) for kind, word in _REPORT_WORDS.items()},
    )


# --- rows -------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    id: int
    label: str
    state: str
    conflicts: int
    start: dt.datetime | None
    end: dt.datetime | None
    due: dt.datetime | None
    reports: list[tuple[str, dt.datetime]]

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None or self.due is not None

    def first(self) -> dt.datetime | None:
        return min((m for m in (self.start, self.due, self.end) if m is not None), default=None)


def _moment(text: Any, tz: ZoneInfo, *, day_at_noon: bool = False) -> dt.datetime | None:
    """An aware instant from an ISO string; a bare day is its midnight (a boundary) or its noon (an event on it)."""
    if not isinstance(text, str) or not text:
        return None
    try:
        value = parse_moment(text)
    except ValueError:
        return None
    if value is None:
        return None
    # Clamped into 1900–2100: a year 9999 left in an older database would overflow the axis arithmetic (and
    # break the chart for every chat); it is drawn at the edge instead.
    moment = clamp(instant(value, tz))
    if day_at_noon and not isinstance(value, dt.datetime):
        moment += dt.timedelta(hours=12)
    return moment


def _row(item: Mapping[str, Any], tz: ZoneInfo) -> _Row:
    reports: list[tuple[str, dt.datetime]] = []
    for report in item.get("reports") or ():
        when = _moment(report.get("date"), tz, day_at_noon=True)
        kind = str(report.get("kind"))
        if when is not None:
            reports.append((kind if kind in _MARKS else "reaction", when))
    start = _moment(item.get("start"), tz)
    end = _moment(item.get("end"), tz)
    if start is not None and end is not None and end < start:
        start, end = end, start
    state = str(item.get("state"))
    return _Row(
        id=int(item.get("id") or 0),
        label=str(item.get("title") or "?"),
        state=state if state in STATE_COLOURS else "proposed",
        conflicts=len(item.get("conflicts") or ()),
        start=start,
        end=end,
        due=_moment(item.get("due"), tz, day_at_noon=True),
        reports=reports,
    )


def _pick(rows: list[_Row], limit: int) -> list[_Row]:
    """At most ``limit`` rows, keeping the most pressing and, among equals, the most recent."""
    if len(rows) <= limit:
        return rows

    def key(row: _Row) -> tuple[int, float]:
        first = row.first()
        return (_URGENCY.get(row.state, 9), -first.timestamp() if first is not None else 0.0)

    return sorted(rows, key=key)[:limit]


def _ordered(rows: Iterable[_Row]) -> list[_Row]:
    """Earliest first, like a Gantt chart; rows without dates of their own go last."""
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(rows, key=lambda r: (not r.dated, r.first() or far, r.id))


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


def _span(rows: Sequence[_Row], at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
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

    everything = [_row(item, tz) for item in items]
    rows = _ordered(_pick(everything, MAX_ROWS))
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
    shapes = _Shapes()
    for y in range(0, len(rows), 2):
        shapes.shade.append(_box(xlim[0], xlim[1], y, 1.0))

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
    ax.axvline(now_x, color=_NOW, linestyle=(0, (4, 2)), linewidth=1.3, zorder=10, gid="now")
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
        bbox={"boxstyle": "round,pad=0.2", "facecolor": _NOW, "edgecolor": "none"},
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


_BAR_H = 0.62  # of a row
_FADE_STEPS = 6


def _box(x0: float, x1: float, y: float, height: float = _BAR_H) -> list[tuple[float, float]]:
    top, bottom = y - height / 2, y + height / 2
    return [(x0, top), (x1, top), (x1, bottom), (x0, bottom)]


@dataclass(slots=True)
class _Shapes:
    """Everything drawn in the plot area, collected first and drawn as a few collections.

    One artist per kind of shape rather than per bar or mark: with 200 rows that is the difference between
    several hundred artists (seconds to build and draw) and a dozen.
    """

    shade: list[list[tuple[float, float]]] = field(default_factory=list)
    boxes: list[list[tuple[float, float]]] = field(default_factory=list)
    colours: list[tuple[float, float, float, float]] = field(default_factory=list)
    edges: list[str] = field(default_factory=list)
    hatched: list[list[tuple[float, float]]] = field(default_factory=list)
    diamonds: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    marks: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    counts: list[tuple[float, int, int]] = field(default_factory=list)

    def bar(self, state: str, left: dt.datetime, right: dt.datetime, y: int, *, edge: bool, alpha: float = 1.0) -> None:
        box = _box(float(date2num(left)), float(date2num(right)), y)
        self.boxes.append(box)
        self.colours.append(to_rgba(STATE_COLOURS[state], alpha))
        self.edges.append("#555555" if edge else "none")
        if state == "proposed" and alpha == 1.0:
            self.hatched.append(box)

    def open_bar(self, row: _Row, y: int, at: dt.datetime, fade: dt.timedelta) -> None:
        """One end unknown: solid where the period is known to run, then fading out towards the unknown side."""
        if row.start is not None:
            solid_from, solid_to = row.start, max(at, row.start)
            fade_from, step = solid_to, fade / _FADE_STEPS
        else:
            assert row.end is not None
            solid_from, solid_to = row.end - fade, row.end
            fade_from, step = solid_from, -fade / _FADE_STEPS
        if solid_to > solid_from:
            self.bar(row.state, solid_from, solid_to, y, edge=False)
        for i in range(_FADE_STEPS):
            a, b = fade_from + step * i, fade_from + step * (i + 1)
            self.bar(row.state, min(a, b), max(a, b), y, edge=False, alpha=0.85 - 0.14 * i)

    def reports(self, reports: Sequence[tuple[str, dt.datetime]], y: int) -> set[str]:
        """One mark per kind and day; several violation claims on one day get a count beside their mark."""
        grouped: dict[tuple[str, dt.datetime], int] = {}
        for kind, when in reports:
            grouped[(kind, when)] = grouped.get((kind, when), 0) + 1
        for (kind, when), count in grouped.items():
            x = float(date2num(when))
            self.marks.setdefault(kind, []).append((x, y))
            if count > 1 and kind == "violation":
                self.counts.append((x, y, count))
        return {kind for kind, _ in grouped}

    def draw(self, ax: Axes, size: float, font: float) -> None:
        if self.shade:
            ax.add_collection(PolyCollection(self.shade, facecolors="#f4f4f4", edgecolors="none", zorder=0))
        if self.boxes:
            bars = PolyCollection(
                self.boxes, facecolors=self.colours, edgecolors=self.edges, linewidths=0.4, zorder=3, gid="bars"
            )
            ax.add_collection(bars)
        if self.hatched:
            ax.add_collection(
                PolyCollection(
                    self.hatched, facecolors="none", edgecolors="#555555", linewidths=0, hatch="////", zorder=3
                )
            )
        for state, points in self.diamonds.items():
            xs, ys = zip(*points, strict=True)
            ax.plot(
                xs,
                ys,
                marker="D",
                markersize=size * 1.05,
                color=STATE_COLOURS[state],
                markeredgecolor="#333333",
                markeredgewidth=0.6,
                linestyle="none",
                zorder=5,
            )
        for kind, points in self.marks.items():
            mark = _MARKS[kind]
            xs, ys = zip(*points, strict=True)
            ax.plot(
                xs,
                ys,
                marker=mark.marker,
                markersize=size * mark.size,
                color=mark.face,
                markeredgecolor=mark.edge,
                markeredgewidth=0.7,
                linestyle="none",
                zorder=mark.z,
                gid=f"report-{kind}",
            )
        for x, y, count in self.counts:
            ax.annotate(
                f"×{count}",
                (x, y),
                xytext=(size * 0.75, -size * 0.2),
                textcoords="offset points",
                fontsize=font * 0.85,
                fontweight="bold",
                color=_MARKS["violation"].face,
                va="top",
                ha="left",
                zorder=9,
            )


def _axes_style(ax: Any, rows: Sequence[_Row], geo: _Layout, tz: ZoneInfo, language: str) -> None:
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


def _row_labels(ax: Axes, rows: Sequence[_Row], geo: _Layout, renderer: RendererAgg) -> None:
    """ "#12 title" per row, cut to the label column; rows with conflicting reports get ⚠N in bold orange.

    Plain texts rather than tick labels: 200 tick objects, each measured again for layout, cost about a second.
    """
    plain = FontProperties(size=geo.font)
    bold = FontProperties(size=geo.font, weight="bold")
    width_px = (_LABEL_IN - 0.15) * DPI
    ax.set_yticks([])
    for y, row in enumerate(rows):
        prefix = f"{_WARN}{row.conflicts} " if row.conflicts else ""
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
            color=_CONFLICT if row.conflicts else "#222222",
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
    rows: Sequence[_Row],
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
    for state in _STATE_ORDER:
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
    for kind in _REPORT_ORDER:
        if kind in reports:
            mark = _MARKS[kind]
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
            Line2D([], [], marker="$⚠$", color=_CONFLICT, linestyle="none", markersize=9, label=labels.conflicts)
        )
    handles.append(Line2D([], [], color=_NOW, linestyle=(0, (4, 2)), linewidth=1.3, label=labels.now))
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
