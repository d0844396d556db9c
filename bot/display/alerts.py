"""Alerts as they reach a chat: a plain first line with a short date, the commitment and its state, the sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from babel.lists import format_list

from articles.model import Moment
from bot.display.base import (
    LIMIT,
    NAME_WIDTH,
    SCOPE_WIDTH,
    SOURCE_WIDTH,
    Item,
    clipped,
    conflict_kind_label,
    days_text,
    edit_value,
    esc,
    field_label,
    kind_label,
    party,
    report_kind_label,
    short,
    source_title,
    state_label,
)
from bot.i18n import N_, Ctx
from schedules.plan import Milestone
from tracking.model import ConflictFacts
from tracking.state import PEOPLE_KINDS

# --- alerts ---------------------------------------------------------------------------------------------------------
#
# An alert is read on a phone's lock screen first, so it is built in three lines: what happened, in plain words with
# a short date (the only bold line); the commitment and where it stands; the sources, at most three. Several alerts
# due in the same minute share one message, a blank line apart.

AlertMode = Literal["on_time", "late", "offline_summary"]
ALERT_LINES_MAX = 40  # an offline summary longer than this ends with a count and a pointer to /status
ALERT_SOURCES_MAX = 3
SUMMARY_WIDTH = 300  # a stored English summary, shown only when the facts behind it are not at hand
# Telegram's limit for a photo's or a document's caption (the timeline and the calendar file carry one).
CAPTION_LIMIT = 1024

_DATE_FIELDS = {"start": N_("start"), "end": N_("end"), "due": N_("due date")}


@dataclass(frozen=True, slots=True)
class AlertSource:
    """An article an alert rests on: its title and, when known, its publication moment (as stored)."""

    title: str
    published: Moment | None = None


@dataclass(frozen=True, slots=True)
class AlertLine:
    """One alert resolved from the outbox: a milestone of a commitment, or a conflict newly logged against it.

    ``item`` always has the commitment's kind, actors, scope, duration_days and quantity (the outbox's snapshot);
    when the commitment could be looked up it is the status document's entry (tracking.status.commitment_item) at
    ``at``: dates, state and day count too, which the second line shows. ``facts`` are the conflict's facts
    (tracking.conflicts.conflict_facts); without them the stored English ``summary`` is shown instead.
    ``correction`` is an editor's correction told to chats that had alerts about it (storage.edits): its payload.
    """

    commitment_id: int
    item: Item
    at: dt.datetime
    milestone: Milestone | None = None
    conflict_kind: str | None = None
    facts: ConflictFacts | None = None
    summary: str | None = None
    sources: tuple[AlertSource, ...] = ()
    correction: Mapping[str, Any] | None = None


def _what(item: Item, ctx: Ctx, *, count: bool = True) -> str:
    """The commitment in a few words, with its length or head count: "strike halt (30 days)"."""
    text = kind_label(str(item.get("kind")), ctx)
    if item.get("duration_days"):
        return f"{text} ({days_text(int(item['duration_days']), ctx)})"
    if count and item.get("quantity") is not None:
        return f"{text} ({_count(item, ctx)})"
    return text


def _count(item: Item, ctx: Ctx) -> str:
    n = int(item["quantity"])
    if item.get("kind") in PEOPLE_KINDS:
        return ctx.n_("{n} person", "{n} people", n).format(n=ctx.number(n))
    return ctx.number(n)


def _later(at: dt.datetime, days: float, ctx: Ctx) -> dt.datetime:
    """``days`` after ``at`` on the reader's wall clock, as milestone plans count days (a DST switch moves no day)."""
    wall = at.astimezone(ctx.tz).replace(tzinfo=None) + dt.timedelta(days=days)
    return wall.replace(tzinfo=ctx.tz)


def _ends(item: Item, m: Milestone, ctx: Ctx) -> str | None:
    """When the period ends: as the source gave it, else reckoned from the milestone (a reminder ``n`` days before
    the end, or halfway through a known number of days); None when neither tells."""
    if item.get("end"):
        return ctx.when(item["end"])
    duration = item.get("duration_days")
    if m.key == "before_end" and m.days_before:
        return ctx.date(_later(m.at, m.days_before, ctx))
    if m.key == "halfway" and duration:
        return ctx.date(_later(m.at, duration / 2, ctx))
    if m.key == "start" and duration:
        return ctx.date(_later(m.at, duration, ctx))
    return None


def _dated(template: str, bare: str, ends: str | None, ctx: Ctx, **values: str) -> str:
    """``template`` filled in when the end is known (``{end}``), ``bare`` otherwise."""
    if ends is None:
        return ctx._(bare).format(**values)
    return ctx._(template).format(end=ends, **values)


def milestone_headline(m: Milestone, item: Item, ctx: Ctx) -> tuple[str, str]:
    """(icon, plain text) of a milestone alert's first line: "Halfway: strike halt (30 days) — ends Thu 17 Apr"."""
    what = _what(item, ctx)
    day = ctx.date(m.at)
    if m.key == "start":
        since = ctx.when(item["start"]) if item.get("start") else day
        text = _dated(
            N_("In force from {start}: {what} — ends {end}"), N_("In force from {start}: {what}"),
            _ends(item, m, ctx), ctx, start=since, what=what,
        )  # fmt: skip
        return "🟢", text
    if m.key == "halfway":
        return "⏳", _dated(
            N_("Halfway: {what} — ends {end}"), N_("Halfway: {what}"), _ends(item, m, ctx), ctx, what=what
        )
    if m.key == "before_end":
        n = m.days_before or 0
        ends = _ends(item, m, ctx) or day
        text = ctx.n_("{n} day left: {what} — ends {end}", "{n} days left: {what} — ends {end}", n)
        return "⏰", text.format(n=ctx.number(n), what=what, end=ends)
    if m.key == "end":
        ended = ctx.when(item["end"]) if item.get("end") else day
        if m.extended:
            return "🔁", ctx._("Ended {date}: {what} — an extension was reported").format(date=ended, what=what)
        return "🔚", ctx._("Lapsed {date}: {what} — no extension reported").format(date=ended, what=what)
    if m.key in ("due_before", "due"):
        n = m.days_before or 0
        due = ctx.when(item["due"]) if item.get("due") else ctx.date(_later(m.at, n, ctx))
        if m.key == "due":
            return "📅", ctx._("Due today, {date}: {what}").format(date=due, what=what)
        if n == 1:
            return "📅", ctx._("Due tomorrow, {date}: {what}").format(date=due, what=what)
        text = ctx.n_("Due in {n} day, {date}: {what}", "Due in {n} days, {date}: {what}", n)
        return "📅", text.format(n=ctx.number(n), date=due, what=what)
    if m.key == "overdue":
        if item.get("due"):
            text = ctx._("Overdue: {what} — was due {date}, no fulfilment reported")
            return "⚠", text.format(what=what, date=ctx.when(item["due"]))
        return "⚠", ctx._("Overdue: {what} — no fulfilment reported").format(what=what)
    bare = _what(item, ctx, count=False)
    if m.delivered is not None and m.promised is not None and m.delivered != m.promised:
        if m.delivered < m.promised:
            text = ctx._("Carried out {date}: {what} — {delivered} of {promised} handed over")
        else:
            text = ctx._("Carried out {date}: {what} — {delivered} handed over, {promised} promised")
        return "⚠", text.format(date=day, what=bare, delivered=ctx.number(m.delivered), promised=ctx.number(m.promised))
    if m.delivered is not None:
        text = ctx._("Carried out {date}: {what} — {delivered} handed over")
        return "✅", text.format(date=day, what=bare, delivered=ctx.number(m.delivered))
    return "✅", ctx._("Carried out {date}: {what}").format(date=day, what=bare)


def _or(words: Sequence[str], ctx: Ctx) -> str:
    """ "A or B" / "A oder B"."""
    joined: str = format_list(list(words), style="or", locale=ctx.language)
    return joined


def conflict_headline(kind: str, facts: ConflictFacts | None, item: Item | None, ctx: Ctx) -> str:
    """A conflict alert's first line in plain words (plain text): "Ukraine accuses Russia of a violation on Wed 19
    Mar — during the strike halt". Without its facts, only the kind of conflict. ``item`` is the commitment when
    at hand; the facts name its kind otherwise."""
    if facts is None:
        return ctx._("New conflict: {kind}").format(kind=conflict_kind_label(kind, ctx))
    label = kind_label(str(item.get("kind") if item else facts.commitment_kind), ctx)
    claimant = clipped(party(facts.claimant, ctx), NAME_WIDTH) if facts.claimant else ctx._("A source")
    accused = clipped(ctx.join([party(a, ctx) for a in facts.accused]), NAME_WIDTH)
    day = ctx.date(facts.day) if facts.day is not None else None
    if kind == "violation_in_force":
        values = {"claimant": claimant, "accused": accused, "what": label}
        if accused and day:
            return ctx._("{claimant} accuses {accused} of a violation on {date} — during the {what}").format(
                date=day, **values
            )
        if accused:
            return ctx._("{claimant} accuses {accused} of a violation — during the {what}").format(**values)
        if day:
            return ctx._("{claimant} reports a violation on {date} — during the {what}").format(date=day, **values)
        return ctx._("{claimant} reports a violation — during the {what}").format(**values)
    if kind == "quantity_mismatch" and facts.delivered is not None and facts.promised is not None:
        counts = {"delivered": ctx.number(facts.delivered), "promised": ctx.number(facts.promised)}
        if facts.delivered < facts.promised:
            if day:
                return ctx._("Only {delivered} of {promised} handed over on {date}").format(date=day, **counts)
            return ctx._("Only {delivered} of {promised} handed over").format(**counts)
        if day:
            return ctx._("{delivered} handed over on {date}, {promised} promised").format(date=day, **counts)
        return ctx._("{delivered} handed over, {promised} promised").format(**counts)
    if kind == "date_disagreement" and facts.dates:
        fields = [
            f"{ctx._(_DATE_FIELDS.get(field, field))} {_or([ctx.date(d) for d in days], ctx)}"
            for field, days in facts.dates
        ]
        return ctx._("Sources disagree on the dates: {dates}").format(dates="; ".join(fields))
    if kind == "corrected_by_editor" and facts.field and facts.said is not None:
        return ctx._("A source says {said} for the {field}; corrected to {corrected} by an editor").format(
            said=edit_value(facts.field, facts.said, ctx),
            field=field_label(facts.field, ctx),
            corrected=edit_value(facts.field, facts.corrected, ctx),
        )
    if kind == "claim_denied":
        denier = clipped(party(facts.denier, ctx), NAME_WIDTH) if facts.denier else ctx._("A source")
        values = {"denier": denier, "claimant": claimant}
        if facts.claim == "violation":
            if day:
                return ctx._("{denier} denies a violation on {date} (claimed by {claimant})").format(date=day, **values)
            return ctx._("{denier} denies a violation (claimed by {claimant})").format(**values)
        if day:
            return ctx._("{denier} denies it was carried out on {date} (claimed by {claimant})").format(
                date=day, **values
            )
        return ctx._("{denier} denies it was carried out (claimed by {claimant})").format(**values)
    return ctx._("New conflict: {kind}").format(kind=conflict_kind_label(kind, ctx))


def stored_conflict(kind: str, facts: ConflictFacts | None, legacy: str | None, ctx: Ctx) -> str:
    """A stored conflict in the reader's language (HTML) where only the conflict is at hand (what a load raised,
    the command line): its facts in plain words; an English sentence stored by an earlier version as it is."""
    if facts is None and legacy:
        return esc(short(legacy, SUMMARY_WIDTH))
    return esc(conflict_headline(kind, facts, None, ctx))


def _glance(item: Item, ctx: Ctx) -> str | None:
    """Where the commitment stands, in the fewest words ("day 2 of 30"); None when its state is not at hand."""
    state = item.get("state")
    if state is None:
        return None
    if state == "active":
        if item.get("days_elapsed") is not None and item.get("duration_days"):
            return ctx._("day {n} of {total}").format(
                n=ctx.number(int(item["days_elapsed"]) + 1), total=ctx.number(int(item["duration_days"]))
            )
        if item.get("end"):
            return ctx._("until {date}").format(date=ctx.when(item["end"]))
    if state == "upcoming":
        if item.get("due"):
            return ctx._("due {date}").format(date=ctx.when(item["due"]))
        if item.get("start"):
            return ctx._("starts {date}").format(date=ctx.when(item["start"]))
    if state == "lapsed" and item.get("end"):
        return ctx._("ended {date}").format(date=ctx.when(item["end"]))
    return state_label(str(state), ctx)


def alert_context(line: AlertLine, ctx: Ctx) -> str:
    """The second line: number, kind, parties, scope, head count and state — "#1 Strike halt · Russia · energy
    infrastructure · day 2 of 30" (HTML, escaped)."""
    item = line.item
    label = kind_label(str(item.get("kind")), ctx)
    names = [party(n, ctx) for n in item.get("actors") or []]
    parts = [label[:1].upper() + label[1:], clipped(", ".join(names), NAME_WIDTH) or ctx._("Unnamed parties")]
    if item.get("scope"):
        parts.append(clipped(str(item["scope"]), SCOPE_WIDTH))
    if item.get("quantity") is not None and not item.get("duration_days"):
        parts.append(_count(item, ctx))
    glance = _glance(item, ctx)
    if glance:
        parts.append(glance)
    return f"#{line.commitment_id} " + esc(" · ".join(parts))


def alert_sources(sources: Sequence[AlertSource], ctx: Ctx) -> str | None:
    """The third line: at most three sources by short title and day, then how many more (HTML, escaped)."""
    first: dict[str, AlertSource] = {}
    for source in sources:
        if source.title:
            first.setdefault(source.title, source)
    unique = list(first.values())
    if not unique:
        return None
    shown = []
    for source in unique[:ALERT_SOURCES_MAX]:
        text = f"<i>{esc(clipped(source_title(source.title, ctx), SOURCE_WIDTH))}</i>"
        if source.published:
            text += f" · {esc(ctx.date(source.published))}"
        shown.append(text)
    more = len(unique) - ALERT_SOURCES_MAX
    tail = " " + esc(ctx.n_("+{n} more", "+{n} more", more).format(n=ctx.number(more))) if more > 0 else ""
    return "📰 " + "; ".join(shown) + tail


def alert_headline(line: AlertLine, ctx: Ctx) -> str:
    """The first line, icon and bold text (HTML)."""
    if line.correction is not None:
        icon, text = correction_headline(line.correction, line.item, ctx)
    elif line.milestone is not None:
        icon, text = milestone_headline(line.milestone, line.item, ctx)
    else:
        icon, text = "⚠", conflict_headline(line.conflict_kind or "", line.facts, line.item, ctx)
    return f"{icon} <b>{esc(text)}</b>"


def alert_block(line: AlertLine, ctx: Ctx) -> str:
    """One alert in full: what happened, the commitment and its state, the sources."""
    lines = [alert_headline(line, ctx), alert_context(line, ctx)]
    if line.correction is not None and line.correction.get("reason"):
        reason = ctx._("Reason: {reason}").format(reason=short(str(line.correction["reason"]), SUMMARY_WIDTH))
        lines.append(esc(reason))
    if line.facts is None and line.summary and line.milestone is None and line.correction is None:
        lines.append(esc(short(line.summary, SUMMARY_WIDTH)))
    sources = alert_sources(line.sources, ctx)
    if sources:
        lines.append(sources)
    return "\n".join(lines)


def alert_message(lines: Sequence[AlertLine], mode: AlertMode, ctx: Ctx) -> str:
    """One message for the alerts of one chat that fall due together; always within Telegram's 4096 characters.

    On time or late, each alert is shown in full; an offline summary (old news, told once) gives each its first
    line and number only.
    """
    header = {
        "on_time": "",
        "late": esc(ctx._("Sent late — the bot was offline when this fell due.")),
        "offline_summary": esc(
            ctx.n_(
                "While the bot was offline, {n} alert fell due:",
                "While the bot was offline, {n} alerts fell due:",
                len(lines),
            ).format(n=ctx.number(len(lines)))
        ),
    }[mode]
    summary = mode == "offline_summary"
    shown = [f"<i>{header}</i>"] if header else []
    size = sum(len(part) + 2 for part in shown)
    budget = LIMIT - 80  # room for the closing "… and N more" line
    for count, line in enumerate(lines):
        rendered = f"{alert_headline(line, ctx)} · #{line.commitment_id}" if summary else alert_block(line, ctx)
        separator = 1 if summary else 2
        if count == ALERT_LINES_MAX or size + len(rendered) + separator > budget:
            rest = len(lines) - count
            more = ctx.n_("… and {n} more — see /status", "… and {n} more — see /status", rest)
            shown.append(esc(more.format(n=ctx.number(rest))))
            break
        shown.append(rendered)
        size += len(rendered) + separator
    return ("\n" if summary else "\n\n").join(shown)


def correction_headline(correction: Mapping[str, Any], item: Item, ctx: Ctx) -> tuple[str, str]:
    """(icon, plain text) of a correction's first line: "Correction: strike halt (30 days) — end now Wed 16 Apr
    (was Thu 17 Apr)"; a retraction says to disregard what was said about it."""
    what = _what(item, ctx)
    kind = correction.get("what")
    if kind == "retracted":
        return "↩️", ctx._("Correction: {what} was retracted — disregard the alerts about it").format(what=what)
    if kind == "report_retracted":
        report = correction.get("report") or {}
        label = report_kind_label(str(report.get("kind")), ctx)
        if report.get("date"):
            text = ctx._("Correction: the {report} report of {date} on the {what} was withdrawn")
            return "↩️", text.format(report=label, date=ctx.date(str(report["date"])), what=what)
        return "↩️", ctx._("Correction: the {report} report on the {what} was withdrawn").format(report=label, what=what)
    changes = [
        ctx._("{field} now {new} (was {old})").format(
            field=field_label(str(c.get("field")), ctx),
            new=edit_value(str(c.get("field")), c.get("new"), ctx),
            old=edit_value(str(c.get("field")), c.get("old"), ctx),
        )
        for c in correction.get("changes") or []
    ]
    return "✏️", ctx._("Correction: {what} — {changes}").format(what=what, changes="; ".join(changes))
