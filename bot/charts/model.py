"""What the /timeline chart shows, before any drawing: its words in the reader's language and one row per
commitment (dates as aware instants in the chat's zone, clamped, most pressing rows kept). Pure: no matplotlib."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from articles.model import Moment
from articles.plausible import clamp
from bot.i18n import N_, Ctx, Language
from tracking.state import URGENCY, instant

MAX_ROWS = 200  # more rows than this cannot be read in one picture: the least pressing ones are left out
# The states and report kinds a row can show, in legend order.
STATE_ORDER = ("proposed", "upcoming", "active", "lapsed", "due", "overdue", "fulfilled")
REPORT_ORDER = ("violation", "fulfilment", "compliance", "extension", "expiry", "denial", "reaction")


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


@dataclass(slots=True)
class Row:
    """One commitment as the chart draws it."""

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


def moment_in(value: Moment | None, tz: ZoneInfo, *, day_at_noon: bool = False) -> dt.datetime | None:
    """An aware instant from a stored moment; a bare day is its midnight (a boundary) or its noon (an event on it)."""
    if value is None:
        return None
    # Clamped into 1900–2100: a year 9999 left in an older database would overflow the axis arithmetic (and
    # break the chart for every chat); it is drawn at the edge instead.
    moment = clamp(instant(value, tz))
    if day_at_noon and not isinstance(value, dt.datetime):
        moment += dt.timedelta(hours=12)
    return moment


def row_of(item: Mapping[str, Any], tz: ZoneInfo) -> Row:
    reports: list[tuple[str, dt.datetime]] = []
    for report in item.get("reports") or ():
        when = moment_in(report.get("date"), tz, day_at_noon=True)
        kind = str(report.get("kind"))
        if when is not None:
            reports.append((kind if kind in REPORT_ORDER else "reaction", when))
    start = moment_in(item.get("start"), tz)
    end = moment_in(item.get("end"), tz)
    if start is not None and end is not None and end < start:
        start, end = end, start
    state = str(item.get("state"))
    return Row(
        id=int(item.get("id") or 0),
        label=str(item.get("title") or "?"),
        state=state if state in STATE_ORDER else "proposed",
        conflicts=len(item.get("conflicts") or ()),
        start=start,
        end=end,
        due=moment_in(item.get("due"), tz, day_at_noon=True),
        reports=reports,
    )


def pick(rows: list[Row], limit: int) -> list[Row]:
    """At most ``limit`` rows, keeping the most pressing and, among equals, the most recent."""
    if len(rows) <= limit:
        return rows

    def key(row: Row) -> tuple[int, float]:
        first = row.first()
        return (URGENCY.get(row.state, 9), -first.timestamp() if first is not None else 0.0)

    return sorted(rows, key=key)[:limit]


def ordered(rows: Iterable[Row]) -> list[Row]:
    """Earliest first, like a Gantt chart; rows without dates of their own go last."""
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(rows, key=lambda r: (not r.dated, r.first() or far, r.id))
