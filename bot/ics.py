"""The /calendar file: each commitment's end or due date and its milestones as iCalendar events.

UIDs are derived from the commitment id and the milestone slug only, so importing a newer file updates the events a
calendar already holds instead of adding copies. Day-precise facts become all-day events; instants become timed
events in the chat's zone with its VTIMEZONE included, so the calendar shows the chat's local time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from icalendar import Calendar, Event

from articles.model import Moment
from articles.plausible import plausible_day
from bot.i18n import N_, Ctx
from schedules.plan import Milestone
from tracking.state import instant

__all__ = ["calendar_ics", "event_uid", "milestone_phrase"]

_DOMAIN = "ceasefire-watch"
# Milestones that are days by nature: "overdue" starts with a day, "fulfilled" comes from a report's day.
_DAY_KEYS = frozenset({"overdue", "fulfilled"})

# Milestones whose words need nothing but the key.
_MILESTONE_WORDS: dict[str, str] = {
    "start": N_("starts"),
    "halfway": N_("halfway"),
    "end": N_("ends"),
    "due": N_("due"),
    "overdue": N_("overdue"),
    "fulfilled": N_("fulfilled"),
}


def event_uid(commitment_id: int, slug: str) -> str:
    """The UID a calendar keys the event by: the same commitment and milestone always give the same UID."""
    return f"commitment-{commitment_id}-{slug}@{_DOMAIN}"


def milestone_phrase(
    key: str,
    language: str = "en",
    *,
    days_before: int | None = None,
    extended: bool = False,
    promised: int | None = None,
    delivered: int | None = None,
) -> str:
    """What happens at a milestone, e.g. "3 days before the end" / "noch 3 Tage bis zum Ende"."""
    ctx = Ctx.of(language)
    if key == "before_end":
        n = days_before or 0
        # TRANSLATORS: a calendar event's title, shown on that day; worded apart from the alert's phrase.
        return ctx.np_("calendar", "{n} day before the end", "{n} days before the end", n).format(n=n)
    if key == "due_before":
        n = days_before or 0
        if n == 1:
            return ctx._("due tomorrow")
        return ctx.n_("due in {n} day", "due in {n} days", n).format(n=n)
    if key == "end" and extended:
        return ctx._("ends (extension reported)")
    if key == "fulfilled" and promised is not None and delivered is not None and promised != delivered:
        return ctx._("fulfilled ({delivered} of {promised})").format(promised=promised, delivered=delivered)
    word = _MILESTONE_WORDS.get(key)
    return ctx._(word) if word is not None else key


@dataclass(frozen=True, slots=True)
class _When:
    """An all-day ``day`` or a timed ``moment`` (aware, in the chat's zone)."""

    day: dt.date | None = None
    moment: dt.datetime | None = None

    @property
    def first_day(self) -> dt.date:
        if self.day is not None:
            return self.day
        assert self.moment is not None
        return self.moment.date()


def _from_value(value: Moment | None, tz: ZoneInfo) -> _When | None:
    """A stored date or instant, or None when there is none or it lies outside 1900–2100: an older database may
    hold a year 9999, and a calendar entry for it would be false (and overflow DTEND)."""
    if value is None or not plausible_day(value):
        return None
    if isinstance(value, dt.datetime):
        return _When(moment=instant(value, tz).astimezone(tz))
    return _When(day=value)


def _day_precise(item: Mapping[str, Any]) -> bool:
    """True when none of the commitment's own dates carries a time of day."""
    return not any(isinstance(item.get(k), dt.datetime) for k in ("start", "end", "due"))


def _from_milestone(milestone: Milestone, item: Mapping[str, Any], tz: ZoneInfo) -> _When:
    local = milestone.at.astimezone(tz)
    midnight = local.time() == dt.time(0, 0)
    if midnight and (milestone.key in _DAY_KEYS or _day_precise(item)):
        return _When(day=local.date())
    return _When(moment=local)


def _human(value: Moment | None, tz: ZoneInfo, language: str) -> str | None:
    """A date or instant for people: "18 Mar 2025" / "18.03.2025", a time of day in the chat's zone."""
    when = _from_value(value, tz)
    if when is None:
        return None
    locale = "de" if language == "de" else "en"
    if when.day is not None:
        return format_date(when.day, "medium", locale=locale)
    assert when.moment is not None
    return format_datetime(when.moment, "short" if locale == "de" else "MMM d, y, HH:mm", tzinfo=tz, locale=locale)


def _description(item: Mapping[str, Any], ctx: Ctx) -> str:
    tz, language = ctx.tz, ctx.language
    lines: list[str] = []
    if item.get("actors"):
        lines.append(ctx._("Parties:") + " " + ", ".join(map(str, item["actors"])))
    if item.get("scope"):
        # TRANSLATORS: a field name in a calendar event's description.
        lines.append(ctx.p_("calendar", "Scope:") + f" {item['scope']}")
    if item.get("conditions"):
        lines.append(ctx._("Conditions:") + " " + "; ".join(map(str, item["conditions"])))
    if item.get("start") or item.get("end"):
        # TRANSLATORS: a period without a known start or end, as in "Period: 18 Mar 2025 – open".
        start = _human(item.get("start"), tz, language) or ctx._("open")
        end = _human(item.get("end"), tz, language) or ctx._("open")
        lines.append(ctx._("Period:") + f" {start} – {end}")
    due = _human(item.get("due"), tz, language)
    if due is not None:
        lines.append(ctx._("Due:") + f" {due}")
    if item.get("conflicts"):
        lines.append(ctx._("Conflicting reports: {n}").format(n=len(item["conflicts"])))
    sources = item.get("sources") or ()
    locale = "de" if language == "de" else "en"
    if sources:
        lines.append(ctx._("Sources:"))
        for source in sources:
            published = _from_value(source.get("published"), tz)
            day = format_date(published.first_day, "medium", locale=locale) if published is not None else None
            details = ", ".join(str(v) for v in (source.get("language"), day) if v)
            lines.append(f"- {source.get('title') or '?'}" + (f" ({details})" if details else ""))
    # TRANSLATORS: followed by the command that shows the commitment in the bot, "/status 12".
    lines.append(ctx._("Details:") + f" /status {item.get('id')}")
    return "\n".join(lines)


def _event(uid: str, summary: str, when: _When, description: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    if when.day is not None:
        event.add("dtstart", when.day)  # a date value: icalendar writes VALUE=DATE
        event.add("dtend", when.day + dt.timedelta(days=1))
    else:
        event.add("dtstart", when.moment)  # no DTEND: an instant (RFC 5545 3.6.1)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
    return event


def calendar_ics(
    items: Sequence[Mapping[str, Any]],
    milestones: Mapping[int, Sequence[Milestone]],
    *,
    tz: ZoneInfo,
    language: str = "en",
    prodid: str = "-//ceasefire-watch//EN",
    stamp: dt.datetime | None = None,
) -> bytes:
    """The .ics for ``items`` (status-document commitments) and their ``milestones`` by commitment id.

    Per commitment: its end (a period) or due date (a one-off act) as given, then every milestone whose slug is
    not one of those. ``stamp`` is the DTSTAMP (default: the wall clock now, as RFC 5545 asks).
    """
    ctx = Ctx.of(language, tz)
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", ctx._("Ceasefire commitments"))
    cal.add("x-wr-timezone", tz.key)
    days: list[dt.date] = []
    for item in items:
        commitment_id = int(item["id"])
        title = str(item.get("title") or f"#{commitment_id}")
        description = _description(item, ctx)
        plan = milestones.get(commitment_id, ())
        by_slug = {m.slug: m for m in plan}
        events: list[tuple[str, str, _When]] = []
        for slug in ("end", "due"):
            when = _from_value(item.get(slug), tz)
            if when is None:
                continue
            own = by_slug.get(slug)
            phrase = milestone_phrase(slug, language, extended=own.extended if own is not None else False)
            events.append((slug, phrase, when))
        taken = {slug for slug, _, _ in events}
        for milestone in plan:
            if milestone.slug in taken or not plausible_day(milestone.at):
                continue
            taken.add(milestone.slug)
            phrase = milestone_phrase(
                milestone.key,
                language,
                days_before=milestone.days_before,
                extended=milestone.extended,
                promised=milestone.promised,
                delivered=milestone.delivered,
            )
            events.append((milestone.slug, phrase, _from_milestone(milestone, item, tz)))
        for slug, phrase, when in events:
            if not plausible_day(when.first_day):
                continue  # a milestone counted from a date at the edge of the range (see _from_value)
            cal.add_component(_event(event_uid(commitment_id, slug), f"{title}: {phrase}", when, description, stamp))
            days.append(when.first_day)
    if days:
        # VTIMEZONE rules only for the years the events need keeps the file small.
        first, last = min(days), max(days)
        cal.add_missing_timezones(
            first_date=dt.date(first.year - 1, 1, 1), last_date=dt.date(max(last.year + 2, first.year + 2), 1, 1)
        )
    return bytes(cal.to_ical())
