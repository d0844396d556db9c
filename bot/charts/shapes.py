# matplotlib.dates and the Agg canvas leave several functions unannotated; calling them is allowed in this module.
# mypy: disable-error-code="no-untyped-call"
"""The bars, markers and colours of the /timeline chart, gathered as matplotlib collections; ``draw`` lays the
chart out and draws them in one go."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.dates import date2num

from bot.charts.model import Row

STATE_COLOURS: dict[str, str] = {
    "proposed": "#cfcfcf",
    "upcoming": "#9ecae1",
    "active": "#3182bd",
    "lapsed": "#a3a3a3",
    "due": "#fdae6b",
    "overdue": "#d94801",
    "fulfilled": "#41ab5d",
}


@dataclass(frozen=True, slots=True)
class Mark:
    marker: str
    face: str
    edge: str
    size: float  # relative to the row's marker size
    z: int


# Violation claims must stand out on any bar colour: big red crosses with a white rim, drawn on top.
MARKS: dict[str, Mark] = {
    "violation": Mark("X", "#e31a1c", "white", 1.15, 9),
    "fulfilment": Mark("P", "#006d2c", "white", 1.05, 8),
    "compliance": Mark("o", "#74c476", "#1b5e20", 0.8, 7),
    "extension": Mark(">", "#6a51a3", "white", 0.9, 7),
    "expiry": Mark("s", "#525252", "white", 0.75, 7),
    "denial": Mark("v", "#8c8c8c", "white", 0.85, 6),
    "reaction": Mark("o", "#bdbdbd", "#737373", 0.55, 6),
}
CONFLICT_COLOUR = "#c2410c"
NOW_COLOUR = "#111111"
WARN = "⚠"


BAR_H = 0.62  # of a row
_FADE_STEPS = 6


def row_box(x0: float, x1: float, y: float, height: float = BAR_H) -> list[tuple[float, float]]:
    top, bottom = y - height / 2, y + height / 2
    return [(x0, top), (x1, top), (x1, bottom), (x0, bottom)]


@dataclass(slots=True)
class Shapes:
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
        box = row_box(float(date2num(left)), float(date2num(right)), y)
        self.boxes.append(box)
        self.colours.append(to_rgba(STATE_COLOURS[state], alpha))
        self.edges.append("#555555" if edge else "none")
        if state == "proposed" and alpha == 1.0:
            self.hatched.append(box)

    def open_bar(self, row: Row, y: int, at: dt.datetime, fade: dt.timedelta) -> None:
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
            mark = MARKS[kind]
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
                color=MARKS["violation"].face,
                va="top",
                ha="left",
                zorder=9,
            )
