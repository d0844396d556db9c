"""The /timeline PNG: opened with Pillow, measured, and checked for the parts a reader relies on."""

# matplotlib.dates leaves date2num/num2date unannotated.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import datetime as dt
import io
import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.dates import date2num, num2date
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from PIL import Image

from bot.charts import MAX_ROWS, chart_labels, row_labels, timeline_figure, timeline_png

AT = dt.datetime(2025, 3, 22, 12, 0, tzinfo=dt.UTC)
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
KINDS = ("ceasefire", "strike_halt", "prisoner_exchange", "release", "negotiations", "withdrawal")
STATES = ("proposed", "upcoming", "active", "lapsed", "due", "overdue", "fulfilled")
REPORTS = ("violation", "violation", "denial", "compliance", "fulfilment", "reaction", "extension", "expiry")
MSK = dt.timezone(dt.timedelta(hours=3))
PLUS_2 = dt.timezone(dt.timedelta(hours=2))
D = dt.date


def at_time(day: dt.date, hour: int, tz: dt.tzinfo | None = None) -> dt.datetime:
    """``day`` at ``hour`` o'clock: with an offset as a source gave it, or naive (read in the chat's zone)."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=tz)


def commitment(ident: int, **fields: Any) -> dict[str, Any]:
    """A status-document commitment with everything empty unless given."""
    item: dict[str, Any] = {
        "id": ident,
        "kind": "ceasefire",
        "title": f"Party {ident}: ceasefire",
        "actors": [f"Party {ident}"],
        "scope": None,
        "conditions": [],
        "start": None,
        "end": None,
        "due": None,
        "duration_days": None,
        "quantity": None,
        "state": "active",
        "disputed": False,
        "days_elapsed": None,
        "days_left": None,
        "sources": [],
        "reports": [],
        "conflicts": [],
    }
    item.update(fields)
    return item


def report(kind: str, day: dt.date | None) -> dict[str, Any]:
    return {"kind": kind, "accused": [], "claimed_by": "X", "date": day, "quantity": None, "source": "s"}


def synthetic(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """A mix of periods (dated, timed, open-ended), one-off acts, undated items, reports and conflicts."""
    rnd = random.Random(seed)
    items = []
    for ident in range(1, count + 1):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rnd.randint(-120, 200))
        shape = ident % 6
        fields: dict[str, Any] = {"kind": rnd.choice(KINDS), "state": rnd.choice(STATES)}
        if shape == 0:
            fields |= {"start": day, "end": day + dt.timedelta(days=30)}
        elif shape == 1:
            fields |= {"start": at_time(day, 18, MSK)}  # running, no end
        elif shape == 2:
            fields |= {"due": day}
        elif shape == 3:
            fields |= {"end": at_time(day, 7)}  # naive: read in the chat's zone
        elif shape == 4:
            fields |= {"start": day, "end": at_time(day + dt.timedelta(days=3), 0, PLUS_2)}
        # shape 5: no dates at all
        fields["reports"] = [
            report(rnd.choice(REPORTS), day + dt.timedelta(days=rnd.randint(0, 20)))
            for _ in range(rnd.choice((0, 1, 3)))
        ] + ([report("violation", None)] if ident % 11 == 0 else [])
        fields["conflicts"] = [{"kind": "violation_in_force", "summary": "s", "reports": [], "sources": []}] * (
            ident % 4 == 0
        )
        fields["title"] = f"Party {ident}, Other Party: {fields['kind']} — energy infrastructure and ports, 30 days"
        items.append(commitment(ident, **fields))
    return items


def open_png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    image.load()
    return image


def colours(image: Image.Image) -> int:
    counts = image.convert("RGB").getcolors(maxcolors=1 << 24)
    assert counts is not None
    return len(counts)


def test_empty_list_is_a_small_png_saying_so() -> None:
    image = open_png(timeline_png([], at=AT, tz=BERLIN))
    assert image.size[0] <= 800
    assert image.size[1] <= 300
    assert colours(image) > 2  # the text is there
    texts = [t.get_text() for t in timeline_figure([], at=AT, tz=BERLIN, language="de").findobj(Text)]
    assert chart_labels("de").empty in texts


@pytest.mark.parametrize("count", [1, 20, 200])
def test_png_opens_with_a_sane_size_and_is_not_blank(count: int) -> None:
    items = synthetic(count)
    data = timeline_png(items, at=AT, tz=BERLIN)
    image = open_png(data)
    width, height = image.size
    assert 1000 <= width <= 1600
    assert 150 <= height <= 4500
    assert width + height <= 10_000  # Telegram's limit for photos
    assert colours(image) >= 10
    assert len(data) < 1_000_000


def test_size_depends_only_on_the_number_of_rows() -> None:
    a = open_png(timeline_png(synthetic(20, seed=1), at=AT, tz=BERLIN))
    b = open_png(timeline_png(synthetic(20, seed=2), at=AT, tz=NEW_YORK, language="de"))
    assert a.size == b.size
    assert open_png(timeline_png(synthetic(40), at=AT, tz=BERLIN)).size[1] > a.size[1]


def test_a_single_item_with_no_dates_is_listed_without_a_bar() -> None:
    fig = timeline_figure([commitment(1)], at=AT, tz=BERLIN)
    ax = fig.axes[0]
    assert [t.get_text() for t in row_labels(ax)] == ["#1 Party 1: ceasefire"]
    assert "no dates" in [t.get_text() for t in ax.texts]
    assert bar_extents(ax) == []
    open_png(timeline_png([commitment(1)], at=AT, tz=BERLIN))


def test_garbage_dates_and_unknown_kinds_do_not_crash() -> None:
    items = [
        commitment(
            1,
            start=dt.date(1, 1, 1),
            end=dt.date(9999, 12, 31),
            state="weird",
            reports=[report("gossip", D(2025, 3, 1))],
        ),
        commitment(2, start=D(2025, 4, 10), end=D(2025, 4, 1)),  # reversed
        commitment(3, start=D(2025, 3, 22), end=D(2025, 3, 22)),  # zero length
        commitment(4, title=None, conflicts=None, reports=None),
    ]
    open_png(timeline_png(items, at=AT, tz=BERLIN))


def bar_extents(ax: Axes) -> list[tuple[float, float]]:
    """(left, right) in date numbers of every bar segment."""
    extents = []
    for collection in ax.collections:
        if isinstance(collection, PolyCollection) and collection.get_gid() == "bars":
            for path in collection.get_paths():
                xs = [float(x) for x in np.asarray(path.vertices, dtype=float)[:, 0]]
                extents.append((min(xs), max(xs)))
    return extents


def _now_line(fig: Figure) -> Line2D:
    lines = [line for line in fig.axes[0].get_lines() if line.get_gid() == "now"]
    assert len(lines) == 1
    return lines[0]


def _xs(line: Line2D) -> list[float]:
    return [float(v) for v in np.asarray(line.get_xdata(), dtype=float)]


def _dark(pixel: Any) -> bool:
    return bool(sum(pixel) < 150)


@pytest.mark.parametrize("tz", [BERLIN, NEW_YORK])
def test_now_line_is_inside_the_axis_and_in_the_png(tz: ZoneInfo) -> None:
    items = synthetic(20)
    fig = timeline_figure(items, at=AT, tz=tz)
    ax = fig.axes[0]
    x = _xs(_now_line(fig))[0]
    assert x == pytest.approx(float(date2num(AT)))
    low, high = ax.get_xlim()
    assert low < x < high
    # Every bar and marker lies inside the axis too.
    for line in ax.get_lines():
        for value in _xs(line):
            assert low <= value <= high
    # The dashed line is in the picture where the axis maps "now": near-black pixels in that column.
    image = open_png(timeline_png(items, at=AT, tz=tz)).convert("RGB")
    px, _ = ax.transData.transform((x, 0))
    _, top = ax.transAxes.transform((0, 1))
    _, bottom = ax.transAxes.transform((0, 0))
    column = round(px)
    middle_rows = range(image.size[1] - round(top) + 5, image.size[1] - round(bottom) - 5)
    dark = sum(1 for y in middle_rows if any(_dark(image.getpixel((c, y))) for c in (column - 1, column, column + 1)))
    assert dark > len(middle_rows) * 0.4  # dashes: dark about two thirds of the way


def test_dates_on_the_axis_are_in_the_chats_zone() -> None:
    # A date-only start is midnight in the chat's zone, and day ticks fall on that zone's midnights.
    items = [commitment(1, start=D(2025, 3, 1), end=D(2025, 3, 4))]
    fig = timeline_figure(items, at=dt.datetime(2025, 3, 2, 12, tzinfo=NEW_YORK), tz=NEW_YORK)
    ax = fig.axes[0]
    fig.canvas.draw()
    ticks = ax.get_xticks()
    assert all(num2date(t, tz=NEW_YORK).hour == 0 for t in ticks)
    ((left, right),) = bar_extents(ax)
    assert num2date(left, tz=NEW_YORK) == dt.datetime(2025, 3, 1, tzinfo=NEW_YORK)
    assert num2date(right, tz=NEW_YORK) == dt.datetime(2025, 3, 4, tzinfo=NEW_YORK)


def test_labels_in_german_and_english() -> None:
    de, en = chart_labels("de"), chart_labels("en")
    assert (de.now, en.now) == ("jetzt", "now")
    assert de.states["overdue"] == "überfällig"
    assert de.reports["violation"] == "Verstoß gemeldet"
    assert chart_labels("fr") == en
    fig = timeline_figure(synthetic(12), at=AT, tz=BERLIN, language="de")
    texts = {t.get_text().strip() for t in fig.findobj(Text)}
    assert {"jetzt", "Verstoß gemeldet", "ohne Datum"} <= texts
    assert any(t.startswith("Zusagen zur Waffenruhe — Stand 22. März 2025, 13:00") for t in texts)
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert "Mär" in ticks or "Dez" in ticks


def test_violations_stand_out_and_conflicts_are_flagged() -> None:
    items = [
        commitment(
            1,
            start=D(2025, 3, 18),
            end=D(2025, 4, 17),
            reports=[
                report("violation", D(2025, 3, 19)),
                report("violation", D(2025, 3, 19)),
                report("denial", D(2025, 3, 19)),
            ],
            conflicts=[{"kind": "violation_in_force", "summary": "s", "reports": [], "sources": []}],
        )
    ]
    fig = timeline_figure(items, at=AT, tz=BERLIN)
    ax = fig.axes[0]
    marks = {str(line.get_gid()): line for line in ax.get_lines()}
    violation, denial = marks["report-violation"], marks["report-denial"]
    assert violation.get_marker() == "X"
    assert violation.get_markerfacecolor() == "#e31a1c"
    assert violation.get_zorder() > denial.get_zorder()
    assert violation.get_markersize() > denial.get_markersize()
    assert "×2" in [t.get_text() for t in ax.texts]
    (label,) = row_labels(ax)
    assert label.get_text().startswith("⚠1 #1 ")
    assert label.get_color() != "#222222"


def test_threads_render_the_same_picture() -> None:
    """The bot renders in worker threads; charts asked for at the same time come out as if drawn alone (CI once
    saw a different picture from two unserialised draws: matplotlib shares font state between threads)."""
    items = synthetic(20)
    alone = timeline_png(items, at=AT, tz=BERLIN)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda lang: timeline_png(items, at=AT, tz=BERLIN, language=lang), ["en", "de"] * 4))
    assert len(set(results[0::2])) == len(set(results[1::2])) == 1
    assert results[0] == results[2] == alone
    assert results[1] == results[3] != alone


def test_long_titles_are_cut_with_an_ellipsis() -> None:
    title = "Armed Forces of the Democratic Republic of the Congo, M23: ceasefire — " + "very long scope " * 8
    fig = timeline_figure([commitment(1, title=title, start=D(2025, 3, 1))], at=AT, tz=BERLIN)
    text = row_labels(fig.axes[0])[0].get_text()
    assert text.endswith("…")
    assert len(text) < len(title)


def test_rows_beyond_the_maximum_are_left_out_with_a_note() -> None:
    items = synthetic(MAX_ROWS + 25)
    fig = timeline_figure(items, at=AT, tz=BERLIN)
    assert len(row_labels(fig.axes[0])) == MAX_ROWS
    assert any("25 more not shown" in t.get_text() for t in fig.texts)


def test_every_chart_word_comes_out_german() -> None:
    """The words come from the catalog: a msgid the German .po lacks would show up here in English."""
    de, en = chart_labels("de"), chart_labels("en")
    for name in ("title", "empty", "now", "no_dates", "one_off", "open_ended", "conflicts", "time_zone"):
        assert getattr(de, name) != getattr(en, name), name
    assert set(de.states) == set(en.states) == set(STATES)
    assert set(de.reports) == set(en.reports) == set(REPORTS)
    assert de.states == {
        "proposed": "vorgeschlagen",
        "upcoming": "bevorstehend",
        "active": "in Kraft",
        "lapsed": "abgelaufen",
        "due": "fällig",
        "overdue": "überfällig",
        "fulfilled": "erfüllt",
    }
    assert de.reports == {
        "violation": "Verstoß gemeldet",
        "fulfilment": "Erfüllung gemeldet",
        "compliance": "Einhaltung",
        "extension": "Verlängerung",
        "expiry": "Ablauf",
        "denial": "Dementi",
        "reaction": "Reaktion",
    }
    assert (de.title, de.empty, de.time_zone) == (
        "Zusagen zur Waffenruhe — Stand {when}",
        "Noch nichts erfasst.",
        "Daten in {tz}",
    )
    assert (de.one_off, de.open_ended, de.conflicts) == (
        "Einzelmaßnahme (Termin)",
        "ohne Enddatum",
        "widersprüchliche Berichte",
    )
    assert de.more(1) == "1 weitere nicht gezeigt (am wenigsten dringend)"
    assert de.more(25) == "25 weitere nicht gezeigt (am wenigsten dringend)"
    assert en.more(1) == "1 more not shown (least pressing)"


def test_a_german_chart_has_no_english_legend_or_footer() -> None:
    de, en = chart_labels("de"), chart_labels("en")
    german = {*de.states.values(), *de.reports.values(), de.open_ended, de.one_off, de.conflicts, de.now}
    english = {*en.states.values(), *en.reports.values(), en.open_ended, en.one_off, en.conflicts, en.now}
    fig = timeline_figure(synthetic(40), at=AT, tz=BERLIN, language="de")
    (legend,) = fig.legends
    shown = {text.get_text() for text in legend.get_texts()}
    assert len(shown) > 10
    assert shown <= german
    assert not shown & english
    assert any(text.get_text() == "Daten in Europe/Berlin" for text in fig.texts)
